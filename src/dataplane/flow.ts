import { formatIpv4Address, formatIpv6Address, parseIpv4Address, parseIpv6Address } from '../domain/cidr.js';
import { PROTOCOL_NUMBERS } from '../domain/protocol.js';
import type { Direction } from '../domain/rule.js';
import { ICMP, ICMPV6, MAX_ICMP_VALUE, MAX_PORT, MAX_PROTOCOL, TCP, UDP } from './traffic-spec.js';

/**
 * A new flow as the evaluator sees it: one packet's worth of (direction, protocol, destination
 * port or ICMP type/code, remote address). Matching uses the destination port only, never the
 * source port (spec/semantics.md §10), and the peer is the source for ingress and the destination
 * for egress.
 */
export interface Flow {
  readonly direction: Direction;
  /** IANA protocol number, 0–255 (https://www.iana.org/assignments/protocol-numbers). */
  readonly protocol: number;
  /** Destination port, for tcp (6) and udp (17) only. */
  readonly port?: number;
  /** ICMP type, for icmp (1) and icmpv6 (58) only. */
  readonly icmpType?: number;
  /** ICMP code, for icmp (1) and icmpv6 (58) only. */
  readonly icmpCode?: number;
  /** The remote address, IPv4 dotted quad or IPv6 text, without a prefix. */
  readonly peer: string;
}

/** A flow as a user types it (CLI flags, query parameters): numbers may still be text. */
export interface FlowInput {
  readonly direction: string;
  /** `tcp`, `udp`, `icmp`, `icmpv6` (any case) or a number 0–255. */
  readonly protocol: string | number;
  readonly port?: string | number;
  readonly icmpType?: string | number;
  readonly icmpCode?: string | number;
  readonly peer: string;
}

/** The outcome of `parseFlow`: a flow, or the first field that is wrong and why (safe to show). */
export type FlowParseResult =
  | { readonly kind: 'flow'; readonly flow: Flow }
  | { readonly kind: 'invalid'; readonly field: keyof FlowInput; readonly message: string };

// Plain decimal without sign or leading zeros, as in domain/cidr.ts.
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Checks and normalises user input into a `Flow`. The protocol is a name from
 * spec/semantics.md §3.1 (`tcp`, `udp`, `icmp`, `icmpv6`) or a number 0–255; `-1` and `all` are
 * refused because a flow has one concrete protocol. tcp/udp need a port (0–65535) and icmp/icmpv6
 * a type and a code (0–255); other protocols take neither. The peer is returned in canonical text
 * (RFC 5952 for IPv6). Never throws: a mistake comes back as `{ kind: 'invalid' }`.
 */
export function parseFlow(input: FlowInput): FlowParseResult {
  if (input.direction !== 'ingress' && input.direction !== 'egress') {
    return invalid('direction', `direction must be ingress or egress, not ${JSON.stringify(input.direction)}`);
  }
  const protocol = protocolFromInput(input.protocol);
  if (protocol === undefined) {
    return invalid(
      'protocol',
      `protocol must be tcp, udp, icmp, icmpv6 or a number 0-255, not ${JSON.stringify(input.protocol)}`,
    );
  }
  const v4 = parseIpv4Address(input.peer);
  const v6 = v4 === undefined ? parseIpv6Address(input.peer) : undefined;
  if (v4 === undefined && v6 === undefined) {
    return invalid('peer', `peer must be an IPv4 or IPv6 address without a prefix, not ${JSON.stringify(input.peer)}`);
  }
  const peer = v4 !== undefined ? formatIpv4Address(v4) : formatIpv6Address(v6 ?? 0n);
  const direction: Direction = input.direction;

  if (protocol === TCP || protocol === UDP) {
    if (input.icmpType !== undefined || input.icmpCode !== undefined) {
      return invalid(input.icmpType !== undefined ? 'icmpType' : 'icmpCode', 'ICMP type and code apply to icmp and icmpv6 only');
    }
    const port = integerFromInput(input.port, 0, MAX_PORT);
    if (port === undefined) {
      return invalid('port', `tcp and udp flows need a destination port 0-${MAX_PORT}, not ${JSON.stringify(input.port ?? null)}`);
    }
    return { kind: 'flow', flow: { direction, protocol, port, peer } };
  }
  if (input.port !== undefined) {
    return invalid('port', 'a port applies to tcp and udp only');
  }
  if (protocol === ICMP || protocol === ICMPV6) {
    const icmpType = integerFromInput(input.icmpType, 0, MAX_ICMP_VALUE);
    if (icmpType === undefined) {
      return invalid('icmpType', `icmp flows need a type 0-${MAX_ICMP_VALUE}, not ${JSON.stringify(input.icmpType ?? null)}`);
    }
    const icmpCode = integerFromInput(input.icmpCode, 0, MAX_ICMP_VALUE);
    if (icmpCode === undefined) {
      return invalid('icmpCode', `icmp flows need a code 0-${MAX_ICMP_VALUE}, not ${JSON.stringify(input.icmpCode ?? null)}`);
    }
    return { kind: 'flow', flow: { direction, protocol, icmpType, icmpCode, peer } };
  }
  if (input.icmpType !== undefined || input.icmpCode !== undefined) {
    return invalid(input.icmpType !== undefined ? 'icmpType' : 'icmpCode', 'ICMP type and code apply to icmp and icmpv6 only');
  }
  return { kind: 'flow', flow: { direction, protocol, peer } };
}

/** The protocol name for an IANA number where EC2 has one (`tcp`), else `protocol <n>`. */
export function protocolText(protocol: number): string {
  switch (protocol) {
    case TCP:
      return 'tcp';
    case UDP:
      return 'udp';
    case ICMP:
      return 'icmp';
    case ICMPV6:
      return 'icmpv6';
    default:
      return `protocol ${protocol}`;
  }
}

function protocolFromInput(value: string | number): number | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= MAX_PROTOCOL ? value : undefined;
  }
  const lower = value.toLowerCase();
  // Own keys only, so `constructor` finds nothing.
  if (Object.hasOwn(PROTOCOL_NUMBERS, lower)) {
    return PROTOCOL_NUMBERS[lower];
  }
  return integerFromInput(value, 0, MAX_PROTOCOL);
}

function integerFromInput(value: string | number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = typeof value === 'number' ? value : DECIMAL.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function invalid(field: keyof FlowInput, message: string): FlowParseResult {
  return { kind: 'invalid', field, message };
}
