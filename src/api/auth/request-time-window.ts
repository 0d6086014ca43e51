import { authFailure, requestExpired } from '../../domain/ec2-errors.js';
import type { SigV2Claim } from './sigv2-claim.js';
import type { SigV4Claim } from './sigv4-claim.js';

/** Largest difference between request time and server time, either way: 15 minutes (spec/auth.md §3.4, §4.4). */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Checks the request's time against `now` (spec/auth.md §3.4, §4.4, §5). Throws `AuthFailure` for
 * a SigV4 request more than 15 minutes off; `RequestExpired` for a SigV2 `Timestamp` more than 15
 * minutes off, a SigV2 `Expires` that has passed, or a presigned URL past `X-Amz-Expires`.
 */
export function checkRequestTime(claim: SigV4Claim | SigV2Claim, now: Date): void {
  const nowMs = now.getTime();
  switch (claim.kind) {
    case 'sigv4-header':
      // Clock skew gets AuthFailure, not a skew-specific code (spec/errors.md §3.1, field).
      if (Math.abs(nowMs - claim.requestTime.getTime()) > MAX_CLOCK_SKEW_MS) {
        throw authFailure();
      }
      return;
    case 'sigv4-query':
      // A presigned URL dated in the future is skewed like a header request (UNCONFIRMED, spec/auth.md §5).
      if (claim.requestTime.getTime() - nowMs > MAX_CLOCK_SKEW_MS) {
        throw authFailure();
      }
      // RequestExpired, UNCONFIRMED code for EC2 (spec/auth.md §5).
      if (nowMs > claim.requestTime.getTime() + claim.expiresSeconds * 1000) {
        throw requestExpired();
      }
      return;
    case 'sigv2':
      if (claim.validity.kind === 'timestamp') {
        if (Math.abs(nowMs - claim.validity.at.getTime()) > MAX_CLOCK_SKEW_MS) {
          throw requestExpired();
        }
      } else if (nowMs > claim.validity.at.getTime()) {
        // Expires far in the future is accepted (spec/auth.md §3.4).
        throw requestExpired();
      }
      return;
    default:
      return assertNever(claim);
  }
}

function assertNever(claim: never): never {
  throw new Error(`unhandled signature claim ${String(claim)}`);
}
