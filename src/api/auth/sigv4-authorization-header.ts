import { authorizationPairMalformed } from '../../domain/ec2-errors.js';

/** The components of a SigV4 `Authorization` header; a missing or empty one is `undefined`. */
export interface SigV4AuthorizationHeader {
  readonly credential: string | undefined;
  readonly signedHeaders: string | undefined;
  readonly signature: string | undefined;
}

/** The algorithm prefix that marks the SigV4 header form (spec/auth.md §2 step 1). */
export const SIGV4_AUTHORIZATION_PREFIX = 'AWS4-HMAC-SHA256 ';

/**
 * Splits `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` into its components:
 * separated by `,` with optional spaces, unknown names ignored (spec/auth.md §4.1). Throws
 * `IncompleteSignature` for a component without `=`; the caller reports missing ones.
 */
export function parseSigV4AuthorizationHeader(header: string): SigV4AuthorizationHeader {
  let credential: string | undefined;
  let signedHeaders: string | undefined;
  let signature: string | undefined;
  for (const part of header.slice(SIGV4_AUTHORIZATION_PREFIX.length).split(',')) {
    const token = part.trim();
    if (token === '') {
      continue;
    }
    const equals = token.indexOf('=');
    if (equals < 0) {
      throw authorizationPairMalformed(token, header);
    }
    const name = token.slice(0, equals).trim();
    const value = token.slice(equals + 1).trim();
    if (value === '') {
      continue;
    }
    if (name === 'Credential') {
      credential = value;
    } else if (name === 'SignedHeaders') {
      signedHeaders = value;
    } else if (name === 'Signature') {
      signature = value;
    }
  }
  return { credential, signedHeaders, signature };
}
