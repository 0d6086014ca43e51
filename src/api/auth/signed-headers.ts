import { hostHeaderNotSigned } from '../../domain/ec2-errors.js';

/**
 * Parses a `SignedHeaders` list (`content-type;host;x-amz-date`) into lower-case names, sorted as
 * the canonical request lists them. Throws `IncompleteSignature` when `host` is not among them
 * (spec/auth.md §4.2, §5).
 */
export function parseSignedHeaders(value: string): readonly string[] {
  const names = value
    .split(';')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
    .sort();
  if (!names.includes('host')) {
    throw hostHeaderNotSigned();
  }
  return names;
}
