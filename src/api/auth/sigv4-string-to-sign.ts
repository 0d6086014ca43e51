import { hash } from 'node:crypto';

/** The algorithm name on the first line of every SigV4 string to sign (spec/auth.md §4.3). */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * The SigV4 string to sign: algorithm, request date (`yyyyMMdd'T'HHmmss'Z'`), credential scope and
 * the hex SHA-256 of the canonical request, joined by newlines (spec/auth.md §4.3).
 */
export function sigV4StringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
  // The one-shot `hash` (which encodes strings as UTF-8) costs half a Hash object's CPU here.
  const canonicalRequestHash = hash('sha256', canonicalRequest, 'hex');
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${credentialScope}\n${canonicalRequestHash}`;
}
