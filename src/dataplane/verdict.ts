import type { SecurityGroupRule } from '../domain/rule.js';
import { protocolText, type Flow } from './flow.js';

/** One rule that admits a flow: the group that owns it and its `sgr-` ID. */
export interface RuleMatch {
  readonly groupId: string;
  readonly ruleId: string;
}

/**
 * The answer for one new flow. Admitted lists EVERY rule that admits it (rules are unioned and
 * allow-only, spec/semantics.md §10), in the order the rules were given to the compiler; the
 * reason names the first. A denial's reason says how far the flow got: no rule in that direction,
 * none for the protocol, none for the port (or ICMP type/code), or none whose peer holds the
 * address.
 */
export type Verdict =
  | { readonly admitted: true; readonly matches: readonly RuleMatch[]; readonly reason: string }
  | { readonly admitted: false; readonly reason: string };

/**
 * Why a flow was not admitted, from the earliest check that failed. Both evaluators report the
 * same one, so their verdicts compare equal as whole values.
 */
export const DENIALS = ['invalidProtocol', 'invalidPeer', 'noRules', 'noProtocol', 'noPort', 'noPeer'] as const;
export type Denial = (typeof DENIALS)[number];

const DENIAL_REASONS: Record<Denial, (flow: Flow) => string> = {
  invalidProtocol: (flow) => `protocol ${String(flow.protocol)} is not an IANA protocol number (0-255)`,
  invalidPeer: (flow) => `peer ${JSON.stringify(flow.peer)} is not an IPv4 or IPv6 address`,
  noRules: (flow) => `no ${flow.direction} rules`,
  noProtocol: (flow) => `no ${flow.direction} rule for ${protocolText(flow.protocol)}`,
  noPort: (flow) => `no ${flow.direction} rule for ${trafficText(flow)}`,
  noPeer: (flow) =>
    `no ${flow.direction} rule for ${trafficText(flow)} admits ${flow.direction === 'ingress' ? 'source' : 'destination'} ${flow.peer}`,
};

/** An admitted verdict for `matches` (not empty), whose first element came from `first`. */
export function admittedVerdict(matches: readonly RuleMatch[], first: SecurityGroupRule): Verdict {
  const others = matches.length - 1;
  const more = others === 0 ? '' : ` and ${others} other rule${others === 1 ? '' : 's'}`;
  return { admitted: true, matches, reason: `admitted by ${describeRule(first)}${more}` };
}

/** A denied verdict for `flow`, with the reason for `denial`. */
export function deniedVerdict(denial: Denial, flow: Flow): Verdict {
  return { admitted: false, reason: DENIAL_REASONS[denial](flow) };
}

/**
 * One line for a rule, as verdict reasons show it: `sgr-… of sg-… (tcp 443 from 10.0.0.0/8)`.
 * Port specs read as spec/semantics.md §3.2 defines them.
 */
export function describeRule(rule: SecurityGroupRule): string {
  const towards = rule.direction === 'ingress' ? 'from' : 'to';
  return `${rule.ruleId} of ${rule.groupId} (${ruleTrafficText(rule)} ${towards} ${peerText(rule)})`;
}

function ruleTrafficText(rule: SecurityGroupRule): string {
  const from = rule.fromPort ?? -1;
  const to = rule.toPort ?? -1;
  switch (rule.ipProtocol) {
    case '-1':
      return 'all traffic';
    case 'tcp':
    case 'udp':
      return from === to ? `${rule.ipProtocol} ${from}` : `${rule.ipProtocol} ${from}-${to}`;
    case 'icmp':
    case 'icmpv6':
      if (from === -1) return `${rule.ipProtocol} all types`;
      return to === -1 ? `${rule.ipProtocol} type ${from} all codes` : `${rule.ipProtocol} type ${from} code ${to}`;
    default:
      return `protocol ${rule.ipProtocol}`;
  }
}

function peerText(rule: SecurityGroupRule): string {
  const peer = rule.peer;
  switch (peer.kind) {
    case 'cidr4':
    case 'cidr6':
      return peer.cidr;
    case 'prefixList':
      return `prefix list ${peer.prefixListId}`;
    case 'group':
      return `members of ${peer.groupId}`;
    default: {
      const never: never = peer;
      return String(never);
    }
  }
}

function trafficText(flow: Flow): string {
  const name = protocolText(flow.protocol);
  switch (flow.protocol) {
    case 6:
    case 17:
      return flow.port === undefined ? `${name} without a port` : `${name} port ${flow.port}`;
    case 1:
    case 58:
      return `${name} type ${flow.icmpType ?? 'unset'} code ${flow.icmpCode ?? 'unset'}`;
    default:
      return name;
  }
}
