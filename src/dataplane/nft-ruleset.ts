import {
  formatIpv4Address,
  formatIpv6Address,
  parseIpv4Address,
  parseIpv4Cidr,
  parseIpv6Address,
  parseIpv6Cidr,
} from '../domain/cidr.js';
import type { Direction, SecurityGroupRule } from '../domain/rule.js';
import { openRuleOf, type OpenRule } from './compiled-policy.js';
import { admitsAllResponses } from './connection-tracking.js';
import { referencedGroupIds, type PeerResolver } from './effective-policy.js';
import { ALL, TCP, UDP, ICMP, ICMPV6, MAX_PORT, trafficSpecOf, type TrafficSpec } from './traffic-spec.js';

/**
 * One instance's effective policy as nftables text for its network namespace: the enforcement
 * side of the evaluator in flow-evaluator.ts, rendered purely (no I/O) so that the same input
 * always gives the same text. agent/nft-apply.ts is the only code that runs it.
 *
 * Shape (notes/nftables.md, "portsets"): one table `inet stockade` with
 * - chain `input` (hook input, policy drop) for ingress rules and chain `output` (hook output,
 *   policy drop) for egress rules, each starting with `ct state established,related accept` so
 *   that responses to admitted flows, and the ICMP errors they cause, pass whatever the rules
 *   say (spec/semantics.md §10, stateful);
 * - rules grouped into classes by (direction, address family, protocol, port spec), as
 *   compiled-policy.ts groups them. A class's CIDR peers (rule CIDRs and prefix-list entries)
 *   share one interval set and one rule; each group it names gets one rule on the group's set;
 * - one named set per referenced group and family (`g4_…`, `g6_…`, plain addresses, no
 *   intervals), shared by every rule naming the group, so a membership change is only
 *   `add element` / `delete element` (`renderGroupMembershipChange`) and never touches a rule.
 *
 * The number of rules grows with the number of classes and group peers, never with the number
 * of CIDRs or members, and an update is one transaction of constant process count.
 */

/** The address family and name of the one table Stockade owns in each namespace. */
export const NFT_TABLE = 'inet stockade';

// Group IDs of this shape name their sets readably (`sg-1a2b3c4d` → `g4_sg_1a2b3c4d`): without `_`
// in them, turning `-` into `_` cannot make two IDs collide. Anything else is hex-encoded.
const READABLE_GROUP_ID = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/** The chain of each direction: ingress is filtered on input, egress on the output path. */
const CHAIN_OF: Record<Direction, { readonly name: string; readonly hook: string; readonly loopback: string }> = {
  ingress: { name: 'input', hook: 'input', loopback: 'iif "lo" accept' },
  egress: { name: 'output', hook: 'output', loopback: 'oif "lo" accept' },
};

/** The peer's side of the packet: the source for ingress, the destination for egress (spec/semantics.md §10). */
const PEER_FIELD: Record<Direction, Record<4 | 6, string>> = {
  ingress: { 4: 'ip saddr', 6: 'ip6 saddr' },
  egress: { 4: 'ip daddr', 6: 'ip6 daddr' },
};

/**
 * IPv6 neighbour discovery is the link layer's business, as ARP is for IPv4 (which an `inet`
 * table never sees): without it no IPv6 rule could admit anything. Hop limit 255 proves the
 * message was not routed (RFC 4861 §7.1.1). UNCONFIRMED (spec/semantics.md §10 does not say):
 * EC2 documents no security-group filtering of neighbour discovery.
 */
const NEIGHBOUR_DISCOVERY = 'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept';

/** The output chain of an instance whose outbound traffic is not filtered (EC2-Classic). */
const UNFILTERED_OUTPUT = '\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n\t}\n';

/**
 * Renders the whole table for an instance whose effective policy is `rules` (both directions,
 * every group, as `compilePolicy` takes them), resolving group members and prefix-list entries
 * through `resolver` once. Rules the evaluator ignores (unknown protocol, bad ports, peers that
 * do not parse) admit nothing here either, and member addresses that do not parse are left out.
 * The text depends on the rules as a collection, not on their order. Load it with
 * `renderReplaceTransaction`. With `options.egressFiltered` false (EC2-Classic, which filters no
 * outbound traffic: spec/semantics.md §10) the output chain accepts everything and egress rules
 * are left out.
 */
export function renderRuleset(
  rules: readonly SecurityGroupRule[],
  resolver: PeerResolver,
  options: { readonly egressFiltered?: boolean } = {},
): string {
  const egressFiltered = options.egressFiltered ?? true;
  const classes = new Map<string, RuleClass>();
  for (const rule of rules) {
    const spec = trafficSpecOf(rule);
    if (spec === undefined || (rule.direction !== 'ingress' && rule.direction !== 'egress')) continue;
    if (rule.direction === 'egress' && !egressFiltered) continue;
    const peer = rule.peer;
    switch (peer.kind) {
      case 'cidr4':
      case 'cidr6': {
        const interval = intervalOfCidr(peer.cidr);
        // The peer's kind fixes the family: a `cidr4` that reads as IPv6 admits nothing.
        if (interval !== undefined && interval.family === (peer.kind === 'cidr4' ? 4 : 6)) {
          classAt(classes, rule.direction, interval.family, spec).intervals.push(interval);
        }
        break;
      }
      case 'prefixList':
        for (const entry of resolver.prefixListEntries(peer.prefixListId)) {
          const interval = intervalOfCidr(entry);
          if (interval !== undefined) classAt(classes, rule.direction, interval.family, spec).intervals.push(interval);
        }
        break;
      case 'group':
        // Members may have addresses of either family, so the rule joins both (as in compiled-policy.ts).
        classAt(classes, rule.direction, 4, spec).groupIds.add(peer.groupId);
        classAt(classes, rule.direction, 6, spec).groupIds.add(peer.groupId);
        break;
      default: {
        const never: never = peer;
        return never;
      }
    }
  }

  const sets: { readonly name: string; readonly text: string }[] = [];
  const chainRules: Record<Direction, string[]> = { ingress: [], egress: [] };
  for (const ruleClass of [...classes.values()].sort(compareClasses)) {
    const traffic = trafficMatch(ruleClass.spec);
    const field = PEER_FIELD[ruleClass.direction][ruleClass.family];
    const lines = chainRules[ruleClass.direction];
    const blocks = mergedIntervals(ruleClass.intervals);
    if (blocks.length > 0) {
      const name = cidrSetName(ruleClass);
      const elements = blocks.map((block) => formatInterval(ruleClass.family, block));
      sets.push({ name, text: renderSet(name, ruleClass.family, true, elements) });
      lines.push(acceptRule(field, name, traffic));
    }
    for (const name of [...ruleClass.groupIds].map((id) => groupSetName(id, ruleClass.family)).sort()) {
      lines.push(acceptRule(field, name, traffic));
    }
  }
  // Every referenced group gets both sets, even empty, so that any later member (of either
  // family) is an `add element` and never a new set.
  for (const groupId of referencedGroupIds(rules)) {
    for (const family of [4, 6] as const) {
      const name = groupSetName(groupId, family);
      sets.push({ name, text: renderSet(name, family, false, memberElements(resolver.membersOf(groupId), family)) });
    }
  }
  sets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const output = egressFiltered ? renderChain('egress', chainRules.egress) : UNFILTERED_OUTPUT;
  const body = [...sets.map((set) => set.text), renderChain('ingress', chainRules.ingress), output];
  // EC2-Classic: every flow is tracked (UNCONFIRMED: its documentation predates untracked flows).
  if (egressFiltered) body.push(...renderUntrackedChains(rules));
  return `table ${NFT_TABLE} {\n${body.join('\n')}}\n`;
}

/**
 * One `nft -f` transaction that swaps the loaded table for `ruleset` (from `renderRuleset`):
 * `table` makes sure there is something to delete, `delete table` drops the old one, and the new
 * one follows, all in one commit, so no packet ever sees a half-built table or none
 * (notes/nftables.md, "Atomic replace"). Connection tracking is not part of the table, so
 * established flows survive the swap (spec/semantics.md §10, tracked flows).
 */
export function renderReplaceTransaction(ruleset: string): string {
  return `table ${NFT_TABLE}\ndelete table ${NFT_TABLE}\n${ruleset}`;
}

/** One `nft -f` transaction that removes the table (and with it all filtering) if it is loaded. */
export function renderDeleteTransaction(): string {
  return `table ${NFT_TABLE}\ndelete table ${NFT_TABLE}\n`;
}

/**
 * The name of the set holding `groupId`'s member addresses of `family`, e.g. `g4_sg_1a2b3c4d`.
 * Distinct IDs give distinct names: IDs of the form `word(-word)*` map `-` to `_`, any other ID
 * is hex-encoded under `gx4_` / `gx6_`.
 */
export function groupSetName(groupId: string, family: 4 | 6): string {
  if (READABLE_GROUP_ID.test(groupId)) return `g${family}_${groupId.replaceAll('-', '_')}`;
  const hex = Array.from(new TextEncoder().encode(groupId), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `gx${family}_${hex}`;
}

/**
 * One `nft -f` transaction that turns `groupId`'s sets from the members `previous` into the
 * members `next` (addresses of either family; repeats, spellings and order do not matter, and
 * addresses that do not parse are ignored as `renderRuleset` ignores them): a `delete element`
 * and an `add element` line per family, only for what changed, and no rule. Empty text when
 * nothing changed. `previous` must be what the sets hold now: deleting an absent element makes
 * nft refuse the whole transaction (nothing is applied), and the caller then replaces the table.
 */
export function renderGroupMembershipChange(groupId: string, previous: readonly string[], next: readonly string[]): string {
  const lines: string[] = [];
  for (const family of [4, 6] as const) {
    const before = new Set(memberElements(previous, family));
    const after = memberElements(next, family);
    const afterSet = new Set(after);
    const removed = [...before].filter((address) => !afterSet.has(address));
    const added = after.filter((address) => !before.has(address));
    const name = groupSetName(groupId, family);
    if (removed.length > 0) lines.push(`delete element ${NFT_TABLE} ${name} { ${removed.join(', ')} }\n`);
    if (added.length > 0) lines.push(`add element ${NFT_TABLE} ${name} { ${added.join(', ')} }\n`);
  }
  return lines.join('');
}

// ---- untracked flows --------------------------------------------------------------------------

/**
 * EC2 does not track a TCP or UDP flow admitted by a rule whose peer is `0.0.0.0/0` (`::/0`) when
 * a rule of the other direction with that peer admits all of the protocol's traffic, on every
 * port; removing the rule then cuts the flow at once instead of letting it live on
 * (spec/semantics.md §10; connection-tracking.ts is the evaluator's side). Here such packets are
 * marked `notrack` before connection tracking sees them (chains at priority raw on prerouting and
 * output), so `ct state established` never matches them and every packet is judged by the rules:
 * the forward rule admits one direction and the all-ports rule the other, until either is gone.
 * Both directions of a flow are marked: the port is the destination one way and the source the
 * other. Empty when nothing is untracked.
 */
function renderUntrackedChains(rules: readonly SecurityGroupRule[]): string[] {
  const open: Record<Direction, OpenRule[]> = { ingress: [], egress: [] };
  for (const rule of rules) {
    const openRule = openRuleOf(rule);
    if (openRule !== undefined && (rule.direction === 'ingress' || rule.direction === 'egress')) open[rule.direction].push(openRule);
  }
  const inbound: string[] = [];
  const outbound: string[] = [];
  for (const family of [4, 6] as const) {
    for (const protocol of [TCP, UDP]) {
      const ranges = (direction: Direction): [number, number][] =>
        open[direction].filter((r) => r.family === family && (r.protocol === ALL || r.protocol === protocol)).map((r) => [r.fromPort, r.toPort]);
      const ingress = ranges('ingress');
      const egress = ranges('egress');
      const prefix = `meta nfproto ${family === 4 ? 'ipv4' : 'ipv6'} ${protocol === TCP ? 'tcp' : 'udp'}`;
      // Flows initiated from outside: the instance's port is the destination inbound.
      if (admitsAllResponses(open.egress, family, protocol) && ingress.length > 0) {
        inbound.push(notrack(prefix, 'dport', ingress));
        outbound.push(notrack(prefix, 'sport', ingress));
      }
      // Flows the instance initiates: the remote port is the destination outbound.
      if (admitsAllResponses(open.ingress, family, protocol) && egress.length > 0) {
        outbound.push(notrack(prefix, 'dport', egress));
        inbound.push(notrack(prefix, 'sport', egress));
      }
    }
  }
  if (inbound.length === 0) return [];
  const chain = (name: string, hook: string, lines: readonly string[]) =>
    [`\tchain ${name} {\n`, `\t\ttype filter hook ${hook} priority raw; policy accept;\n`, ...[...new Set(lines)].map((l) => `\t\t${l}\n`), '\t}\n'].join('');
  return [chain('untracked_in', 'prerouting', inbound), chain('untracked_out', 'output', outbound)];
}

function notrack(prefix: string, field: 'dport' | 'sport', ranges: readonly (readonly [number, number])[]): string {
  const merged: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  if (merged.length === 1 && merged[0]?.[0] === 0 && merged[0][1] === MAX_PORT) return `${prefix.replace(/ (tcp|udp)$/, ' meta l4proto $1')} notrack`;
  const items = merged.map(([from, to]) => (from === to ? String(from) : `${from}-${to}`));
  return `${prefix} ${field} ${items.length === 1 ? items[0] : `{ ${items.join(', ')} }`} notrack`;
}

// ---- rule classes -----------------------------------------------------------------------------


/** An inclusive range of addresses of one family, as unsigned integers. */
interface AddressInterval {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** The rules of one (direction, family, protocol, port spec): their CIDR blocks and named groups. */
interface RuleClass {
  readonly direction: Direction;
  readonly family: 4 | 6;
  readonly spec: TrafficSpec;
  readonly intervals: AddressInterval[];
  readonly groupIds: Set<string>;
}




function classAt(classes: Map<string, RuleClass>, direction: Direction, family: 4 | 6, spec: TrafficSpec): RuleClass {
  const key = `${direction} ${family} ${spec.protocol} ${spec.fromPort} ${spec.toPort}`;
  let ruleClass = classes.get(key);
  if (ruleClass === undefined) {
    ruleClass = { direction, family, spec, intervals: [], groupIds: new Set() };
    classes.set(key, ruleClass);
  }
  return ruleClass;
}

/** Chain order: by protocol (all protocols first), then ports, then family. */
function compareClasses(a: RuleClass, b: RuleClass): number {
  return (
    a.spec.protocol - b.spec.protocol ||
    a.spec.fromPort - b.spec.fromPort ||
    a.spec.toPort - b.spec.toPort ||
    a.family - b.family
  );
}

/**
 * The name of a class's CIDR set: `c4_ingress_tcp_8080`, `c4_ingress_tcp_1000_2000`,
 * `c6_egress_all`, `c4_ingress_icmp_all`, `c4_ingress_icmp_8_all`, `c4_ingress_icmp_8_0`,
 * `c4_ingress_proto_50`. Derived from the class alone, so it is stable across renders.
 */
function cidrSetName(ruleClass: RuleClass): string {
  const { protocol, fromPort, toPort } = ruleClass.spec;
  const prefix = `c${ruleClass.family}_${ruleClass.direction}`;
  switch (protocol) {
    case ALL:
      return `${prefix}_all`;
    case TCP:
    case UDP: {
      const name = protocol === TCP ? 'tcp' : 'udp';
      return fromPort === toPort ? `${prefix}_${name}_${fromPort}` : `${prefix}_${name}_${fromPort}_${toPort}`;
    }
    case ICMP:
    case ICMPV6: {
      const name = protocol === ICMP ? 'icmp' : 'icmpv6';
      if (fromPort === ALL) return `${prefix}_${name}_all`;
      return toPort === ALL ? `${prefix}_${name}_${fromPort}_all` : `${prefix}_${name}_${fromPort}_${toPort}`;
    }
    default:
      return `${prefix}_proto_${protocol}`;
  }
}

/**
 * The protocol and port part of a class's rule (spec/semantics.md §3.2): nothing for all
 * protocols; `tcp dport P` or `P-Q` (the whole range is just the protocol); ICMP type and code,
 * where -1 means all; other protocols by number, ports ignored.
 */
function trafficMatch(spec: TrafficSpec): string {
  const { protocol, fromPort, toPort } = spec;
  switch (protocol) {
    case ALL:
      return '';
    case TCP:
    case UDP: {
      const name = protocol === TCP ? 'tcp' : 'udp';
      if (fromPort === 0 && toPort === MAX_PORT) return `meta l4proto ${name}`;
      return fromPort === toPort ? `${name} dport ${fromPort}` : `${name} dport ${fromPort}-${toPort}`;
    }
    case ICMP:
    case ICMPV6: {
      const name = protocol === ICMP ? 'icmp' : 'icmpv6';
      if (fromPort === ALL) return `meta l4proto ${protocol === ICMP ? 'icmp' : 'ipv6-icmp'}`;
      return toPort === ALL ? `${name} type ${fromPort}` : `${name} type ${fromPort} ${name} code ${toPort}`;
    }
    default:
      return `meta l4proto ${protocol}`;
  }
}

function acceptRule(field: string, setName: string, traffic: string): string {
  return traffic === '' ? `${field} @${setName} accept` : `${field} @${setName} ${traffic} accept`;
}

// ---- sets and elements ------------------------------------------------------------------------

function intervalOfCidr(text: string): AddressInterval | undefined {
  const v4 = parseIpv4Cidr(text);
  if (v4 !== undefined) {
    const first = BigInt(v4.network);
    return { family: 4, first, last: first + (1n << BigInt(32 - v4.prefixLength)) - 1n };
  }
  const v6 = parseIpv6Cidr(text);
  if (v6 !== undefined) {
    return { family: 6, first: v6.network, last: v6.network + (1n << BigInt(128 - v6.prefixLength)) - 1n };
  }
  return undefined;
}

/**
 * The union of `intervals` as sorted blocks that neither overlap nor touch. An interval set
 * without `auto-merge` refuses overlapping elements ("conflicting intervals specified"), and one
 * with it merges them behind our back so that a later `delete element` drops more than it names
 * (notes/nftables.md findings 3 and 4). Merging here keeps the kernel's elements exactly the
 * rendered ones; a CIDR set therefore changes only as a whole, never element by element.
 */
function mergedIntervals(intervals: readonly AddressInterval[]): AddressInterval[] {
  const sorted = [...intervals].sort((a, b) => compareBigints(a.first, b.first) || compareBigints(a.last, b.last));
  const merged: { family: 4 | 6; first: bigint; last: bigint }[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.first <= last.last + 1n) {
      if (interval.last > last.last) last.last = interval.last;
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** An interval as an element: one address, a prefix when it is exactly one, or `first-last`. */
function formatInterval(family: 4 | 6, interval: AddressInterval): string {
  const format = (address: bigint): string =>
    family === 4 ? formatIpv4Address(Number(address)) : formatIpv6Address(address);
  const size = interval.last - interval.first + 1n;
  if (size === 1n) return format(interval.first);
  const isPowerOfTwo = (size & (size - 1n)) === 0n;
  if (isPowerOfTwo && interval.first % size === 0n) {
    const width = family === 4 ? 32 : 128;
    return `${format(interval.first)}/${width - (size.toString(2).length - 1)}`;
  }
  return `${format(interval.first)}-${format(interval.last)}`;
}

/** The canonical texts of the addresses of `family` among `addresses`, without repeats, in numeric order. */
function memberElements(addresses: readonly string[], family: 4 | 6): string[] {
  const numeric = new Set<bigint>();
  for (const address of addresses) {
    if (family === 4) {
      const v4 = parseIpv4Address(address);
      if (v4 !== undefined) numeric.add(BigInt(v4));
    } else if (address.includes(':')) {
      const v6 = parseIpv6Address(address);
      if (v6 !== undefined) numeric.add(v6);
    }
  }
  return [...numeric]
    .sort(compareBigints)
    .map((address) => (family === 4 ? formatIpv4Address(Number(address)) : formatIpv6Address(address)));
}

function renderSet(name: string, family: 4 | 6, interval: boolean, elements: readonly string[]): string {
  const lines = [`\tset ${name} {\n`, `\t\ttype ${family === 4 ? 'ipv4_addr' : 'ipv6_addr'}\n`];
  if (interval) lines.push('\t\tflags interval\n');
  if (elements.length > 0) lines.push(`\t\telements = { ${elements.join(', ')} }\n`);
  lines.push('\t}\n');
  return lines.join('');
}

function renderChain(direction: Direction, rules: readonly string[]): string {
  const chain = CHAIN_OF[direction];
  const lines = [
    `\tchain ${chain.name} {\n`,
    `\t\ttype filter hook ${chain.hook} priority filter; policy drop;\n`,
    // First, so that only a flow's first packet walks the rules (notes/nftables.md, packet path).
    '\t\tct state established,related accept\n',
    `\t\t${chain.loopback}\n`,
    `\t\t${NEIGHBOUR_DISCOVERY}\n`,
    ...rules.map((rule) => `\t\t${rule}\n`),
    '\t}\n',
  ];
  return lines.join('');
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
