import {
  authFailure,
  parametersCannotBeCombined,
  requestDateInvalid,
  sigV2ParameterMissing,
  signatureMethodUnsupported,
} from '../../domain/ec2-errors.js';
import { parseIso8601Timestamp } from './request-date.js';
import type { PresentedSessionToken } from './session-token.js';
import { isSigV2SignatureMethod } from './sigv2.js';
import type { SigV2SignatureMethod } from './sigv2.js';

/** Until when a SigV2 request is good: a `Timestamp` (±15 minutes) or an `Expires` instant. */
export type SigV2Validity =
  | { readonly kind: 'timestamp'; readonly at: Date }
  | { readonly kind: 'expires'; readonly at: Date };

/** What a SigV2-signed request claims (spec/auth.md §3.1). */
export interface SigV2Claim {
  readonly kind: 'sigv2';
  readonly accessKeyId: string;
  readonly signatureMethod: SigV2SignatureMethod;
  /** The base64 signature the client sent. */
  readonly signature: string;
  readonly validity: SigV2Validity;
  readonly sessionToken: PresentedSessionToken | undefined;
}

/**
 * Reads the SigV2 auth parameters of a request that sent `SignatureVersion=2` (spec/auth.md §3.1).
 * Throws `AuthFailure` without `AWSAccessKeyId` (no credentials at all, spec/errors.md §3.1);
 * `IncompleteSignature` without `SignatureMethod`, `Signature` or one of `Timestamp`/`Expires`;
 * `InvalidParameterValue` for another signature method or an unparsable date (UNCONFIRMED codes,
 * spec/auth.md §3.1, §3.4); `InvalidParameterCombination` for both `Timestamp` and `Expires`.
 */
export function sigV2ClaimFromParams(params: ReadonlyMap<string, string>): SigV2Claim {
  const accessKeyId = params.get('AWSAccessKeyId');
  if (accessKeyId === undefined) {
    throw authFailure();
  }
  const signatureMethod = params.get('SignatureMethod');
  if (signatureMethod === undefined) {
    throw sigV2ParameterMissing('SignatureMethod');
  }
  const signature = params.get('Signature');
  if (signature === undefined) {
    throw sigV2ParameterMissing('Signature');
  }
  const timestamp = params.get('Timestamp');
  const expires = params.get('Expires');
  if (timestamp === undefined && expires === undefined) {
    throw sigV2ParameterMissing('Timestamp');
  }
  if (!isSigV2SignatureMethod(signatureMethod)) {
    throw signatureMethodUnsupported(signatureMethod);
  }
  if (timestamp !== undefined && expires !== undefined) {
    // "either Timestamp or Expires, but not both" (spec/auth.md §3.1, aws-doc).
    throw parametersCannotBeCombined('Timestamp', 'Expires');
  }
  return {
    kind: 'sigv2',
    accessKeyId,
    signatureMethod,
    signature,
    validity: validityOf(timestamp, expires),
    sessionToken: sessionTokenOf(params.get('SecurityToken')),
  };
}

function validityOf(timestamp: string | undefined, expires: string | undefined): SigV2Validity {
  if (timestamp !== undefined) {
    const at = parseIso8601Timestamp(timestamp);
    if (at === undefined) {
      throw requestDateInvalid('Timestamp', timestamp);
    }
    return { kind: 'timestamp', at };
  }
  const at = expires === undefined ? undefined : parseIso8601Timestamp(expires);
  if (at === undefined) {
    throw requestDateInvalid('Expires', expires ?? '');
  }
  return { kind: 'expires', at };
}

/** `SecurityToken` is a parameter like any other, so the signature always covers it (spec/auth.md §3.1). */
function sessionTokenOf(value: string | undefined): PresentedSessionToken | undefined {
  return value === undefined ? undefined : { value, signed: true };
}
