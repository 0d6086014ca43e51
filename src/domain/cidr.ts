/**
 * IPv4 and IPv6 CIDR blocks as EC2 security-group peers take them (spec/semantics.md §4.1, §4.2):
 * strict parsing, host bits cleared, one canonical text per block, and containment checks on
 * numeric forms. Pure: no I/O, and no `node:net` (its rules are not EC2's).
 */

/**
 * An IPv4 block. `network` is the first address as an unsigned 32-bit integer with the host bits
 * cleared, and `mask` the netmask in the same form, so containment is one AND and one compare.
 */
export interface Ipv4Cidr {
  readonly family: 4;
  /** Canonical text, e.g. `10.0.0.0/8`; two spellings of one block give the same text. */
  readonly text: string;
  readonly network: number;
  readonly prefixLength: number;
  readonly mask: number;
}

/**
 * An IPv6 block. `network` and `mask` are 128-bit unsigned bigints; bigints compare by value, so
 * an address can key a `Map` or `Set` directly.
 */
export interface Ipv6Cidr {
  readonly family: 6;
  /** Canonical RFC 5952 text, e.g. `2001:db8::/64`. */
  readonly text: string;
  readonly network: bigint;
  readonly prefixLength: number;
  readonly mask: bigint;
}

/** A CIDR block of either family; `family` is the discriminant. */
export type Cidr = Ipv4Cidr | Ipv6Cidr;

/** The first and last address (as unsigned 32-bit integers) of an IPv4 block, both included. */
export interface Ipv4AddressRange {
  readonly first: number;
  readonly last: number;
}

const IPV4_MAX_PREFIX_LENGTH = 32;
const IPV6_MAX_PREFIX_LENGTH = 128;
const IPV6_GROUP_COUNT = 8;
const IPV6_ALL_ONES = (1n << 128n) - 1n;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
// Plain decimal without leading zeros: `0`, or a non-zero digit and up to two more. Used for
// octets and prefix lengths alike.
const DECIMAL = /^(?:0|[1-9][0-9]{0,2})$/;

/**
 * Parses `a.b.c.d/n` (spec/semantics.md §4.1) and clears the host bits, so `10.0.0.1/8` gives
 * `10.0.0.0/8`. Returns undefined for anything else: no prefix, a prefix above 32, an octet above
 * 255, leading zeros, or whitespace anywhere.
 */
export function parseIpv4Cidr(value: string): Ipv4Cidr | undefined {
  const parts = splitPrefix(value, IPV4_MAX_PREFIX_LENGTH);
  if (parts === undefined) {
    return undefined;
  }
  const address = parseIpv4Address(parts.address);
  if (address === undefined) {
    return undefined;
  }
  const mask = ipv4Mask(parts.prefixLength);
  // Host bits set are accepted and cleared: `100.68.0.18/18` is stored as `100.68.0.0/18`
  // (spec/semantics.md §4.1, field).
  const network = (address & mask) >>> 0;
  return {
    family: 4,
    text: `${formatIpv4Address(network)}/${parts.prefixLength}`,
    network,
    prefixLength: parts.prefixLength,
    mask,
  };
}

/**
 * Parses an RFC 4291 §2.2 address with a mandatory `/n` (0–128) and clears the host bits
 * (spec/semantics.md §4.2). The text is canonical per RFC 5952, so `2001:DB8:0:0:1::1/64` gives
 * `2001:db8::/64`. Returns undefined for anything malformed, including zone ids and whitespace.
 */
export function parseIpv6Cidr(value: string): Ipv6Cidr | undefined {
  const parts = splitPrefix(value, IPV6_MAX_PREFIX_LENGTH);
  if (parts === undefined) {
    return undefined;
  }
  const address = parseIpv6Address(parts.address);
  if (address === undefined) {
    return undefined;
  }
  const mask = ipv6Mask(parts.prefixLength);
  // IPv6 blocks are canonicalised like IPv4 ones: host bits cleared, lower case, RFC 5952
  // compression (spec/semantics.md §4.2, model).
  const network = address & mask;
  return {
    family: 6,
    text: `${formatIpv6Address(network)}/${parts.prefixLength}`,
    network,
    prefixLength: parts.prefixLength,
    mask,
  };
}

/**
 * Parses a bare dotted-quad IPv4 address (no prefix) into an unsigned 32-bit integer. Each octet
 * is plain decimal 0–255 without leading zeros; anything else gives undefined.
 */
export function parseIpv4Address(value: string): number | undefined {
  const octets = value.split('.');
  if (octets.length !== 4) {
    return undefined;
  }
  let address = 0;
  for (const octet of octets) {
    // Leading zeros are rejected rather than read as decimal or octal (spec/semantics.md §4.1,
    // UNCONFIRMED).
    if (!DECIMAL.test(octet)) {
      return undefined;
    }
    const n = Number(octet);
    if (n > 255) {
      return undefined;
    }
    address = address * 256 + n;
  }
  return address;
}

/**
 * Parses a bare IPv6 address (no prefix) in any RFC 4291 §2.2 text form (`::` compression, an
 * embedded dotted-quad tail, either case) into a 128-bit unsigned bigint, or undefined.
 */
export function parseIpv6Address(value: string): bigint | undefined {
  const doubleColon = value.indexOf('::');
  // At most one `::` (RFC 4291 §2.2 item 2); this also rejects `:::`.
  if (doubleColon !== -1 && value.indexOf('::', doubleColon + 1) !== -1) {
    return undefined;
  }
  const head = doubleColon === -1 ? value : value.slice(0, doubleColon);
  const tail = doubleColon === -1 ? '' : value.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : groupsFromText(head, doubleColon === -1);
  const tailGroups = tail === '' ? [] : groupsFromText(tail, true);
  if (headGroups === undefined || tailGroups === undefined) {
    return undefined;
  }
  const explicitCount = headGroups.length + tailGroups.length;
  if (doubleColon === -1 ? explicitCount !== IPV6_GROUP_COUNT : explicitCount >= IPV6_GROUP_COUNT) {
    // Without `::` all eight groups are written; with it, `::` stands for at least one.
    return undefined;
  }
  const zeroCount = IPV6_GROUP_COUNT - explicitCount;
  let address = 0n;
  for (const group of headGroups) {
    address = (address << 16n) | BigInt(group);
  }
  address <<= BigInt(16 * zeroCount);
  for (const group of tailGroups) {
    address = (address << 16n) | BigInt(group);
  }
  return address;
}

/** Formats an unsigned 32-bit integer as a dotted quad, e.g. `167772160` → `10.0.0.0`. */
export function formatIpv4Address(address: number): string {
  const octets = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  return octets.join('.');
}

/**
 * Formats a 128-bit unsigned bigint as RFC 5952 §4 text: lower-case hex without leading zeros,
 * the longest run of two or more zero groups compressed to `::` (the first on a tie).
 */
export function formatIpv6Address(address: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) {
    groups.push(Number((address >> shift) & 0xffffn));
  }
  // RFC 5952 §4.2.2: a single zero group is never compressed; §4.2.3: the longest run wins and
  // the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  let runStart = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (runStart === -1) {
        runStart = i;
      }
    } else if (runStart !== -1) {
      if (i - runStart > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart;
      }
      runStart = -1;
    }
  }
  // RFC 5952 §5 (writing IPv4-mapped addresses with a dotted-quad tail) is a SHOULD we skip:
  // `::ffff:1.2.3.4` is written `::ffff:102:304`, which keeps one rule for every address.
  const hex = (part: readonly number[]): string => part.map((g) => g.toString(16)).join(':');
  if (bestStart === -1) {
    return hex(groups);
  }
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * Reports whether `address` lies in `cidr`. An IPv4 address is an unsigned 32-bit integer and an
 * IPv6 address a 128-bit unsigned bigint (as the parsers return them); an address of the other
 * family is never contained.
 */
export function containsAddress(cidr: Cidr, address: number | bigint): boolean {
  if (cidr.family === 4) {
    return typeof address === 'number' && (address & cidr.mask) >>> 0 === cidr.network;
  }
  return typeof address === 'bigint' && (address & cidr.mask) === cidr.network;
}

/**
 * Reports whether every address of `inner` lies in `outer` (a block contains itself). Blocks of
 * different families never contain each other.
 */
export function cidrContainsCidr(outer: Cidr, inner: Cidr): boolean {
  if (outer.family === 4) {
    return (
      inner.family === 4 &&
      outer.prefixLength <= inner.prefixLength &&
      (inner.network & outer.mask) >>> 0 === outer.network
    );
  }
  return (
    inner.family === 6 &&
    outer.prefixLength <= inner.prefixLength &&
    (inner.network & outer.mask) === outer.network
  );
}

/**
 * Returns the first (network) and last (broadcast) address of an IPv4 block, both included.
 * Addresses a VPC reserves inside a subnet are the allocator's business, not this function's.
 */
export function ipv4CidrHostRange(cidr: Ipv4Cidr): Ipv4AddressRange {
  return { first: cidr.network, last: (cidr.network | ~cidr.mask) >>> 0 };
}

/** Splits `address/n`, checking that there is exactly one `/` and that n is 0..max in decimal. */
function splitPrefix(
  value: string,
  maxPrefixLength: number,
): { readonly address: string; readonly prefixLength: number } | undefined {
  const slash = value.indexOf('/');
  // The prefix is mandatory: a bare address is malformed (spec/semantics.md §4.1).
  if (slash === -1) {
    return undefined;
  }
  const prefixText = value.slice(slash + 1);
  // `/08` is rejected like a leading-zero octet (spec/semantics.md §4.1, UNCONFIRMED).
  if (!DECIMAL.test(prefixText)) {
    return undefined;
  }
  const prefixLength = Number(prefixText);
  if (prefixLength > maxPrefixLength) {
    return undefined;
  }
  return { address: value.slice(0, slash), prefixLength };
}

/** The netmask for an IPv4 prefix length, as an unsigned 32-bit integer. */
function ipv4Mask(prefixLength: number): number {
  // JavaScript shift counts are taken mod 32, so `<< 32` would be `<< 0`: /0 is special.
  return prefixLength === 0 ? 0 : (0xffffffff << (IPV4_MAX_PREFIX_LENGTH - prefixLength)) >>> 0;
}

/** The netmask for an IPv6 prefix length, as a 128-bit unsigned bigint. */
function ipv6Mask(prefixLength: number): bigint {
  return (IPV6_ALL_ONES << BigInt(IPV6_MAX_PREFIX_LENGTH - prefixLength)) & IPV6_ALL_ONES;
}

/**
 * Reads the colon-separated groups on one side of `::` as 16-bit numbers. When `endsAddress`,
 * the last group may be a dotted quad (RFC 4291 §2.2 item 3) and counts as two groups.
 */
function groupsFromText(text: string, endsAddress: boolean): number[] | undefined {
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === undefined) {
      return undefined;
    }
    if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
      continue;
    }
    if (!endsAddress || i !== parts.length - 1) {
      return undefined;
    }
    const ipv4 = parseIpv4Address(part);
    if (ipv4 === undefined) {
      return undefined;
    }
    groups.push(ipv4 >>> 16, ipv4 & 0xffff);
  }
  return groups;
}
