import { hasPortSpec, type IpProtocol } from './protocol.js';
import type { Peer, RuleDraft } from './rule.js';

/** One peer of a summarised permission, with its own description. */
export interface SummaryPeer {
  readonly peer: Peer;
  readonly description?: string;
}

/** An `IpPermission` in response form: one protocol and port spec, all its peers. */
export interface IpPermissionSummary {
  readonly ipProtocol: IpProtocol;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly peers: readonly SummaryPeer[];
}

/**
 * Merges atomic rules of one direction back into IpPermission items keyed by (protocol, fromPort,
 * toPort), as AWS "summarises" them (spec/semantics.md §2.4): items in order of first appearance of
 * their key, peers in rule order. Ports are kept only where the protocol has them (§3.3).
 */
export function summarizeRules(rules: Iterable<RuleDraft>): readonly IpPermissionSummary[] {
  const byKey = new Map<string, { ipProtocol: IpProtocol; fromPort?: number; toPort?: number; peers: SummaryPeer[] }>();
  for (const rule of rules) {
    const ported = hasPortSpec(rule.ipProtocol);
    const key = ported ? `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}` : rule.ipProtocol;
    let item = byKey.get(key);
    if (item === undefined) {
      item = ported
        ? { ipProtocol: rule.ipProtocol, fromPort: rule.fromPort ?? -1, toPort: rule.toPort ?? -1, peers: [] }
        : { ipProtocol: rule.ipProtocol, peers: [] };
      byKey.set(key, item);
    }
    item.peers.push(rule.description === undefined ? { peer: rule.peer } : { peer: rule.peer, description: rule.description });
  }
  return [...byKey.values()];
}
