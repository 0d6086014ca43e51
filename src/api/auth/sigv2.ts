import { createHmac } from 'node:crypto';
import { signatureDoesNotMatch } from '../../domain/ec2-errors.js';
import { sigV2CanonicalQuery } from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';
import { constantTimeEqual } from './constant-time-equal.js';
import { headerValue } from './header-value.js';
import type { SignedRequest } from './signed-request.js';

/** The SigV2 `SignatureMethod` values accepted (spec/auth.md §3.1). */
export const SIGV2_SIGNATURE_METHODS = ['HmacSHA256', 'HmacSHA1'] as const;

/** A SigV2 `SignatureMethod` value. */
export type SigV2SignatureMethod = (typeof SIGV2_SIGNATURE_METHODS)[number];

/** The node:crypto digest behind each signature method. */
const DIGEST: Record<SigV2SignatureMethod, 'sha256' | 'sha1'> = { HmacSHA256: 'sha256', HmacSHA1: 'sha1' };

/** Reports whether `method` is a SigV2 signature method this server accepts. */
export function isSigV2SignatureMethod(method: string): method is SigV2SignatureMethod {
  return (SIGV2_SIGNATURE_METHODS as readonly string[]).includes(method);
}

/**
 * The SigV2 string to sign: upper-case method, lower-cased Host (with `:port` when the client sent
 * one), the path (`/` when empty) and the canonical query string of every parameter except
 * `Signature`, joined by newlines (spec/auth.md §3.2). `params` are form-decoded values. Shared
 * with the legacy CLI, which signs with it.
 */
export function sigV2StringToSign(
  method: string,
  host: string,
  path: string,
  params: ReadonlyMap<string, string> | Iterable<[string, string]>,
): string {
  const signed: QueryPair[] = [];
  for (const [name, value] of params) {
    if (name !== 'Signature') {
      signed.push([name, value]);
    }
  }
  return `${method.toUpperCase()}\n${host.toLowerCase()}\n${path === '' ? '/' : path}\n${sigV2CanonicalQuery(signed)}`;
}

/**
 * The SigV2 signature: base64 of HMAC-SHA256 or HMAC-SHA1 over the string to sign, keyed with the
 * UTF-8 secret (spec/auth.md §3.2). Shared with the legacy CLI, which signs with it.
 */
export function sigV2Signature(
  stringToSign: string,
  secretAccessKey: string,
  signatureMethod: SigV2SignatureMethod,
): string {
  return createHmac(DIGEST[signatureMethod], Buffer.from(secretAccessKey, 'utf8'))
    .update(stringToSign, 'utf8')
    .digest('base64');
}

/**
 * Checks a SigV2 request's `signature` against `secretAccessKey`, over every parameter of the
 * request (query and body) and its Host header as received. Throws `SignatureDoesNotMatch` when
 * they differ (spec/auth.md §3.2).
 */
export function verifySigV2Signature(
  req: SignedRequest,
  signatureMethod: SigV2SignatureMethod,
  signature: string,
  secretAccessKey: string,
): void {
  const stringToSign = sigV2StringToSign(req.method, headerValue(req.headers, 'host') ?? '', req.path, req.params);
  if (!constantTimeEqual(sigV2Signature(stringToSign, secretAccessKey, signatureMethod), signature)) {
    throw signatureDoesNotMatch();
  }
}
