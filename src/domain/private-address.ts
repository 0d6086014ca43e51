import { formatIpv4Address, ipv4CidrHostRange, parseIpv4Address, parseIpv4Cidr } from './cidr.js';

/** The range EC2-Classic private addresses come from (10.0.0.0/8, as in EC2-Classic). */
export const CLASSIC_PRIVATE_POOL = '10.0.0.0/8';

/**
 * Returns the lowest free address of `cidr` for an instance: AWS reserves the first four addresses
 * and the last of every subnet, so those are never handed out. Undefined when the range is full.
 */
export function allocatePrivateAddress(cidr: string, used: ReadonlySet<string>): string | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (parsed === undefined) return undefined;
  const { first, last } = ipv4CidrHostRange(parsed);
  for (let a = first + 4; a < last; a++) {
    const address = formatIpv4Address(a);
    if (!used.has(address)) return address;
  }
  return undefined;
}

/** Reports whether `address` may be given to an instance in `cidr` (inside it, not reserved). */
export function isAssignableAddress(cidr: string, address: string): boolean {
  const parsed = parseIpv4Cidr(cidr);
  const a = parseIpv4Address(address);
  if (parsed === undefined || a === undefined) return false;
  const { first, last } = ipv4CidrHostRange(parsed);
  return a >= first + 4 && a < last;
}
