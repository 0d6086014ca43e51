import {
  containsAddress,
  parseIpv4Address,
  parseIpv4Cidr,
  parseIpv6Address,
  parseIpv6Cidr,
} from '../domain/cidr.js';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import type { PeerResolver } from './effective-policy.js';
import type { Flow } from './flow.js';
import { admittedVerdict, deniedVerdict, type Denial, type RuleMatch, type Verdict } from './verdict.js';

/**
 * The reference evaluator: a deliberately plain linear scan over the raw rules, resolving every
 * peer through the resolver on every call and parsing every CIDR and address with domain/cidr.ts.
 * It shares no matching code with the compiled evaluator (flow-evaluator.ts), so the differential
 * test can hold one against the other. Same semantics, same verdicts; O(rules × peer size) per
 * flow. Not for production use.
 */

/** How far a rule got with a flow, in the order of `Denial`'s checks. */
const PROGRESS: readonly Denial[] = ['noRules', 'noProtocol', 'noPort', 'noPeer'];

/**
 * The verdict on the new flow `flow` under `rules` (every rule of an instance's groups), with
 * group and prefix-list peers resolved now through `resolver`. See flow-evaluator.ts for the
 * matching rules; this function restates them one rule at a time.
 */
export function evaluateFlowNaive(rules: readonly SecurityGroupRule[], resolver: PeerResolver, flow: Flow): Verdict {
  if (!Number.isInteger(flow.protocol) || flow.protocol < 0 || flow.protocol > 255) {
    return deniedVerdict('invalidProtocol', flow);
  }
  const address = parseIpv4Address(flow.peer) ?? parseIpv6Address(flow.peer);
  if (address === undefined) return deniedVerdict('invalidPeer', flow);

  let progress = 0;
  const matches: RuleMatch[] = [];
  let first: SecurityGroupRule | undefined;
  for (const rule of rules) {
    const protocol = protocolNumber(rule.ipProtocol);
    if (protocol === undefined || !hasValidPorts(rule, protocol)) continue;
    if (rule.direction !== flow.direction) continue;
    progress = Math.max(progress, 1);
    if (protocol !== -1 && protocol !== flow.protocol) continue;
    progress = Math.max(progress, 2);
    if (protocol !== -1 && !portsMatch(rule, protocol, flow)) continue;
    progress = Math.max(progress, 3);
    if (!peerMatches(rule.peer, address, resolver)) continue;
    matches.push({ groupId: rule.groupId, ruleId: rule.ruleId });
    first ??= rule;
  }
  if (first !== undefined) return admittedVerdict(matches, first);
  return deniedVerdict(PROGRESS[progress] ?? 'noRules', flow);
}

/** Reports whether `rules` admit `flow`: `evaluateFlowNaive(…).admitted`. */
export function isAdmittedNaive(rules: readonly SecurityGroupRule[], resolver: PeerResolver, flow: Flow): boolean {
  return evaluateFlowNaive(rules, resolver, flow).admitted;
}

function protocolNumber(ipProtocol: string): number | undefined {
  switch (ipProtocol) {
    case '-1':
      return -1;
    case 'tcp':
      return 6;
    case 'udp':
      return 17;
    case 'icmp':
      return 1;
    case 'icmpv6':
      return 58;
  }
  if (!/^(0|[1-9][0-9]*)$/.test(ipProtocol)) return undefined;
  const n = Number(ipProtocol);
  return n <= 255 ? n : undefined;
}

/** Rules the domain would refuse (bad ranges, ICMP values outside -1..255) match nothing. */
function hasValidPorts(rule: SecurityGroupRule, protocol: number): boolean {
  if (protocol === 6 || protocol === 17) {
    const from = rule.fromPort;
    const to = rule.toPort;
    return from !== undefined && to !== undefined && Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= 65535;
  }
  if (protocol === 1 || protocol === 58) {
    const type = rule.fromPort ?? -1;
    const code = rule.toPort ?? -1;
    return Number.isInteger(type) && Number.isInteger(code) && type >= -1 && type <= 255 && code >= -1 && code <= 255;
  }
  return true;
}

function portsMatch(rule: SecurityGroupRule, protocol: number, flow: Flow): boolean {
  if (protocol === 6 || protocol === 17) {
    const port = flow.port;
    return port !== undefined && Number.isInteger(port) && (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? -1);
  }
  if (protocol === 1 || protocol === 58) {
    const type = rule.fromPort ?? -1;
    const code = rule.toPort ?? -1;
    if (type === -1) return true;
    if (flow.icmpType !== type) return false;
    return code === -1 || flow.icmpCode === code;
  }
  return true;
}

function peerMatches(peer: Peer, address: number | bigint, resolver: PeerResolver): boolean {
  switch (peer.kind) {
    case 'cidr4': {
      const cidr = parseIpv4Cidr(peer.cidr);
      return cidr !== undefined && containsAddress(cidr, address);
    }
    case 'cidr6': {
      const cidr = parseIpv6Cidr(peer.cidr);
      return cidr !== undefined && containsAddress(cidr, address);
    }
    case 'prefixList':
      return resolver.prefixListEntries(peer.prefixListId).some((entry) => {
        const cidr = parseIpv4Cidr(entry) ?? parseIpv6Cidr(entry);
        return cidr !== undefined && containsAddress(cidr, address);
      });
    case 'group':
      return resolver.membersOf(peer.groupId).some((member) => (parseIpv4Address(member) ?? parseIpv6Address(member)) === address);
  }
}
