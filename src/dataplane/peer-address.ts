/**
 * Address text → 32-bit words, without allocating, for the evaluator's hot path. It accepts
 * exactly the texts that `parseIpv4Address` and `parseIpv6Address` (domain/cidr.ts) accept; a
 * property test in peer-address.test.ts holds the two together. Words are signed 32-bit integers
 * holding the address bits, because V8 keeps those unboxed where an unsigned value above 2^31
 * could become a heap number.
 */

/** Words per address of each family: IPv4 is one word, IPv6 four (most significant first). */
export const IPV4_WORDS = 1;
export const IPV6_WORDS = 4;

/** What `decodePeerAddress` found: 0 for not an address, else the family. */
export type DecodedFamily = 0 | 4 | 6;

// Scratch for the eight 16-bit groups of an IPv6 address and a dotted-quad tail. Module-level so
// that decoding never allocates; only `decodePeerAddress` and its helpers touch them, and they
// finish before returning (JavaScript runs them to completion, nothing can interleave).
const GROUPS = new Int32Array(8);
const DOTTED = new Int32Array(1);

const COLON = 58;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Decodes `text` into `out` and reports its family: 4 with the address in `out[0]`, 6 with the
 * 128 bits in `out[0..3]`, or 0 (and `out` unspecified) when `text` is not an address. `out` must
 * hold at least four words.
 */
export function decodePeerAddress(text: string, out: Int32Array): DecodedFamily {
  // IPv4 first, as domain/cidr.ts tries it: an IPv6 text fails it within its first five
  // characters (a hex letter, or the colon after at most four digits).
  if (decodeIpv4(text, 0, text.length, out, 0)) return 4;
  return decodeIpv6(text, out) ? 6 : 0;
}

/**
 * Dotted quad in `text[start, end)` → `out[index]`. Octets are plain decimal 0–255 without
 * leading zeros (spec/semantics.md §4.1, as domain/cidr.ts reads them).
 */
function decodeIpv4(text: string, start: number, end: number, out: Int32Array, index: number): boolean {
  let value = 0;
  let octets = 0;
  let i = start;
  for (;;) {
    if (i >= end) return false;
    let c = text.charCodeAt(i);
    if (c < DIGIT_0 || c > DIGIT_9) return false;
    let octet = c - DIGIT_0;
    let digits = 1;
    i++;
    while (i < end) {
      c = text.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) break;
      // `0` alone is an octet; `01` is a leading zero and refused.
      if (octet === 0 || digits === 3) return false;
      octet = octet * 10 + (c - DIGIT_0);
      digits++;
      i++;
    }
    if (octet > 255) return false;
    value = (value << 8) | octet;
    octets++;
    if (i === end) break;
    if (text.charCodeAt(i) !== DOT || octets === 4) return false;
    i++;
  }
  if (octets !== 4) return false;
  out[index] = value;
  return true;
}

/** RFC 4291 §2.2 text (`::` once at most, an optional dotted-quad tail) → `out[0..3]`. */
function decodeIpv6(text: string, out: Int32Array): boolean {
  const length = text.length;
  let count = 0;
  // Index in GROUPS where `::` stands, or -1.
  let gap = -1;
  let i = 0;
  if (length >= 2 && text.charCodeAt(0) === COLON && text.charCodeAt(1) === COLON) {
    gap = 0;
    i = 2;
  }
  while (i < length) {
    const tokenStart = i;
    let value = 0;
    while (i < length) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = (value << 4) | h;
      i++;
    }
    if (i < length && text.charCodeAt(i) === DOT) {
      // An embedded IPv4 tail (RFC 4291 §2.2 item 3) runs to the end and counts as two groups.
      if (count > 6 || !decodeIpv4(text, tokenStart, length, DOTTED, 0)) return false;
      const v4 = DOTTED[0] ?? 0;
      GROUPS[count++] = (v4 >>> 16) & 0xffff;
      GROUPS[count++] = v4 & 0xffff;
      break;
    }
    const digits = i - tokenStart;
    if (digits === 0 || digits > 4 || count === 8) return false;
    GROUPS[count++] = value;
    if (i === length) break;
    if (text.charCodeAt(i) !== COLON) return false;
    i++;
    if (i < length && text.charCodeAt(i) === COLON) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === length) {
      return false;
    }
  }
  // Without `::` all eight groups are written; with it, `::` stands for at least one.
  if (gap === -1 ? count !== 8 : count > 7) return false;
  if (gap !== -1) {
    const tail = count - gap;
    for (let k = tail - 1; k >= 0; k--) GROUPS[8 - tail + k] = GROUPS[gap + k] ?? 0;
    for (let k = gap; k < 8 - tail; k++) GROUPS[k] = 0;
  }
  out[0] = ((GROUPS[0] ?? 0) << 16) | (GROUPS[1] ?? 0);
  out[1] = ((GROUPS[2] ?? 0) << 16) | (GROUPS[3] ?? 0);
  out[2] = ((GROUPS[4] ?? 0) << 16) | (GROUPS[5] ?? 0);
  out[3] = ((GROUPS[6] ?? 0) << 16) | (GROUPS[7] ?? 0);
  return true;
}

function hexValue(c: number): number {
  if (c >= DIGIT_0 && c <= DIGIT_9) return c - DIGIT_0;
  // `| 0x20` lower-cases an ASCII letter.
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}
