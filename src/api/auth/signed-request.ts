import type { IncomingHttpHeaders } from 'node:http';

/** A request as received, with everything a signature verifier needs. */
export interface SignedRequest {
  /** Upper-case HTTP method as received. */
  readonly method: string;
  /** The raw path as received, without the query string (e.g. `/`). */
  readonly path: string;
  /** The raw query string as received, without the leading `?` (empty when none). */
  readonly rawQuery: string;
  /** Node's lower-cased headers. */
  readonly headers: IncomingHttpHeaders;
  /** The raw body bytes (empty for GET). */
  readonly body: Buffer;
  /** Form-decoded parameters of query string and body together (body wins), auth parameters included. */
  readonly params: ReadonlyMap<string, string>;
}

/** The stored secret of an access key, as the verifier needs it. */
export interface AccessKeySecret {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  readonly enabled: boolean;
  /** Present for temporary credentials: the request must carry and sign the same token. */
  readonly sessionToken?: string;
}

/** Looks up an access key by ID; `undefined` when unknown. */
export type AccessKeyLookup = (accessKeyId: string) => AccessKeySecret | undefined;

/** Who signed a request, and for which region and service. */
export interface Caller {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly region: string;
  /** `ec2`, or `sts` for GetCallerIdentity on the same endpoint (told apart by the SigV4 scope). */
  readonly service: 'ec2' | 'sts';
  readonly scheme: 'sigv4-header' | 'sigv4-query' | 'sigv2';
}

/** How the verifier is configured. */
export interface AuthOptions {
  readonly now: Date;
  /** Region for SigV2 requests, which carry none. */
  readonly defaultRegion: string;
  /** Regions a SigV4 scope may name; others get AuthFailure (spec/auth.md §4.4). */
  readonly regions: ReadonlySet<string>;
}

/** Parameter names that belong to authentication and are never action parameters (spec/auth.md §2). */
export const AUTH_PARAMETER_NAMES: ReadonlySet<string> = new Set([
  'AWSAccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'Timestamp',
  'Expires',
  'SecurityToken',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
]);
