import type { CredentialScope } from './credential-scope.js';
import type { PresentedSessionToken } from './session-token.js';

/** What every SigV4-signed request claims, read from its header or query form before any check. */
interface SigV4ClaimFields {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  /** The request date as it enters the string to sign (`yyyyMMdd'T'HHmmss'Z'`). */
  readonly amzDate: string;
  /** The same instant, for the time-window check. */
  readonly requestTime: Date;
  /** Lower-case, sorted; always includes `host`. */
  readonly signedHeaders: readonly string[];
  /** The hex signature the client sent. */
  readonly signature: string;
  readonly canonicalQuery: string;
  readonly sessionToken: PresentedSessionToken | undefined;
}

/** A SigV4 `Authorization` header request (spec/auth.md §4). */
export interface SigV4HeaderClaim extends SigV4ClaimFields {
  readonly kind: 'sigv4-header';
}

/** A SigV4 presigned URL (spec/auth.md §5). */
export interface SigV4QueryClaim extends SigV4ClaimFields {
  readonly kind: 'sigv4-query';
  /** Seconds after `requestTime` that the URL stays valid (1–604800). */
  readonly expiresSeconds: number;
}

/** What a SigV4-signed request claims: who signed it, for which scope and when. */
export type SigV4Claim = SigV4HeaderClaim | SigV4QueryClaim;
