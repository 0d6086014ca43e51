import { unreachable } from './unreachable.js';
import { hasPortSpec } from './protocol.js';
import type { Peer, RuleDraft } from './rule.js';

/**
 * The identity of a rule within its group (spec/semantics.md §2.3): direction, canonical protocol,
 * port spec (only where the protocol has one) and peer. Description, tags and rule ID are not part
 * of it. Two rules with equal keys are the same rule.
 */
export function ruleIdentityKey(rule: RuleDraft): string {
  const ports = hasPortSpec(rule.ipProtocol) ? `${rule.fromPort ?? ''}:${rule.toPort ?? ''}` : '';
  return `${rule.direction}|${rule.ipProtocol}|${ports}|${peerKey(rule.peer)}`;
}

/** The identity of a peer: canonical CIDR, prefix-list ID or referenced group ID. */
export function peerKey(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr4':
      return `4:${peer.cidr}`;
    case 'cidr6':
      return `6:${peer.cidr}`;
    case 'prefixList':
      return `pl:${peer.prefixListId}`;
    case 'group':
      return `g:${peer.groupId}`;
    default:
      return unreachable(peer);
  }
}

/** The peer as AWS prints it inside messages: the CIDR, the `pl-` ID or the `sg-` ID. */
export function peerText(peer: Peer): string {
  switch (peer.kind) {
    case 'cidr4':
    case 'cidr6':
      return peer.cidr;
    case 'prefixList':
      return peer.prefixListId;
    case 'group':
      return peer.groupId;
    default:
      return unreachable(peer);
  }
}

/**
 * The rule as InvalidPermission.Duplicate describes it (spec/errors.md §3.2, field):
 * `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`, `peer: X, ALL, ALLOW`,
 * `peer: X, protocol: 50, ALLOW`; the ICMP form is UNCONFIRMED and follows the spec's suggestion.
 */
export function duplicateRuleText(rule: RuleDraft): string {
  const peer = `peer: ${peerText(rule.peer)}`;
  switch (rule.ipProtocol) {
    case 'tcp':
    case 'udp':
      return `${peer}, ${rule.ipProtocol.toUpperCase()}, from port: ${rule.fromPort}, to port: ${rule.toPort}, ALLOW`;
    case 'icmp':
    case 'icmpv6':
      return `${peer}, ${rule.ipProtocol.toUpperCase()}, type: ${rule.fromPort}, code: ${rule.toPort}, ALLOW`;
    case '-1':
      return `${peer}, ALL, ALLOW`;
    default:
      return `${peer}, protocol: ${rule.ipProtocol}, ALLOW`;
  }
}
