/**
 * Canonical query strings for both signature versions: RFC 3986 percent-encoding, the sort
 * order each version wants, and `name=value` pairs joined with `&` (spec/auth.md §3.2, §4.2).
 */

/** One form-decoded `name=value` pair, in the order received. */
export type QueryPair = readonly [name: string, value: string];

/** RFC 3986 §2.3 unreserved characters; every other byte is percent-encoded. */
const NEEDS_ENCODING = /[^A-Za-z0-9\-_.~]/;

/** `%XX` (upper-case hex) for every byte that is not unreserved, the byte itself otherwise. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return NEEDS_ENCODING.test(char) ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}` : char;
});

/**
 * Percent-encodes the UTF-8 bytes of `value`, leaving only `A–Z a–z 0–9 - _ . ~` as they are, so a
 * space is `%20`, `/` is `%2F` and `*` is `%2A` (spec/auth.md §3.2 step 3). Never throws: a lone
 * surrogate becomes the bytes of U+FFFD, as `Buffer.from` writes it.
 */
export function percentEncodeRfc3986(value: string): string {
  if (!NEEDS_ENCODING.test(value)) {
    return value;
  }
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    encoded += ENCODED_BYTE[byte] ?? '';
  }
  return encoded;
}

/**
 * The form-decoded pairs of a raw query string (no leading `?`), in order, duplicates kept:
 * `+` becomes a space and `%XX` a byte, as for the rest of the request (spec/auth.md §3.2 step 1).
 */
export function queryPairsFromRawQuery(rawQuery: string): QueryPair[] {
  if (rawQuery === '') {
    return [];
  }
  return Array.from(new URLSearchParams(rawQuery));
}

/**
 * The SigV4 canonical query string: every pair encoded, sorted by encoded name then encoded value,
 * joined with `&`; a pair named `excludedName` (the presigned `X-Amz-Signature`) is left out
 * (spec/auth.md §4.2, §5).
 */
export function sigV4CanonicalQuery(pairs: Iterable<QueryPair>, excludedName?: string): string {
  const encoded: string[][] = [];
  for (const [name, value] of pairs) {
    if (name !== excludedName) {
      encoded.push([percentEncodeRfc3986(name), percentEncodeRfc3986(value)]);
    }
  }
  // Encoded text is ASCII, so comparing UTF-16 code units is comparing bytes.
  encoded.sort(([nameA = '', valueA = ''], [nameB = '', valueB = '']) =>
    nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0,
  );
  return encoded.map(([name = '', value = '']) => `${name}=${value}`).join('&');
}

/**
 * The SigV2 canonical query string: pairs sorted by name byte-wise (UTF-8, case-sensitive) before
 * encoding, then encoded and joined with `&` (spec/auth.md §3.2 steps 2–4). The caller leaves out
 * `Signature`.
 */
export function sigV2CanonicalQuery(pairs: Iterable<QueryPair>): string {
  const sorted = Array.from(pairs).sort(
    ([nameA, valueA], [nameB, valueB]) => compareUtf8(nameA, nameB) || compareUtf8(valueA, valueB),
  );
  return sorted.map(([name, value]) => `${percentEncodeRfc3986(name)}=${percentEncodeRfc3986(value)}`).join('&');
}

/** Code units from U+D800 up: where UTF-16 order and UTF-8 byte order can disagree. */
const SURROGATE_OR_ABOVE = /[\uD800-\uFFFF]/;

/** Orders two strings by their UTF-8 bytes (which is code-point order). */
function compareUtf8(a: string, b: string): number {
  if (SURROGATE_OR_ABOVE.test(a) || SURROGATE_OR_ABOVE.test(b)) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
