// @ts-check
/**
 * The graph of who may send to whom, built from /console/api/state (pure: no DOM, no I/O, so
 * Node's tests import it too). Nodes are the account's groups, the peers its rules name (CIDRs,
 * with 0.0.0.0/0 and ::/0 as one "anywhere" node; prefix lists; other accounts' groups); edges
 * are rules, one edge per (sender, receiver, rule direction) carrying every rule behind it.
 * Edges point the way traffic is admitted: an ingress rule of G naming P admits P → G; an egress
 * rule of G naming P admits G → P.
 */

/** The node standing for 0.0.0.0/0 and ::/0. */
export const ANYWHERE = 'anywhere';

/**
 * @typedef {{ kind: 'cidr4', cidr: string } | { kind: 'cidr6', cidr: string } | { kind: 'prefixList', prefixListId: string } | { kind: 'group', groupId: string, userId: string }} Peer
 * @typedef {{ ruleId: string, groupId: string, direction: 'ingress' | 'egress', ipProtocol: string, fromPort: number | null, toPort: number | null, traffic: string, peer: Peer, description: string | null }} Rule
 * @typedef {{ groupId: string, groupName: string, vpcId: string | null, ownerId: string, rules: Rule[] }} Group
 * @typedef {{ prefixListId: string, prefixListName: string }} PrefixList
 * @typedef {{ accountId: string, groups: Group[], prefixLists: PrefixList[] }} ConsoleState
 * @typedef {{ id: string, label: string, kind: 'group' | 'cidr' | 'anywhere' | 'prefixList' | 'foreignGroup', vpcId: string | null }} NodeData
 * @typedef {{ id: string, source: string, target: string, direction: 'ingress' | 'egress', label: string, rules: Rule[] }} EdgeData
 */

/**
 * The node a rule's peer stands for.
 * @param {Peer} peer
 */
export function peerNodeId(peer) {
  switch (peer.kind) {
    case 'cidr4':
    case 'cidr6':
      return peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0' ? ANYWHERE : `cidr:${peer.cidr}`;
    case 'prefixList':
      return peer.prefixListId;
    case 'group':
      return peer.groupId;
  }
}

/**
 * Nodes and edges for Cytoscape.
 * @param {ConsoleState} state
 * @returns {{ nodes: NodeData[], edges: EdgeData[] }}
 */
export function graphElements(state) {
  /** @type {Map<string, NodeData>} */
  const nodes = new Map();
  for (const g of state.groups) nodes.set(g.groupId, { id: g.groupId, label: g.groupName, kind: 'group', vpcId: g.vpcId });
  const listNames = new Map(state.prefixLists.map((l) => [l.prefixListId, l.prefixListName]));
  /** @type {Map<string, EdgeData>} */
  const edges = new Map();
  for (const g of state.groups) {
    for (const rule of g.rules) {
      const peer = peerNodeId(rule.peer);
      if (!nodes.has(peer)) nodes.set(peer, peerNode(rule.peer, peer, state.accountId, listNames));
      const [source, target] = rule.direction === 'ingress' ? [peer, g.groupId] : [g.groupId, peer];
      const id = `${rule.direction}:${source}->${target}`;
      const edge = edges.get(id) ?? { id, source, target, direction: rule.direction, label: '', rules: [] };
      edge.rules.push(rule);
      edges.set(id, edge);
    }
  }
  for (const edge of edges.values()) edge.label = edgeLabel(edge.rules);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Whether a rule admits some traffic of `protocol` (a name, `-1`, or '' for any) to `port` (null for any).
 * @param {Rule} rule @param {string} protocol @param {number | null} port
 */
export function ruleMatches(rule, protocol, port) {
  if (protocol !== '' && rule.ipProtocol !== '-1' && rule.ipProtocol !== protocol) return false;
  if (port === null || rule.ipProtocol === '-1') return true;
  if (rule.ipProtocol !== 'tcp' && rule.ipProtocol !== 'udp') return protocol === '';
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65535);
}

/** @param {Rule[]} rules */
function edgeLabel(rules) {
  const texts = [...new Set(rules.map((r) => r.traffic))];
  return texts.length <= 3 ? texts.join(', ') : `${texts.slice(0, 3).join(', ')} +${texts.length - 3}`;
}

/**
 * @param {Peer} peer @param {string} id @param {string} accountId @param {Map<string, string>} listNames
 * @returns {NodeData}
 */
function peerNode(peer, id, accountId, listNames) {
  switch (peer.kind) {
    case 'cidr4':
    case 'cidr6':
      return id === ANYWHERE ? { id, label: 'anywhere', kind: 'anywhere', vpcId: null } : { id, label: peer.cidr, kind: 'cidr', vpcId: null };
    case 'prefixList':
      return { id, label: listNames.get(peer.prefixListId) ?? peer.prefixListId, kind: 'prefixList', vpcId: null };
    case 'group':
      // A group of ours not in this region's list cannot be named by a rule; one of another account shows only what the rule holds.
      return peer.userId === accountId
        ? { id, label: peer.groupId, kind: 'group', vpcId: null }
        : { id, label: `${peer.userId}/${peer.groupId}`, kind: 'foreignGroup', vpcId: null };
  }
}
