import { authFailure, sigV2ParameterMissing, signatureUnsupported } from '../../domain/ec2-errors.js';
import type { QueryPair } from './canonical-query.js';
import { headerValue } from './header-value.js';
import type { SignedRequest } from './signed-request.js';
import { SIGV4_AUTHORIZATION_PREFIX } from './sigv4-authorization-header.js';

/** The signature scheme a request uses; the header form keeps its `Authorization` value. */
export type AuthScheme =
  | { readonly kind: 'sigv4-header'; readonly authorization: string }
  | { readonly kind: 'sigv4-query' }
  | { readonly kind: 'sigv2' };

/**
 * Chooses the scheme in the order of spec/auth.md §2: an `Authorization: AWS4-HMAC-SHA256 …`
 * header, then an `X-Amz-Algorithm` query parameter, then `SignatureVersion=2`. Throws
 * `IncompleteSignature` for any other `SignatureVersion`, for other `AWS…` Authorization schemes
 * (S3-style SigV2), and for SigV2 parameters without `SignatureVersion`; `AuthFailure` when the
 * request carries no credentials at all.
 */
export function detectAuthScheme(req: SignedRequest, queryPairs: readonly QueryPair[]): AuthScheme {
  const authorization = headerValue(req.headers, 'authorization');
  if (authorization?.startsWith(SIGV4_AUTHORIZATION_PREFIX) === true) {
    return { kind: 'sigv4-header', authorization };
  }
  if (queryPairs.some(([name]) => name === 'X-Amz-Algorithm')) {
    return { kind: 'sigv4-query' };
  }
  const signatureVersion = req.params.get('SignatureVersion');
  if (signatureVersion === '2') {
    return { kind: 'sigv2' };
  }
  // Versions 0 and 1 and S3-style `AWS <key>:<sig>` are refused (spec/auth.md §2 step 4, UNCONFIRMED code).
  if (signatureVersion !== undefined || authorization?.startsWith('AWS') === true) {
    throw signatureUnsupported();
  }
  // SigV2 auth parameters without SignatureVersion (spec/errors.md §3.1).
  if (req.params.has('AWSAccessKeyId') || req.params.has('Signature')) {
    throw sigV2ParameterMissing('SignatureVersion');
  }
  // No credentials at all (spec/auth.md §2 step 5; peer, UNCONFIRMED for AWS).
  throw authFailure();
}
