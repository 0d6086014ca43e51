import type {
  CompiledPolicy,
  DirectionCoverage,
  FamilyTable,
  IcmpIndex,
  PeerClass,
} from './compiled-policy.js';
import { icmpKey, ICMP_ALL_TYPES_KEY } from './compiled-policy.js';
import {
  cidrIndexContainsIpv4,
  cidrIndexContainsIpv6,
  collectCidrMatchesIpv4,
  collectCidrMatchesIpv6,
} from './cidr-index.js';
import type { Flow } from './flow.js';
import type { GroupMembership } from './group-membership.js';
import { decodePeerAddress } from './peer-address.js';
import { portSegment, type PortIndex } from './port-index.js';
import { admittedVerdict, deniedVerdict, type Denial, type RuleMatch, type Verdict } from './verdict.js';

/**
 * Decisions for NEW flows against a compiled policy (spec/semantics.md §10): allow-only, the union
 * of all rules, matching on protocol, destination port (or ICMP type/code) and peer.
 *
 * Security groups are stateful: responses to an admitted flow pass in the other direction whatever
 * the rules say, so a response is never a new flow and must not be asked about here. Whether a
 * flow is tracked at all is `isUntracked` (connection-tracking.ts).
 *
 * Matching, as spec/semantics.md §3.2 and §10 define it:
 * - a `-1` rule matches every protocol and port; a rule of protocol N matches protocol N only;
 * - tcp/udp rules match when the destination port (an integer 0–65535) is in their range;
 * - icmp/icmpv6 rules: type -1 matches every type and code, code -1 every code of the type, else
 *   type and code must both be equal;
 * - every other protocol matches by number, ports ignored;
 * - IPv4 blocks never match IPv6 peers and vice versa; `/0` matches the whole family; group peers
 *   match their members' private addresses; prefix-list peers match any entry.
 */

// Scratch, owned by this module: the decoded peer address, and the rule indexes one `evaluateFlow`
// collects. Both are filled and read within one synchronous call, so nothing can interleave.
const ADDRESS = new Int32Array(4);
let matched = new Int32Array(64);

/**
 * Reports whether `policy` admits the new flow `flow`. The hot path: plain loops over typed arrays,
 * no closures and no allocation per decision (the peer text is decoded into module scratch).
 * O(log p + Σ over the visited classes of (log e or 1) + g / 32), p port segments, e blocks of a
 * class, g referenced groups (the address's groups are looked up once); it stops at the first
 * admitting class.
 */
export function isAdmitted(policy: CompiledPolicy, flow: Flow): boolean {
  const protocol = flow.protocol;
  if ((protocol & 255) !== protocol) return false;
  const family = decodePeerAddress(flow.peer, ADDRESS);
  const membership = policy.membership;
  if (family === 4) {
    const table = flow.direction === 'ingress' ? policy.ingressIpv4 : policy.egressIpv4;
    if (table.isEmpty) return false;
    const address = ADDRESS[0] ?? 0;
    // One lookup gives every referenced group the address belongs to.
    const row = membership.groupIds.length === 0 ? -1 : membership.rowOfIpv4(address);
    return tableAdmitsIpv4(table, flow, address, membership, row);
  }
  if (family === 6) {
    const table = flow.direction === 'ingress' ? policy.ingressIpv6 : policy.egressIpv6;
    if (table.isEmpty) return false;
    const w0 = ADDRESS[0] ?? 0;
    const w1 = ADDRESS[1] ?? 0;
    const w2 = ADDRESS[2] ?? 0;
    const w3 = ADDRESS[3] ?? 0;
    const row = membership.groupIds.length === 0 ? -1 : membership.rowOfIpv6(w0, w1, w2, w3);
    return tableAdmitsIpv6(table, flow, w0, w1, w2, w3, membership, row);
  }
  return false;
}

/**
 * The verdict of `policy` on the new flow `flow`: admitted with every rule that admits it (in the
 * policy's rule order) or denied with the earliest check that failed. Same walk as `isAdmitted`
 * but through every matching class; it allocates only the verdict, its `matches` array and its
 * reason text.
 */
export function evaluateFlow(policy: CompiledPolicy, flow: Flow): Verdict {
  const protocol = flow.protocol;
  if ((protocol & 255) !== protocol) return deniedVerdict('invalidProtocol', flow);
  const family = decodePeerAddress(flow.peer, ADDRESS);
  if (family === 0) return deniedVerdict('invalidPeer', flow);
  // A rule is listed at most once per flow, so the policy's rule count bounds the matches.
  if (matched.length < policy.rules.length) matched = new Int32Array(policy.rules.length);
  const membership = policy.membership;
  let count = 0;
  if (family === 4) {
    const table = flow.direction === 'ingress' ? policy.ingressIpv4 : policy.egressIpv4;
    const address = ADDRESS[0] ?? 0;
    if (!table.isEmpty) count = collectTableIpv4(table, flow, address, membership, membership.rowOfIpv4(address));
  } else {
    const table = flow.direction === 'ingress' ? policy.ingressIpv6 : policy.egressIpv6;
    const w0 = ADDRESS[0] ?? 0;
    const w1 = ADDRESS[1] ?? 0;
    const w2 = ADDRESS[2] ?? 0;
    const w3 = ADDRESS[3] ?? 0;
    if (!table.isEmpty) count = collectTableIpv6(table, flow, w0, w1, w2, w3, membership, membership.rowOfIpv6(w0, w1, w2, w3));
  }
  if (count === 0) {
    const coverage = flow.direction === 'ingress' ? policy.ingressCoverage : policy.egressCoverage;
    return deniedVerdict(denialOf(coverage, flow), flow);
  }
  sortAscending(matched, count);
  const matches: RuleMatch[] = [];
  for (let i = 0; i < count; i++) {
    const match = policy.ruleMatches[matched[i] ?? 0];
    if (match !== undefined) matches.push(match);
  }
  const first = policy.rules[matched[0] ?? 0];
  // `first` exists: indexes come from the compiler, which numbered `policy.rules`.
  return first === undefined ? deniedVerdict('noPeer', flow) : admittedVerdict(matches, first);
}

// ---- the boolean path -------------------------------------------------------------------------

function tableAdmitsIpv4(table: FamilyTable, flow: Flow, address: number, membership: GroupMembership, row: number): boolean {
  const any = table.anyProtocol;
  if (any !== undefined && classAdmitsIpv4(any, address, membership, row)) return true;
  switch (flow.protocol) {
    case 6:
      return table.tcp !== undefined && portAdmitsIpv4(table.tcp, flow.port, address, membership, row);
    case 17:
      return table.udp !== undefined && portAdmitsIpv4(table.udp, flow.port, address, membership, row);
    case 1:
      return table.icmp !== undefined && icmpAdmitsIpv4(table.icmp, flow, address, membership, row);
    case 58:
      return table.icmpv6 !== undefined && icmpAdmitsIpv4(table.icmpv6, flow, address, membership, row);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers !== undefined && classAdmitsIpv4(peers, address, membership, row);
    }
  }
}

function portAdmitsIpv4(
  index: PortIndex<PeerClass>,
  port: number | undefined,
  address: number,
  membership: GroupMembership,
  row: number,
): boolean {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return false;
  const items = index.items;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = items[i];
    if (peers !== undefined && classAdmitsIpv4(peers, address, membership, row)) return true;
  }
  return false;
}

function icmpAdmitsIpv4(index: IcmpIndex, flow: Flow, address: number, membership: GroupMembership, row: number): boolean {
  if (index.allTypes !== undefined && classAdmitsIpv4(index.allTypes, address, membership, row)) return true;
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return false;
  const byType = index.byType.get(type);
  if (byType !== undefined && classAdmitsIpv4(byType, address, membership, row)) return true;
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return false;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode !== undefined && classAdmitsIpv4(byTypeCode, address, membership, row);
}

function classAdmitsIpv4(peers: PeerClass, address: number, membership: GroupMembership, row: number): boolean {
  return cidrIndexContainsIpv4(peers.cidrs, address) || (row >= 0 && membership.rowHasAnyOf(row, peers.groupBits));
}

function tableAdmitsIpv6(
  table: FamilyTable,
  flow: Flow,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
): boolean {
  const any = table.anyProtocol;
  if (any !== undefined && classAdmitsIpv6(any, w0, w1, w2, w3, membership, row)) return true;
  switch (flow.protocol) {
    case 6:
      return table.tcp !== undefined && portAdmitsIpv6(table.tcp, flow.port, w0, w1, w2, w3, membership, row);
    case 17:
      return table.udp !== undefined && portAdmitsIpv6(table.udp, flow.port, w0, w1, w2, w3, membership, row);
    case 1:
      return table.icmp !== undefined && icmpAdmitsIpv6(table.icmp, flow, w0, w1, w2, w3, membership, row);
    case 58:
      return table.icmpv6 !== undefined && icmpAdmitsIpv6(table.icmpv6, flow, w0, w1, w2, w3, membership, row);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers !== undefined && classAdmitsIpv6(peers, w0, w1, w2, w3, membership, row);
    }
  }
}

function portAdmitsIpv6(
  index: PortIndex<PeerClass>,
  port: number | undefined,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
): boolean {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return false;
  const items = index.items;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = items[i];
    if (peers !== undefined && classAdmitsIpv6(peers, w0, w1, w2, w3, membership, row)) return true;
  }
  return false;
}

function icmpAdmitsIpv6(
  index: IcmpIndex,
  flow: Flow,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
): boolean {
  if (index.allTypes !== undefined && classAdmitsIpv6(index.allTypes, w0, w1, w2, w3, membership, row)) return true;
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return false;
  const byType = index.byType.get(type);
  if (byType !== undefined && classAdmitsIpv6(byType, w0, w1, w2, w3, membership, row)) return true;
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return false;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode !== undefined && classAdmitsIpv6(byTypeCode, w0, w1, w2, w3, membership, row);
}

function classAdmitsIpv6(
  peers: PeerClass,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
): boolean {
  return cidrIndexContainsIpv6(peers.cidrs, w0, w1, w2, w3) || (row >= 0 && membership.rowHasAnyOf(row, peers.groupBits));
}

// ---- the attributing path: every matching rule -------------------------------------------------

function collectTableIpv4(table: FamilyTable, flow: Flow, address: number, membership: GroupMembership, row: number): number {
  let count = 0;
  if (table.anyProtocol !== undefined) count = collectClassIpv4(table.anyProtocol, address, membership, row, count);
  switch (flow.protocol) {
    case 6:
      return table.tcp === undefined ? count : collectPortIpv4(table.tcp, flow.port, address, membership, row, count);
    case 17:
      return table.udp === undefined ? count : collectPortIpv4(table.udp, flow.port, address, membership, row, count);
    case 1:
      return table.icmp === undefined ? count : collectIcmpIpv4(table.icmp, flow, address, membership, row, count);
    case 58:
      return table.icmpv6 === undefined ? count : collectIcmpIpv4(table.icmpv6, flow, address, membership, row, count);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers === undefined ? count : collectClassIpv4(peers, address, membership, row, count);
    }
  }
}

function collectPortIpv4(
  index: PortIndex<PeerClass>,
  port: number | undefined,
  address: number,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return count;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = index.items[i];
    if (peers !== undefined) count = collectClassIpv4(peers, address, membership, row, count);
  }
  return count;
}

function collectIcmpIpv4(
  index: IcmpIndex,
  flow: Flow,
  address: number,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  if (index.allTypes !== undefined) count = collectClassIpv4(index.allTypes, address, membership, row, count);
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return count;
  const byType = index.byType.get(type);
  if (byType !== undefined) count = collectClassIpv4(byType, address, membership, row, count);
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return count;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode === undefined ? count : collectClassIpv4(byTypeCode, address, membership, row, count);
}

function collectClassIpv4(peers: PeerClass, address: number, membership: GroupMembership, row: number, count: number): number {
  count = collectCidrMatchesIpv4(peers.cidrs, address, matched, count);
  return row < 0 ? count : collectGroups(peers, membership, row, count);
}

function collectTableIpv6(
  table: FamilyTable,
  flow: Flow,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
): number {
  let count = 0;
  if (table.anyProtocol !== undefined) count = collectClassIpv6(table.anyProtocol, w0, w1, w2, w3, membership, row, count);
  switch (flow.protocol) {
    case 6:
      return table.tcp === undefined ? count : collectPortIpv6(table.tcp, flow.port, w0, w1, w2, w3, membership, row, count);
    case 17:
      return table.udp === undefined ? count : collectPortIpv6(table.udp, flow.port, w0, w1, w2, w3, membership, row, count);
    case 1:
      return table.icmp === undefined ? count : collectIcmpIpv6(table.icmp, flow, w0, w1, w2, w3, membership, row, count);
    case 58:
      return table.icmpv6 === undefined ? count : collectIcmpIpv6(table.icmpv6, flow, w0, w1, w2, w3, membership, row, count);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers === undefined ? count : collectClassIpv6(peers, w0, w1, w2, w3, membership, row, count);
    }
  }
}

function collectPortIpv6(
  index: PortIndex<PeerClass>,
  port: number | undefined,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return count;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = index.items[i];
    if (peers !== undefined) count = collectClassIpv6(peers, w0, w1, w2, w3, membership, row, count);
  }
  return count;
}

function collectIcmpIpv6(
  index: IcmpIndex,
  flow: Flow,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  if (index.allTypes !== undefined) count = collectClassIpv6(index.allTypes, w0, w1, w2, w3, membership, row, count);
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return count;
  const byType = index.byType.get(type);
  if (byType !== undefined) count = collectClassIpv6(byType, w0, w1, w2, w3, membership, row, count);
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return count;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode === undefined ? count : collectClassIpv6(byTypeCode, w0, w1, w2, w3, membership, row, count);
}

function collectClassIpv6(
  peers: PeerClass,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  count = collectCidrMatchesIpv6(peers.cidrs, w0, w1, w2, w3, matched, count);
  return row < 0 ? count : collectGroups(peers, membership, row, count);
}

/** Appends the rules of each group of `peers` that the address (its membership `row`) is in. */
function collectGroups(peers: PeerClass, membership: GroupMembership, row: number, count: number): number {
  for (const group of peers.groups) {
    if (!membership.rowHas(row, group.bit)) continue;
    const rules = group.rules;
    for (let i = 0; i < rules.length; i++) matched[count++] = rules[i] ?? 0;
  }
  return count;
}

/** Insertion sort of `values[0, count)`: match lists are short, and this allocates nothing. */
function sortAscending(values: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i] ?? 0;
    let j = i - 1;
    while (j >= 0 && (values[j] ?? 0) > value) {
      values[j + 1] = values[j] ?? 0;
      j--;
    }
    values[j + 1] = value;
  }
}

// ---- why not ----------------------------------------------------------------------------------

/** How far a flow that no rule admits got, from what its direction's rules cover (peers aside). */
function denialOf(coverage: DirectionCoverage, flow: Flow): Denial {
  if (coverage.ruleCount === 0) return 'noRules';
  // A `-1` rule covers every protocol and port: only its peer can have failed.
  if (coverage.anyProtocol) return 'noPeer';
  if (!coverage.protocols.has(flow.protocol)) return 'noProtocol';
  switch (flow.protocol) {
    case 6:
      return portCovered(coverage.tcpPorts, flow.port) ? 'noPeer' : 'noPort';
    case 17:
      return portCovered(coverage.udpPorts, flow.port) ? 'noPeer' : 'noPort';
    case 1:
      return icmpCovered(coverage.icmpKeys, flow) ? 'noPeer' : 'noPort';
    case 58:
      return icmpCovered(coverage.icmpv6Keys, flow) ? 'noPeer' : 'noPort';
    default:
      return 'noPeer';
  }
}

function portCovered(index: PortIndex<true>, port: number | undefined): boolean {
  const segment = port === undefined ? -1 : portSegment(index, port);
  return segment >= 0 && (index.offsets[segment + 1] ?? 0) > (index.offsets[segment] ?? 0);
}

function icmpCovered(keys: ReadonlySet<number>, flow: Flow): boolean {
  if (keys.has(ICMP_ALL_TYPES_KEY)) return true;
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return false;
  if (keys.has(icmpKey(type, -1))) return true;
  const code = flow.icmpCode;
  return code !== undefined && (code & 255) === code && keys.has(icmpKey(type, code));
}
