import { containsAddress, formatIpv6Address, parseIpv6Address, type Ipv6Cidr } from './cidr.js';

/**
 * IPv6 addresses of instances, from their subnet's /64 (issue 10). As for IPv4, AWS reserves the
 * first four and the last address of every subnet block, IPv6 ones included (Amazon VPC user
 * guide, "Subnet CIDR blocks"). Addresses are kept as canonical RFC 5952 text, so two spellings of
 * one address are one address.
 */

/** Reports whether `address` (a 128-bit bigint) may be given to an instance in `block`. */
export function isAssignableIpv6Address(block: Ipv6Cidr, address: bigint): boolean {
  const last = block.network | (~block.mask & ((1n << 128n) - 1n));
  return containsAddress(block, address) && address >= block.network + 4n && address < last;
}

/**
 * Returns the canonical text of `text` if it is an address that may be given in `block`, else
 * undefined (not an IPv6 address, outside the block, or reserved).
 */
export function assignableIpv6Address(block: Ipv6Cidr, text: string): string | undefined {
  const address = parseIpv6Address(text);
  return address !== undefined && isAssignableIpv6Address(block, address) ? formatIpv6Address(address) : undefined;
}

/**
 * Returns the lowest address of `block` that may be given and is not in `used`. EC2 picks addresses
 * of its own choosing; lowest-free keeps the log deterministic (no randomness in domain/). A /64
 * never runs out here, so the search is bounded by the addresses in use.
 */
export function allocateIpv6Address(block: Ipv6Cidr, used: ReadonlySet<string>): string | undefined {
  for (let address = block.network + 4n; isAssignableIpv6Address(block, address); address++) {
    const text = formatIpv6Address(address);
    if (!used.has(text)) return text;
  }
  return undefined;
}
