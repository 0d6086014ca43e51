import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { queryPairsFromRawQuery, sigV4CanonicalQuery } from './canonical-query.js';
import type { SignedRequest } from './signed-request.js';
import { sigV4CanonicalRequest } from './sigv4-canonical-request.js';
import { sigV4SigningKey } from './sigv4-signing-key.js';
import { sigV4StringToSign } from './sigv4-string-to-sign.js';

/** A request as a test writes it: the target is path plus optional `?query`, headers in any case. */
export interface RequestSpecForTest {
  readonly method: string;
  readonly target: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string | Buffer;
}

/**
 * Builds the `SignedRequest` the server would hand to `authenticate`: header names lower-cased and
 * repeats joined with `, ` as Node does, and `params` form-decoded from query then body (body wins).
 */
export function signedRequestForTest(spec: RequestSpecForTest): SignedRequest {
  const queryAt = spec.target.indexOf('?');
  const path = queryAt < 0 ? spec.target : spec.target.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : spec.target.slice(queryAt + 1);
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of spec.headers) {
    const lower = name.toLowerCase();
    const previous = headers[lower];
    headers[lower] = typeof previous === 'string' ? `${previous}, ${value}` : value;
  }
  const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : (spec.body ?? Buffer.alloc(0));
  const params = new Map<string, string>(queryPairsFromRawQuery(rawQuery));
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    params.set(name, value);
  }
  return { method: spec.method, path, rawQuery, headers, body, params };
}

/** What the test signer needs besides the request. */
export interface SigV4KeyForTest {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly amzDate: string;
}

/**
 * Signs `req` (SigV4 header form) over `signedHeaders` and returns the `Authorization` value. It
 * reuses the verifier's own building blocks, so tests first prove it against spec/auth.md §4.5.
 */
export function sigV4AuthorizationForTest(req: SignedRequest, key: SigV4KeyForTest, signedHeaders: readonly string[]): string {
  const names = [...signedHeaders].sort();
  const canonicalRequest = sigV4CanonicalRequest({
    method: req.method,
    path: req.path,
    canonicalQuery: sigV4CanonicalQuery(queryPairsFromRawQuery(req.rawQuery)),
    headers: req.headers,
    signedHeaders: names,
    payloadHash: createHash('sha256').update(req.body).digest('hex'),
  });
  const scope = `${key.date}/${key.region}/${key.service}/aws4_request`;
  const stringToSign = sigV4StringToSign(key.amzDate, scope, canonicalRequest);
  const signingKey = sigV4SigningKey(key.secretAccessKey, key.date, key.region, key.service);
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}
