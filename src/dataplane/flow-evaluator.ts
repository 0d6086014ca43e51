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
/** The verdict on every outbound flow of an EC2-Classic instance (spec/semantics.md §10). */
const UNFILTERED_EGRESS: Verdict = Object.freeze({ admitted: true, matches: Object.freeze([]), reason: 'EC2-Classic does not filter outbound traffic' });

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
  if (family === 0) return false;
  if (flow.direction === 'egress' && !policy.egressFiltered) return true;
  const table = tableOf(policy, flow, family);
  if (table.isEmpty) return false;
  // One lookup gives every referenced group the address belongs to.
  const row = policy.membership.groupIds.length === 0 ? -1 : membershipRow(policy.membership, family);
  return tableAdmits(table, flow, family, policy.membership, row);
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
  if (flow.direction === 'egress' && !policy.egressFiltered) return UNFILTERED_EGRESS;
  // A rule is listed at most once per flow, so the policy's rule count bounds the matches.
  if (matched.length < policy.rules.length) matched = new Int32Array(policy.rules.length);
  const membership = policy.membership;
  const table = tableOf(policy, flow, family);
  const count = table.isEmpty ? 0 : collectTable(table, flow, family, membership, membershipRow(membership, family));
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

// The walk below is written once for both families: the decoded peer sits in `ADDRESS` (one word
// for IPv4, four for IPv6) and only the leaf lookups (`classAdmits`, `collectClass`) look at the
// family. IPv4 rules never see IPv6 peers because each family has its own table.

function tableOf(policy: CompiledPolicy, flow: Flow, family: 4 | 6): FamilyTable {
  if (flow.direction === 'ingress') return family === 4 ? policy.ingressIpv4 : policy.ingressIpv6;
  return family === 4 ? policy.egressIpv4 : policy.egressIpv6;
}

function membershipRow(membership: GroupMembership, family: 4 | 6): number {
  return family === 4
    ? membership.rowOfIpv4(ADDRESS[0] ?? 0)
    : membership.rowOfIpv6(ADDRESS[0] ?? 0, ADDRESS[1] ?? 0, ADDRESS[2] ?? 0, ADDRESS[3] ?? 0);
}

// ---- the boolean path -------------------------------------------------------------------------

function tableAdmits(table: FamilyTable, flow: Flow, family: 4 | 6, membership: GroupMembership, row: number): boolean {
  const any = table.anyProtocol;
  if (any !== undefined && classAdmits(any, family, membership, row)) return true;
  switch (flow.protocol) {
    case 6:
      return table.tcp !== undefined && portAdmits(table.tcp, flow.port, family, membership, row);
    case 17:
      return table.udp !== undefined && portAdmits(table.udp, flow.port, family, membership, row);
    case 1:
      return table.icmp !== undefined && icmpAdmits(table.icmp, flow, family, membership, row);
    case 58:
      return table.icmpv6 !== undefined && icmpAdmits(table.icmpv6, flow, family, membership, row);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers !== undefined && classAdmits(peers, family, membership, row);
    }
  }
}

function portAdmits(index: PortIndex<PeerClass>, port: number | undefined, family: 4 | 6, membership: GroupMembership, row: number): boolean {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return false;
  const items = index.items;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = items[i];
    if (peers !== undefined && classAdmits(peers, family, membership, row)) return true;
  }
  return false;
}

function icmpAdmits(index: IcmpIndex, flow: Flow, family: 4 | 6, membership: GroupMembership, row: number): boolean {
  if (index.allTypes !== undefined && classAdmits(index.allTypes, family, membership, row)) return true;
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return false;
  const byType = index.byType.get(type);
  if (byType !== undefined && classAdmits(byType, family, membership, row)) return true;
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return false;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode !== undefined && classAdmits(byTypeCode, family, membership, row);
}

function classAdmits(peers: PeerClass, family: 4 | 6, membership: GroupMembership, row: number): boolean {
  const inCidrs =
    family === 4
      ? cidrIndexContainsIpv4(peers.cidrs, ADDRESS[0] ?? 0)
      : cidrIndexContainsIpv6(peers.cidrs, ADDRESS[0] ?? 0, ADDRESS[1] ?? 0, ADDRESS[2] ?? 0, ADDRESS[3] ?? 0);
  return inCidrs || (row >= 0 && membership.rowHasAnyOf(row, peers.groupBits));
}

// ---- the attributing path: every matching rule -------------------------------------------------

function collectTable(table: FamilyTable, flow: Flow, family: 4 | 6, membership: GroupMembership, row: number): number {
  let count = 0;
  if (table.anyProtocol !== undefined) count = collectClass(table.anyProtocol, family, membership, row, count);
  switch (flow.protocol) {
    case 6:
      return table.tcp === undefined ? count : collectPort(table.tcp, flow.port, family, membership, row, count);
    case 17:
      return table.udp === undefined ? count : collectPort(table.udp, flow.port, family, membership, row, count);
    case 1:
      return table.icmp === undefined ? count : collectIcmp(table.icmp, flow, family, membership, row, count);
    case 58:
      return table.icmpv6 === undefined ? count : collectIcmp(table.icmpv6, flow, family, membership, row, count);
    default: {
      const peers = table.otherProtocols.get(flow.protocol);
      return peers === undefined ? count : collectClass(peers, family, membership, row, count);
    }
  }
}

function collectPort(
  index: PortIndex<PeerClass>,
  port: number | undefined,
  family: 4 | 6,
  membership: GroupMembership,
  row: number,
  count: number,
): number {
  const segment = port === undefined ? -1 : portSegment(index, port);
  if (segment < 0) return count;
  const end = index.offsets[segment + 1] ?? 0;
  for (let i = index.offsets[segment] ?? 0; i < end; i++) {
    const peers = index.items[i];
    if (peers !== undefined) count = collectClass(peers, family, membership, row, count);
  }
  return count;
}

function collectIcmp(index: IcmpIndex, flow: Flow, family: 4 | 6, membership: GroupMembership, row: number, count: number): number {
  if (index.allTypes !== undefined) count = collectClass(index.allTypes, family, membership, row, count);
  const type = flow.icmpType;
  if (type === undefined || (type & 255) !== type) return count;
  const byType = index.byType.get(type);
  if (byType !== undefined) count = collectClass(byType, family, membership, row, count);
  const code = flow.icmpCode;
  if (code === undefined || (code & 255) !== code) return count;
  const byTypeCode = index.byTypeCode.get(icmpKey(type, code));
  return byTypeCode === undefined ? count : collectClass(byTypeCode, family, membership, row, count);
}

function collectClass(peers: PeerClass, family: 4 | 6, membership: GroupMembership, row: number, count: number): number {
  count =
    family === 4
      ? collectCidrMatchesIpv4(peers.cidrs, ADDRESS[0] ?? 0, matched, count)
      : collectCidrMatchesIpv6(peers.cidrs, ADDRESS[0] ?? 0, ADDRESS[1] ?? 0, ADDRESS[2] ?? 0, ADDRESS[3] ?? 0, matched, count);
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
