import { authFailure } from '../../domain/ec2-errors.js';
import { constantTimeEqual } from './constant-time-equal.js';
import type { AccessKeySecret } from './signed-request.js';

/** A session token as a request carries it, and whether its signature covers it. */
export interface PresentedSessionToken {
  readonly value: string;
  /** True when the token is part of what was signed (every SigV2 parameter and query parameter is). */
  readonly signed: boolean;
}

/**
 * Checks the request's session token against the key record (spec/auth.md §1). Throws
 * `AuthFailure` when the record has a token and the request does not carry the same one, signed.
 */
export function checkSessionToken(key: AccessKeySecret, presented: PresentedSessionToken | undefined): void {
  if (key.sessionToken === undefined) {
    // A token sent with long-term credentials is refused, as AWS refuses it (spec/auth.md §1,
    // UNCONFIRMED: the spec covers only keys that have a token).
    if (presented !== undefined) {
      throw authFailure();
    }
    return;
  }
  if (presented === undefined || !presented.signed || !constantTimeEqual(key.sessionToken, presented.value)) {
    // AuthFailure, UNCONFIRMED: AWS-wide alternatives are InvalidClientTokenId/UnrecognizedClientException (spec/auth.md §1).
    throw authFailure();
  }
}
