import { parseIpv4Cidr, parseIpv6Cidr } from '../domain/cidr.js';
import type { Direction, SecurityGroupRule } from '../domain/rule.js';
import { buildCidrIndex, type CidrEntry, type CidrIndex } from './cidr-index.js';
import { referencedGroupIds, type PeerResolver } from './effective-policy.js';
import { GroupMembership } from './group-membership.js';
import { buildPortIndex, MAX_PORT, type PortIndex } from './port-index.js';
import type { RuleMatch } from './verdict.js';
import { ALL, ICMP, ICMPV6, TCP, UDP, trafficSpecOf, type TrafficSpec } from './traffic-spec.js';

/**
 * Compilation of one instance's effective policy into the structure the flow evaluator walks,
 * after Tailscale's `filter.New`: split by direction and address family, index by protocol and
 * then by destination port (tcp/udp) or ICMP type/code, and give each set of peers a membership
 * test fitted to its shape (cidr-index.ts). Group peers go through one `GroupMembership` per
 * policy (address → the referenced groups holding it), so a flow's address is looked up once
 * however many group peers there are, and membership changes apply in place
 * (`updateGroupMembers`) without touching any rule class.
 *
 * Costs, for r rules, e resolved CIDR blocks (rule CIDRs and prefix-list entries), m member
 * addresses of g referenced groups and p distinct port ranges per protocol:
 * - `compilePolicy`: O(r + e log e + m + p log p + s), s the total length of the port segments'
 *   lists (≈ p for ranges that do not overlap, O(p²) at worst). Memory is
 *   O(r + e + m·⌈g/32⌉ + s); bench/evaluator.ts measures about 600 bytes per rule at 1,000 and
 *   10,000 rules, member tables included.
 * - `updateGroupMembers`: O(n + m') for n old and m' new members of that group; nothing else is
 *   touched. `addGroupMember` / `removeGroupMember`: O(1) expected (O(g / 32) when an address
 *   leaves its last group, g referenced groups).
 * - A prefix-list change or any rule change needs a new `compilePolicy`.
 */

/** The rules of one class that name one group as their peer. */
export interface GroupPeer {
  /** The group's bit in `CompiledPolicy.membership`. */
  readonly bit: number;
  /** Indexes into `CompiledPolicy.rules`, ascending. */
  readonly rules: Int32Array;
}

/**
 * The peers of one rule class (one direction, family, protocol and port spec): CIDR blocks
 * (rule CIDRs and prefix-list entries) in one index, plus the groups its rules name.
 */
export interface PeerClass {
  readonly cidrs: CidrIndex;
  /** The bits of `groups`, as a bitset for `GroupMembership.rowHasAnyOf`. */
  readonly groupBits: Int32Array;
  readonly groups: readonly GroupPeer[];
}

/** ICMP rule classes of one protocol (icmp or icmpv6) by type and code (spec/semantics.md §3.2). */
export interface IcmpIndex {
  /** Rules with type -1: every type and code. */
  readonly allTypes: PeerClass | undefined;
  /** Rules with type T and code -1, by T. */
  readonly byType: ReadonlyMap<number, PeerClass>;
  /** Rules with type T and code C, by `icmpKey(T, C)`. */
  readonly byTypeCode: ReadonlyMap<number, PeerClass>;
}

/** The rules of one direction and one address family, indexed for evaluation. */
export interface FamilyTable {
  readonly family: 4 | 6;
  /** No rule of this direction can match an address of this family. */
  readonly isEmpty: boolean;
  /** Protocol `-1` rules: every protocol, every port (spec/semantics.md §3.2). */
  readonly anyProtocol: PeerClass | undefined;
  readonly tcp: PortIndex<PeerClass> | undefined;
  readonly udp: PortIndex<PeerClass> | undefined;
  readonly icmp: IcmpIndex | undefined;
  readonly icmpv6: IcmpIndex | undefined;
  /** Every other protocol number: matched by number only, ports ignored. */
  readonly otherProtocols: ReadonlyMap<number, PeerClass>;
}

/**
 * What the rules of one direction cover, ignoring peers: lets a denial say how far a flow got
 * (no rule at all, none for its protocol, none for its port) without a scan.
 */
export interface DirectionCoverage {
  readonly ruleCount: number;
  readonly anyProtocol: boolean;
  /** Protocol numbers with at least one rule (protocol `-1` not included). */
  readonly protocols: ReadonlySet<number>;
  /** Port coverage of tcp and udp rules; a segment with an item is covered. */
  readonly tcpPorts: PortIndex<true>;
  readonly udpPorts: PortIndex<true>;
  /** `icmpKey`s of the icmp and icmpv6 rules. */
  readonly icmpKeys: ReadonlySet<number>;
  readonly icmpv6Keys: ReadonlySet<number>;
}

/**
 * A rule whose peer is the CIDR `0.0.0.0/0` or `::/0` itself, kept aside for the tracked/untracked
 * decision (connection-tracking.ts). `protocol` is -1 for all protocols; ports are the rule's
 * range for tcp/udp and 0–65535 otherwise.
 */
export interface OpenRule {
  readonly family: 4 | 6;
  readonly protocol: number;
  readonly fromPort: number;
  readonly toPort: number;
}

/**
 * One instance's compiled policy. Everything is read-only except `membership`, which changes
 * through `updateGroupMembers`, `addGroupMember` and `removeGroupMember`.
 */
export interface CompiledPolicy {
  /** The rules as given to `compilePolicy`; indexes elsewhere point into this array. */
  readonly rules: readonly SecurityGroupRule[];
  /** `{ groupId, ruleId }` of each rule, built once so that verdicts share them. */
  readonly ruleMatches: readonly RuleMatch[];
  readonly ingressIpv4: FamilyTable;
  readonly ingressIpv6: FamilyTable;
  readonly egressIpv4: FamilyTable;
  readonly egressIpv6: FamilyTable;
  readonly ingressCoverage: DirectionCoverage;
  readonly egressCoverage: DirectionCoverage;
  readonly ingressOpenRules: readonly OpenRule[];
  readonly egressOpenRules: readonly OpenRule[];
  /** The members of every referenced group, shared by every rule naming one. */
  readonly membership: GroupMembership;
  /** Prefix lists resolved at compile time; a change to one needs a new `compilePolicy`. */
  readonly prefixListIds: readonly string[];
  /** False for EC2-Classic: every new outbound flow is admitted (EffectivePolicy.egressFiltered). */
  readonly egressFiltered: boolean;
}

/** `icmpKey` of a rule for every ICMP type. */
export const ICMP_ALL_TYPES_KEY = -1;

/**
 * Key of an ICMP (type, code) pair of a rule: -1 for every type, 65536 + T for every code of type
 * T, and T·256 + C for one code. Only for T and C in 0–255.
 */
export function icmpKey(type: number, code: number): number {
  if (type === ALL) return ICMP_ALL_TYPES_KEY;
  return code === ALL ? 65536 + type : type * 256 + code;
}

/**
 * Compiles `rules` (typically `EffectivePolicy.rules`: every rule of every group of one instance,
 * both directions) resolving group and prefix-list peers through `resolver` once. Rules the domain
 * would never store (an unknown protocol, a tcp/udp range outside 0–65535 or reversed, an ICMP
 * type or code outside -1–255) and peers that do not parse are ignored: they admit nothing. The
 * result does not read `resolver` again. `options.egressFiltered` false (EC2-Classic) admits every
 * outbound flow whatever the egress rules.
 */
export function compilePolicy(
  rules: readonly SecurityGroupRule[],
  resolver: PeerResolver,
  options: { readonly egressFiltered?: boolean } = {},
): CompiledPolicy {
  const membership = new GroupMembership(referencedGroupIds(rules));
  for (const groupId of membership.groupIds) membership.replace(groupId, resolver.membersOf(groupId));
  const prefixListIds = new Set<string>();
  const builders: Record<Direction, DirectionBuilders> = { ingress: directionBuilders(), egress: directionBuilders() };

  rules.forEach((rule, index) => {
    const spec = trafficSpecOf(rule);
    if (spec === undefined || (rule.direction !== 'ingress' && rule.direction !== 'egress')) return;
    const direction = builders[rule.direction];
    direction.coverage.add(spec);
    const open = openRuleOf(rule);
    if (open !== undefined) direction.open.push(open);
    const peer = rule.peer;
    switch (peer.kind) {
      case 'cidr4': {
        const cidr = parseIpv4Cidr(peer.cidr);
        if (cidr === undefined) return;
        direction.ipv4.addCidr(spec, { network: BigInt(cidr.network), prefixLength: cidr.prefixLength, rule: index });
        return;
      }
      case 'cidr6': {
        const cidr = parseIpv6Cidr(peer.cidr);
        if (cidr === undefined) return;
        direction.ipv6.addCidr(spec, { network: cidr.network, prefixLength: cidr.prefixLength, rule: index });
        return;
      }
      case 'prefixList': {
        prefixListIds.add(peer.prefixListId);
        for (const text of resolver.prefixListEntries(peer.prefixListId)) {
          const v4 = parseIpv4Cidr(text);
          if (v4 !== undefined) {
            direction.ipv4.addCidr(spec, { network: BigInt(v4.network), prefixLength: v4.prefixLength, rule: index });
            continue;
          }
          const v6 = parseIpv6Cidr(text);
          if (v6 !== undefined) {
            direction.ipv6.addCidr(spec, { network: v6.network, prefixLength: v6.prefixLength, rule: index });
          }
        }
        return;
      }
      case 'group': {
        const bit = membership.bitOf(peer.groupId);
        // Members may have addresses of either family, so the rule joins both tables.
        direction.ipv4.addGroup(spec, bit, index);
        direction.ipv6.addGroup(spec, bit, index);
        return;
      }
      default: {
        const never: never = peer;
        return never;
      }
    }
  });

  return {
    rules,
    ruleMatches: rules.map((rule) => Object.freeze({ groupId: rule.groupId, ruleId: rule.ruleId })),
    ingressIpv4: builders.ingress.ipv4.build(membership),
    ingressIpv6: builders.ingress.ipv6.build(membership),
    egressIpv4: builders.egress.ipv4.build(membership),
    egressIpv6: builders.egress.ipv6.build(membership),
    ingressCoverage: builders.ingress.coverage.build(),
    egressCoverage: builders.egress.coverage.build(),
    ingressOpenRules: builders.ingress.open,
    egressOpenRules: builders.egress.open,
    membership,
    prefixListIds: [...prefixListIds],
    egressFiltered: options.egressFiltered ?? true,
  };
}

/**
 * Makes `addresses` the current members of `groupId` for every rule of `policy` that names it.
 * Reports whether the policy references the group (if not, nothing changes and nothing needs to).
 * O(n + m) for n old and m new members; the rest of the policy is untouched.
 */
export function updateGroupMembers(policy: CompiledPolicy, groupId: string, addresses: readonly string[]): boolean {
  return policy.membership.replace(groupId, addresses);
}

/**
 * Adds one member address of `groupId` (an instance joined the group). Reports whether the policy
 * references the group. O(1) expected.
 */
export function addGroupMember(policy: CompiledPolicy, groupId: string, address: string): boolean {
  if (policy.membership.bitOf(groupId) < 0) return false;
  policy.membership.add(groupId, address);
  return true;
}

/**
 * Removes one member address of `groupId` (an instance left the group or was terminated).
 * Reports whether the policy references the group. O(1) expected.
 */
export function removeGroupMember(policy: CompiledPolicy, groupId: string, address: string): boolean {
  if (policy.membership.bitOf(groupId) < 0) return false;
  policy.membership.delete(groupId, address);
  return true;
}

// ---- construction -----------------------------------------------------------------------------

/** What one direction's rules are gathered into while compiling. */
interface DirectionBuilders {
  readonly ipv4: TableBuilder;
  readonly ipv6: TableBuilder;
  readonly coverage: CoverageBuilder;
  readonly open: OpenRule[];
}

function directionBuilders(): DirectionBuilders {
  return { ipv4: new TableBuilder(4), ipv6: new TableBuilder(6), coverage: new CoverageBuilder(), open: [] };
}





/**
 * The rule as an `OpenRule` when its own peer is the CIDR `0.0.0.0/0` or `::/0` (a prefix list
 * holding /0 does not count, spec/semantics.md §10), else undefined. Shared by the compiler and
 * the nftables renderer, so that both decide tracking alike.
 */
export function openRuleOf(rule: SecurityGroupRule): OpenRule | undefined {
  const spec = trafficSpecOf(rule);
  const peer = rule.peer;
  if (spec === undefined || (peer.kind !== 'cidr4' && peer.kind !== 'cidr6')) return undefined;
  const prefixLength = peer.kind === 'cidr4' ? parseIpv4Cidr(peer.cidr)?.prefixLength : parseIpv6Cidr(peer.cidr)?.prefixLength;
  if (prefixLength !== 0) return undefined;
  const hasPorts = spec.protocol === TCP || spec.protocol === UDP;
  return {
    family: peer.kind === 'cidr4' ? 4 : 6,
    protocol: spec.protocol,
    fromPort: hasPorts ? spec.fromPort : 0,
    toPort: hasPorts ? spec.toPort : MAX_PORT,
  };
}

/** The peers gathered for one rule class while compiling. */
class ClassAccumulator {
  readonly cidrs: CidrEntry[] = [];
  // Group bit → the rules naming that group.
  readonly groups = new Map<number, number[]>();

  addGroup(bit: number, rule: number): void {
    const rules = this.groups.get(bit);
    if (rules === undefined) this.groups.set(bit, [rule]);
    else rules.push(rule);
  }

  build(family: 4 | 6, membership: GroupMembership): PeerClass | undefined {
    const cidrs = buildCidrIndex(family, this.cidrs);
    if (cidrs.shape === 'none' && this.groups.size === 0) return undefined;
    const groups = [...this.groups].map(([bit, rules]) => ({ bit, rules: Int32Array.from(rules) }));
    const groupIds = groups.flatMap((group) => membership.groupIds[group.bit] ?? []);
    return { cidrs, groupBits: groups.length === 0 ? NO_GROUPS : membership.bitsOf(groupIds), groups };
  }
}

// Shared empties: most policies have no rule of most kinds, and an empty Map, Set or typed array
// still costs 100–200 bytes.
const NO_GROUPS = new Int32Array(0);
const NO_CLASSES: ReadonlyMap<number, PeerClass> = new Map();
const NO_NUMBERS: ReadonlySet<number> = new Set();

/** Gathers the rules of one direction and family by class, then builds a `FamilyTable`. */
class TableBuilder {
  readonly #family: 4 | 6;
  readonly #any = new ClassAccumulator();
  readonly #ports = new Map<number, Map<string, { fromPort: number; toPort: number; peers: ClassAccumulator }>>([
    [TCP, new Map()],
    [UDP, new Map()],
  ]);
  readonly #icmp = new Map<number, Map<number, ClassAccumulator>>([
    [ICMP, new Map()],
    [ICMPV6, new Map()],
  ]);
  readonly #other = new Map<number, ClassAccumulator>();

  constructor(family: 4 | 6) {
    this.#family = family;
  }

  addCidr(spec: TrafficSpec, entry: CidrEntry): void {
    this.#classFor(spec).cidrs.push(entry);
  }

  addGroup(spec: TrafficSpec, bit: number, rule: number): void {
    this.#classFor(spec).addGroup(bit, rule);
  }

  build(membership: GroupMembership): FamilyTable {
    const family = this.#family;
    const anyProtocol = this.#any.build(family, membership);
    const ports = (protocol: number): PortIndex<PeerClass> | undefined => {
      const ranges = [];
      for (const range of this.#ports.get(protocol)?.values() ?? []) {
        const item = range.peers.build(family, membership);
        if (item !== undefined) ranges.push({ fromPort: range.fromPort, toPort: range.toPort, item });
      }
      return ranges.length === 0 ? undefined : buildPortIndex(ranges);
    };
    const icmp = (protocol: number): IcmpIndex | undefined => {
      let allTypes: PeerClass | undefined;
      const byType = new Map<number, PeerClass>();
      const byTypeCode = new Map<number, PeerClass>();
      for (const [key, accumulator] of this.#icmp.get(protocol) ?? []) {
        const peers = accumulator.build(family, membership);
        if (peers === undefined) continue;
        if (key === ICMP_ALL_TYPES_KEY) allTypes = peers;
        else if (key >= 65536) byType.set(key - 65536, peers);
        else byTypeCode.set(key, peers);
      }
      return allTypes === undefined && byType.size === 0 && byTypeCode.size === 0
        ? undefined
        : { allTypes, byType, byTypeCode };
    };
    const found = new Map<number, PeerClass>();
    for (const [protocol, accumulator] of this.#other) {
      const peers = accumulator.build(family, membership);
      if (peers !== undefined) found.set(protocol, peers);
    }
    const otherProtocols = found.size === 0 ? NO_CLASSES : found;
    const table = {
      anyProtocol,
      tcp: ports(TCP),
      udp: ports(UDP),
      icmp: icmp(ICMP),
      icmpv6: icmp(ICMPV6),
      otherProtocols,
    };
    const isEmpty =
      table.anyProtocol === undefined &&
      table.tcp === undefined &&
      table.udp === undefined &&
      table.icmp === undefined &&
      table.icmpv6 === undefined &&
      otherProtocols.size === 0;
    return { family, isEmpty, ...table };
  }

  #classFor(spec: TrafficSpec): ClassAccumulator {
    if (spec.protocol === ALL) return this.#any;
    const ports = this.#ports.get(spec.protocol);
    if (ports !== undefined) {
      const key = `${spec.fromPort}-${spec.toPort}`;
      let range = ports.get(key);
      if (range === undefined) {
        range = { fromPort: spec.fromPort, toPort: spec.toPort, peers: new ClassAccumulator() };
        ports.set(key, range);
      }
      return range.peers;
    }
    const icmp = this.#icmp.get(spec.protocol);
    if (icmp !== undefined) return accumulatorAt(icmp, icmpKey(spec.fromPort, spec.toPort));
    return accumulatorAt(this.#other, spec.protocol);
  }
}

function accumulatorAt(map: Map<number, ClassAccumulator>, key: number): ClassAccumulator {
  let accumulator = map.get(key);
  if (accumulator === undefined) {
    accumulator = new ClassAccumulator();
    map.set(key, accumulator);
  }
  return accumulator;
}

/** Gathers what one direction's rules cover, ignoring peers. */
class CoverageBuilder {
  #ruleCount = 0;
  #anyProtocol = false;
  readonly #protocols = new Set<number>();
  readonly #ports = new Map<number, Map<string, { fromPort: number; toPort: number; item: true }>>([
    [TCP, new Map()],
    [UDP, new Map()],
  ]);
  readonly #icmpKeys = new Map<number, Set<number>>([
    [ICMP, new Set()],
    [ICMPV6, new Set()],
  ]);

  add(spec: TrafficSpec): void {
    this.#ruleCount++;
    if (spec.protocol === ALL) {
      this.#anyProtocol = true;
      return;
    }
    this.#protocols.add(spec.protocol);
    this.#ports.get(spec.protocol)?.set(`${spec.fromPort}-${spec.toPort}`, { fromPort: spec.fromPort, toPort: spec.toPort, item: true });
    this.#icmpKeys.get(spec.protocol)?.add(icmpKey(spec.fromPort, spec.toPort));
  }

  build(): DirectionCoverage {
    const orNone = (set: ReadonlySet<number> | undefined): ReadonlySet<number> => (set === undefined || set.size === 0 ? NO_NUMBERS : set);
    return {
      ruleCount: this.#ruleCount,
      anyProtocol: this.#anyProtocol,
      protocols: orNone(this.#protocols),
      tcpPorts: buildPortIndex(mergedRanges([...(this.#ports.get(TCP)?.values() ?? [])])),
      udpPorts: buildPortIndex(mergedRanges([...(this.#ports.get(UDP)?.values() ?? [])])),
      icmpKeys: orNone(this.#icmpKeys.get(ICMP)),
      icmpv6Keys: orNone(this.#icmpKeys.get(ICMPV6)),
    };
  }
}

/** Overlapping or adjacent ranges merged, so that each port segment lists at most one item. */
function mergedRanges(
  ranges: readonly { fromPort: number; toPort: number }[],
): { fromPort: number; toPort: number; item: true }[] {
  const sorted = [...ranges].sort((a, b) => a.fromPort - b.fromPort);
  const merged: { fromPort: number; toPort: number; item: true }[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.fromPort <= last.toPort + 1) last.toPort = Math.max(last.toPort, range.toPort);
    else merged.push({ fromPort: range.fromPort, toPort: range.toPort, item: true });
  }
  return merged;
}
