import { PROTOCOL_NUMBERS } from '../domain/protocol.js';
import type { SecurityGroupRule } from '../domain/rule.js';

/** `-1`: all protocols, all ICMP types, or all ICMP codes (spec/semantics.md §3). */
export const ALL = -1;
/** IANA protocol numbers (https://www.iana.org/assignments/protocol-numbers). */
export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMPV6 = 58;
export const MAX_PORT = 65535;
export const MAX_PROTOCOL = 255;
export const MAX_ICMP_VALUE = 255;

const DECIMAL_PROTOCOL = /^(?:0|[1-9][0-9]{0,2})$/;

/** What traffic a rule admits, in numbers: the compiler and the nftables renderer both read it. */
export interface TrafficSpec {
  /** IANA number, or -1 for all protocols. */
  readonly protocol: number;
  /** tcp/udp: the port range; icmp/icmpv6: type and code (-1 = all); otherwise -1. */
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * The traffic a stored rule admits, or undefined for a rule the domain would never store (unknown
 * protocol, bad ports): such a rule admits nothing, in the evaluator and in the kernel alike.
 */
export function trafficSpecOf(rule: SecurityGroupRule): TrafficSpec | undefined {
  const protocol = protocolNumberOf(rule.ipProtocol);
  if (protocol === undefined) return undefined;
  if (protocol === TCP || protocol === UDP) {
    const from = rule.fromPort;
    const to = rule.toPort;
    if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) return undefined;
    if (from < 0 || from > to || to > MAX_PORT) return undefined;
    return { protocol, fromPort: from, toPort: to };
  }
  if (protocol === ICMP || protocol === ICMPV6) {
    // Omitted type/code mean -1 (all), as icmpv6 rules without ports are stored (spec/semantics.md §3.2).
    const type = rule.fromPort ?? ALL;
    const code = rule.toPort ?? ALL;
    if (!isIcmpValue(type) || !isIcmpValue(code)) return undefined;
    // Type -1 covers every type and so every code (spec/semantics.md §3.2).
    return { protocol, fromPort: type, toPort: type === ALL ? ALL : code };
  }
  // `-1` and other numbers ignore ports (spec/semantics.md §3.2).
  return { protocol, fromPort: ALL, toPort: ALL };
}

function protocolNumberOf(ipProtocol: string): number | undefined {
  if (ipProtocol === '-1') return ALL;
  if (Object.hasOwn(PROTOCOL_NUMBERS, ipProtocol)) return PROTOCOL_NUMBERS[ipProtocol];
  if (!DECIMAL_PROTOCOL.test(ipProtocol)) return undefined;
  const n = Number(ipProtocol);
  return n <= MAX_PROTOCOL ? n : undefined;
}

function isIcmpValue(value: number): boolean {
  return Number.isInteger(value) && value >= ALL && value <= MAX_ICMP_VALUE;
}
