import {
  amzDateMalformed,
  presignedAlgorithmUnsupported,
  presignedExpiresInvalid,
  presignedQueryIncomplete,
} from '../../domain/ec2-errors.js';
import type { PresignedParameter } from '../../domain/ec2-errors.js';
import { sigV4CanonicalQuery } from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';
import { parseCredential } from './credential-scope.js';
import { headerValue } from './header-value.js';
import { parseAmzDate } from './request-date.js';
import type { PresentedSessionToken } from './session-token.js';
import { parseSignedHeaders } from './signed-headers.js';
import type { SignedRequest } from './signed-request.js';
import type { SigV4QueryClaim } from './sigv4-claim.js';
import { SIGV4_ALGORITHM } from './sigv4-string-to-sign.js';

/** Longest validity a presigned URL may ask for: seven days (spec/auth.md §5). */
const MAX_EXPIRES_SECONDS = 604_800;

/**
 * Reads what a SigV4 presigned URL claims from its `X-Amz-*` query parameters (spec/auth.md §5).
 * Throws `IncompleteSignature` when one is missing or malformed, the algorithm is not
 * `AWS4-HMAC-SHA256`, or `host` is unsigned. Checks nothing against keys or the clock.
 */
export function sigV4ClaimFromQuery(req: SignedRequest, queryPairs: readonly QueryPair[]): SigV4QueryClaim {
  const param = (name: string): string | undefined => queryPairs.find(([n]) => n === name)?.[1];
  const algorithm = param('X-Amz-Algorithm');
  const credential = param('X-Amz-Credential');
  const signature = param('X-Amz-Signature');
  const signedHeaders = param('X-Amz-SignedHeaders');
  const amzDate = param('X-Amz-Date');
  const expires = param('X-Amz-Expires');
  if (
    algorithm === undefined ||
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined ||
    amzDate === undefined ||
    expires === undefined
  ) {
    const required: readonly (readonly [PresignedParameter, string | undefined])[] = [
      ['X-Amz-Algorithm', algorithm],
      ['X-Amz-Credential', credential],
      ['X-Amz-Signature', signature],
      ['X-Amz-SignedHeaders', signedHeaders],
      ['X-Amz-Date', amzDate],
      ['X-Amz-Expires', expires],
    ];
    const missing = required.filter(([, value]) => value === undefined).map(([name]) => name);
    throw presignedQueryIncomplete(missing);
  }
  if (algorithm !== SIGV4_ALGORITHM) {
    throw presignedAlgorithmUnsupported();
  }
  const scope = parseCredential(credential);
  const signedHeaderNames = parseSignedHeaders(signedHeaders);
  const requestTime = parseAmzDate(amzDate);
  if (requestTime === undefined) {
    throw amzDateMalformed(amzDate);
  }
  return {
    kind: 'sigv4-query',
    accessKeyId: scope.accessKeyId,
    scope,
    amzDate,
    requestTime,
    expiresSeconds: parseExpires(expires),
    signedHeaders: signedHeaderNames,
    signature,
    // Every query parameter is signed except the signature itself (spec/auth.md §5).
    canonicalQuery: sigV4CanonicalQuery(queryPairs, 'X-Amz-Signature'),
    sessionToken: sessionTokenOf(req, queryPairs, signedHeaderNames),
  };
}

/** `X-Amz-Expires`: whole seconds from 1 to 604800, else `IncompleteSignature` (spec/auth.md §5). */
function parseExpires(value: string): number {
  const seconds = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_EXPIRES_SECONDS)) {
    throw presignedExpiresInvalid(value);
  }
  return seconds;
}

/** The `X-Amz-Security-Token` query parameter (signed with the query), else the header (signed only if listed). */
function sessionTokenOf(
  req: SignedRequest,
  queryPairs: readonly QueryPair[],
  signedHeaders: readonly string[],
): PresentedSessionToken | undefined {
  const fromQuery = queryPairs.find(([name]) => name === 'X-Amz-Security-Token');
  if (fromQuery !== undefined) {
    return { value: fromQuery[1], signed: true };
  }
  const fromHeader = headerValue(req.headers, 'x-amz-security-token');
  return fromHeader === undefined ? undefined : { value: fromHeader, signed: signedHeaders.includes('x-amz-security-token') };
}
