import {
  unknownProtocol,
  unsupportedClassicProtocol,
  vpcProtocolRequired,
} from './ec2-errors.js';

/** The network scope a group lives in: EC2-Classic or a VPC (spec/semantics.md §1). */
export type Platform = 'classic' | 'vpc';

/**
 * A canonical protocol (spec/semantics.md §3.1): `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or
 * another IANA number as a decimal string.
 */
export type IpProtocol = string;

const NAMED: Readonly<Record<string, IpProtocol>> = {
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmpv6',
  '58': 'icmpv6',
};

/** IANA numbers of the named protocols, for the data plane and for filters. */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

const CLASSIC_PROTOCOLS = new Set(['tcp', 'udp', 'icmp']);

/**
 * Canonicalises a protocol given on the wire for a group of `platform`. Names are
 * case-insensitive; `6`/`17`/`1`/`58` become names; `all` and other names are unknown
 * (spec/semantics.md §3.1, field). Throws InvalidParameterValue or, for Classic,
 * InvalidPermission.Malformed.
 */
export function canonicalProtocol(input: string | undefined, platform: Platform): IpProtocol {
  if (input === undefined) {
    // Callers handle Classic's "omitted with a group peer" before asking (spec/semantics.md §3.4).
    if (platform === 'vpc') throw vpcProtocolRequired();
    throw unknownProtocol('null');
  }
  const lower = input.toLowerCase();
  // Own keys only: `constructor` or `__proto__` must not find Object's members.
  let canonical: IpProtocol | undefined = Object.hasOwn(NAMED, lower) ? NAMED[lower] : undefined;
  if (canonical === undefined) {
    if (lower === '-1') canonical = '-1';
    else if (/^[0-9]{1,3}$/.test(lower) && Number(lower) <= 255) canonical = String(Number(lower));
  }
  if (platform === 'classic') {
    // Classic accepts tcp/udp/icmp (or their numbers) only (spec/semantics.md §3.1, field).
    if (canonical === undefined || !CLASSIC_PROTOCOLS.has(canonical)) throw unsupportedClassicProtocol(input);
    return canonical;
  }
  if (canonical === undefined) throw unknownProtocol(input);
  return canonical;
}

/** Reports whether rules of this protocol carry a port range (tcp/udp). */
export function hasPortRange(protocol: IpProtocol): boolean {
  return protocol === 'tcp' || protocol === 'udp';
}

/** Reports whether rules of this protocol carry an ICMP type and code. */
export function hasIcmpTypeCode(protocol: IpProtocol): boolean {
  return protocol === 'icmp' || protocol === 'icmpv6';
}

/** Reports whether the protocol's rules carry any port spec at all (spec/semantics.md §3.2). */
export function hasPortSpec(protocol: IpProtocol): boolean {
  return hasPortRange(protocol) || hasIcmpTypeCode(protocol);
}
