import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatIpv4Address,
  formatIpv6Address,
  parseIpv4Address,
  parseIpv4Cidr,
  parseIpv6Address,
  parseIpv6Cidr,
} from '../domain/cidr.js';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import {
  addGroupMember,
  compilePolicy,
  removeGroupMember,
  updateGroupMembers,
  type CompiledPolicy,
  type PeerClass,
} from './compiled-policy.js';
import { peerResolverFromMaps } from './effective-policy.js';
import type { Flow } from './flow.js';
import { evaluateFlow, isAdmitted } from './flow-evaluator.js';
import { evaluateFlowNaive } from './naive-evaluator.js';
import type { Verdict } from './verdict.js';

// The compiled evaluator against the naive reference (naive-evaluator.ts) on random policies and
// flows aimed at the rules' edges: both must return the same verdict (admitted or not, the same
// matching rules in the same order, the same reason), before and after random membership changes
// applied incrementally to the compiled policy and seen by the naive one through its resolver.

const GROUP_IDS = ['sg-peer1', 'sg-peer2', 'sg-peer3', 'sg-peer4'] as const;
const PREFIX_LIST_IDS = ['pl-aaaa1111', 'pl-bbbb2222', 'pl-cccc3333'] as const;
const OWNER_GROUPS = ['sg-own1', 'sg-own2', 'sg-own3'] as const;

// Bases that nest and touch one another, so random prefixes overlap often.
const V4_BASES = [
  '0.0.0.0', '10.0.0.0', '10.1.0.0', '10.1.2.0', '10.1.2.3', '10.1.2.4', '10.255.255.255',
  '192.168.0.0', '192.168.1.128', '172.16.0.1', '255.255.255.255', '127.0.0.1',
] as const;
const V6_BASES = [
  '::', '::1', '2001:db8::', '2001:db8::1', '2001:db8:0:1::', '2001:db8:ffff::', 'fe80::1',
  '::ffff:a01:203', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db8::8000:0',
] as const;
const PORTS = [0, 1, 21, 22, 23, 79, 80, 81, 442, 443, 444, 1024, 8080, 65534, 65535] as const;
const ICMP_VALUES = [0, 1, 3, 4, 8, 11, 128, 255] as const;
const V4_ALL = 2 ** 32;
const V6_ALL = 1n << 128n;

const v4Address = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...V4_BASES) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: V4_ALL - 1 }).map(formatIpv4Address) },
);
const v6Address = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...V6_BASES) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: V6_ALL - 1n }).map(formatIpv6Address) },
);
const v4Cidr = fc
  .tuple(v4Address, fc.oneof(fc.constantFrom(0, 8, 16, 24, 31, 32), fc.integer({ min: 0, max: 32 })))
  .map(([address, prefix]) => `${address}/${prefix}`);
const v6Cidr = fc
  .tuple(v6Address, fc.oneof(fc.constantFrom(0, 32, 64, 127, 128), fc.integer({ min: 0, max: 128 })))
  .map(([address, prefix]) => `${address}/${prefix}`);

const peerArb: fc.Arbitrary<Peer> = fc.oneof(
  { weight: 4, arbitrary: v4Cidr.map((cidr): Peer => ({ kind: 'cidr4', cidr: canonicalCidr(cidr) })) },
  { weight: 2, arbitrary: v6Cidr.map((cidr): Peer => ({ kind: 'cidr6', cidr: canonicalCidr(cidr) })) },
  { weight: 1, arbitrary: fc.constantFrom(...PREFIX_LIST_IDS).map((id): Peer => ({ kind: 'prefixList', prefixListId: id })) },
  { weight: 2, arbitrary: fc.constantFrom(...GROUP_IDS).map((id): Peer => ({ kind: 'group', groupId: id, userId: '111122223333' })) },
);

/** A protocol in canonical form (spec/semantics.md §3.1) and a port spec valid for it (§3.2). */
const trafficArb: fc.Arbitrary<{ ipProtocol: string; fromPort?: number; toPort?: number }> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom('tcp', 'udp'),
        fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 65535 })),
        fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 65535 })),
      )
      .map(([ipProtocol, a, b]) => ({ ipProtocol, fromPort: Math.min(a, b), toPort: Math.max(a, b) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('icmp', 'icmpv6'),
        fc.oneof(fc.constant(-1), fc.constantFrom(...ICMP_VALUES), fc.integer({ min: 0, max: 255 })),
        fc.oneof(fc.constant(-1), fc.constantFrom(...ICMP_VALUES)),
      )
      // Type -1 comes with code -1 (spec/semantics.md §3.2).
      .map(([ipProtocol, type, code]) => ({ ipProtocol, fromPort: type, toPort: type === -1 ? -1 : code })),
  },
  { weight: 1, arbitrary: fc.constant({ ipProtocol: '-1' }) },
  { weight: 1, arbitrary: fc.constantFrom('50', '47', '0', '255').map((ipProtocol) => ({ ipProtocol })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).map((n) => ({ ipProtocol: canonicalProtocolNumber(n) })) },
);

/** A few port specs shared by many rules, so that classes grow past the small-list shapes. */
const denseTrafficArb = fc.constantFrom(
  { ipProtocol: 'tcp', fromPort: 443, toPort: 443 },
  { ipProtocol: 'tcp', fromPort: 0, toPort: 65535 },
  { ipProtocol: '-1' },
  { ipProtocol: 'icmp', fromPort: 8, toPort: -1 },
);

const ruleArb = fc.record({
  direction: fc.constantFrom('ingress' as const, 'egress' as const),
  owner: fc.constantFrom(...OWNER_GROUPS),
  traffic: fc.oneof({ weight: 3, arbitrary: trafficArb }, { weight: 1, arbitrary: denseTrafficArb }),
  peer: peerArb,
});

/** Many ingress rules on few port specs: classes with many blocks (the `ranges` shape). */
const denseRuleArb = fc.record({
  direction: fc.oneof({ weight: 5, arbitrary: fc.constant('ingress' as const) }, { weight: 1, arbitrary: fc.constant('egress' as const) }),
  owner: fc.constantFrom(...OWNER_GROUPS),
  traffic: denseTrafficArb,
  peer: peerArb,
});

/** As `denseRuleArb` with host routes only (the `hosts` shape), and some other blocks. */
const hostPeerArb: fc.Arbitrary<Peer> = fc.oneof(
  { weight: 6, arbitrary: v4Address.map((address): Peer => ({ kind: 'cidr4', cidr: `${address}/32` })) },
  { weight: 3, arbitrary: v6Address.map((address): Peer => ({ kind: 'cidr6', cidr: canonicalCidr(`${address}/128`) })) },
  { weight: 1, arbitrary: peerArb },
);
const hostRuleArb = fc.record({
  direction: fc.oneof({ weight: 5, arbitrary: fc.constant('ingress' as const) }, { weight: 1, arbitrary: fc.constant('egress' as const) }),
  owner: fc.constantFrom(...OWNER_GROUPS),
  traffic: denseTrafficArb,
  peer: hostPeerArb,
});

interface RuleShape {
  readonly direction: 'ingress' | 'egress';
  readonly owner: string;
  readonly traffic: { readonly ipProtocol: string; readonly fromPort?: number; readonly toPort?: number };
  readonly peer: Peer;
}

const rulesArb: fc.Arbitrary<readonly RuleShape[]> = fc.oneof(
  { weight: 3, arbitrary: fc.array(ruleArb, { maxLength: 30 }) },
  { weight: 1, arbitrary: fc.array(denseRuleArb, { minLength: 8, maxLength: 40, size: 'medium' }) },
  { weight: 1, arbitrary: fc.array(hostRuleArb, { minLength: 8, maxLength: 40, size: 'medium' }) },
);

const membersArb = fc.array(fc.oneof({ weight: 3, arbitrary: v4Address }, { weight: 1, arbitrary: v6Address }), { maxLength: 10 });
const prefixEntriesArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: v4Cidr },
    { weight: 2, arbitrary: v6Cidr },
    { weight: 1, arbitrary: fc.constantFrom('not-a-cidr', '10.0.0.0', '::/129') },
  ),
  { maxLength: 12 },
);

/** What a flow is aimed at; resolved against the generated policy in `flowFromRecipe`. */
const recipeArb = fc.record({
  useRule: fc.boolean(),
  ruleIndex: fc.nat(),
  flipDirection: fc.integer({ min: 0, max: 9 }),
  direction: fc.constantFrom('ingress' as const, 'egress' as const),
  protocol: fc.oneof(fc.constantFrom(6, 17, 1, 58, 50, 47, 0, 255), fc.integer({ min: 0, max: 255 })),
  edge: fc.integer({ min: 0, max: 5 }),
  port: fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 65535 })),
  icmpType: fc.oneof(fc.constantFrom(...ICMP_VALUES), fc.integer({ min: 0, max: 255 })),
  icmpCode: fc.oneof(fc.constantFrom(...ICMP_VALUES), fc.integer({ min: 0, max: 255 })),
  addressEdge: fc.integer({ min: 0, max: 4 }),
  pick: fc.nat(),
  spelling: fc.integer({ min: 0, max: 3 }),
  randomAddress: fc.oneof(
    { weight: 8, arbitrary: v4Address },
    { weight: 4, arbitrary: v6Address },
    { weight: 1, arbitrary: fc.constantFrom('not-an-address', '10.1.2.3/32', '010.1.2.3', '::1%eth0') },
  ),
});

const updateArb = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), groupId: fc.constantFrom(...GROUP_IDS), addresses: membersArb }),
  fc.record({ kind: fc.constant('add' as const), groupId: fc.constantFrom(...GROUP_IDS), address: fc.oneof(v4Address, v6Address) }),
  fc.record({ kind: fc.constant('remove' as const), groupId: fc.constantFrom(...GROUP_IDS), pick: fc.nat() }),
);

const scenarioArb = fc.record({
  rules: rulesArb,
  members: fc.tuple(membersArb, membersArb, membersArb, membersArb),
  prefixLists: fc.tuple(prefixEntriesArb, prefixEntriesArb, prefixEntriesArb),
  recipes: fc.array(recipeArb, { minLength: 1, maxLength: 32, size: 'medium' }),
  updates: fc.array(updateArb, { maxLength: 4 }),
});

test('compiled and naive evaluators agree on random policies, flows and membership changes', () => {
  // What the run exercised: CIDR index shapes and verdict kinds. Checked at the end, so a
  // generator change that stops reaching a shape fails the test instead of silently passing.
  const seen = new Set<string>();
  fc.assert(
    fc.property(scenarioArb, (scenario) => {
      const rules: SecurityGroupRule[] = scenario.rules.map((r, i) => ({
        ruleId: `sgr-${i.toString(16).padStart(17, '0')}`,
        groupId: r.owner,
        groupOwnerId: '111122223333',
        region: 'us-east-1',
        direction: r.direction,
        ...r.traffic,
        peer: r.peer,
        tags: [],
        ordinal: i,
      }));
      const members = new Map<string, string[]>(GROUP_IDS.map((id, i) => [id, [...(scenario.members[i] ?? [])]]));
      const prefixLists = new Map<string, readonly string[]>(PREFIX_LIST_IDS.map((id, i) => [id, scenario.prefixLists[i] ?? []]));
      const resolver = peerResolverFromMaps(members, prefixLists);
      const policy = compilePolicy(rules, resolver);
      for (const shape of cidrShapesOf(policy)) seen.add(`shape ${shape}`);

      const check = (stage: string): void => {
        for (const recipe of scenario.recipes) {
          const flow = flowFromRecipe(recipe, rules, members, prefixLists);
          const expected = evaluateFlowNaive(rules, resolver, flow);
          seen.add(verdictKind(expected));
          assert.deepEqual(evaluateFlow(policy, flow), expected, `${stage}: ${JSON.stringify(flow)}`);
          assert.equal(isAdmitted(policy, flow), expected.admitted, `${stage} isAdmitted: ${JSON.stringify(flow)}`);
        }
      };

      check('as compiled');
      scenario.updates.forEach((update, i) => {
        const current = members.get(update.groupId) ?? [];
        switch (update.kind) {
          case 'replace':
            members.set(update.groupId, [...update.addresses]);
            updateGroupMembers(policy, update.groupId, update.addresses);
            break;
          case 'add':
            members.set(update.groupId, [...current, update.address]);
            addGroupMember(policy, update.groupId, update.address);
            break;
          case 'remove': {
            if (current.length === 0) break;
            const address = current[update.pick % current.length] ?? '';
            // Membership is a set of addresses: removing one removes every spelling of it.
            const value = addressValue(address);
            members.set(update.groupId, current.filter((member) => addressValue(member) !== value));
            removeGroupMember(policy, update.groupId, address);
            break;
          }
        }
        check(`after update ${i} (${update.kind} ${update.groupId})`);
      });
    }),
    { numRuns: 2000 },
  );
  const kinds = ['shape single', 'shape list', 'shape hosts', 'shape ranges', 'admitted by one', 'admitted by several'];
  kinds.push('invalidPeer', 'noRules', 'noProtocol', 'noPort', 'noPeer');
  for (const expected of kinds) {
    assert.ok(seen.has(expected), `the run never produced: ${expected} (saw ${[...seen].join(', ')})`);
  }
});

/** A verdict's kind: admitted by one or several rules, or which check denied it. */
function verdictKind(verdict: Verdict): string {
  if (verdict.admitted) return verdict.matches.length > 1 ? 'admitted by several' : 'admitted by one';
  if (verdict.reason.startsWith('peer ')) return 'invalidPeer';
  if (/^no \w+ rules$/.test(verdict.reason)) return 'noRules';
  if (verdict.reason.includes(' admits ')) return 'noPeer';
  if (/ rule for (tcp|udp) port | rule for icmp(v6)? type /.test(verdict.reason)) return 'noPort';
  return 'noProtocol';
}

/** The shapes of every CIDR index in `policy`. */
function cidrShapesOf(policy: CompiledPolicy): string[] {
  const shapes: string[] = [];
  const visit = (peers: PeerClass | undefined): void => {
    if (peers !== undefined) shapes.push(peers.cidrs.shape);
  };
  for (const table of [policy.ingressIpv4, policy.ingressIpv6, policy.egressIpv4, policy.egressIpv6]) {
    visit(table.anyProtocol);
    for (const ports of [table.tcp, table.udp]) ports?.items.forEach(visit);
    for (const icmp of [table.icmp, table.icmpv6]) {
      visit(icmp?.allTypes);
      icmp?.byType.forEach(visit);
      icmp?.byTypeCode.forEach(visit);
    }
    table.otherProtocols.forEach(visit);
  }
  return shapes;
}

type Recipe = typeof recipeArb extends fc.Arbitrary<infer T> ? T : never;

/** Turns a recipe into a flow, aimed at a rule's protocol, port or type edges and peer edges. */
function flowFromRecipe(
  recipe: Recipe,
  rules: readonly SecurityGroupRule[],
  members: ReadonlyMap<string, readonly string[]>,
  prefixLists: ReadonlyMap<string, readonly string[]>,
): Flow {
  const rule = recipe.useRule && rules.length > 0 ? rules[recipe.ruleIndex % rules.length] : undefined;
  if (rule === undefined) return flowWith(recipe, recipe.direction, recipe.protocol, recipe.randomAddress);
  const direction = recipe.flipDirection === 0 ? (rule.direction === 'ingress' ? 'egress' : 'ingress') : rule.direction;
  const protocol = rule.ipProtocol === '-1' ? recipe.protocol : protocolNumberForTest(rule.ipProtocol);
  const from = rule.fromPort ?? -1;
  const to = rule.toPort ?? -1;
  const portEdges = [from - 1, from, to, to + 1, recipe.port, from];
  const flowPort = portEdges[recipe.edge] ?? recipe.port;
  let peer = peerAddressFor(rule.peer, recipe, members, prefixLists);
  peer = spell(peer, recipe.spelling);
  if (protocol === 6 || protocol === 17) return { direction, protocol, port: flowPort, peer };
  if (protocol === 1 || protocol === 58) {
    const typeEdges = [from, from, from + 1, recipe.icmpType, from - 1, from];
    const codeEdges = [to, recipe.icmpCode, to, recipe.icmpCode, to + 1, to - 1];
    const icmpType = Math.max(0, typeEdges[recipe.edge] ?? 0);
    const icmpCode = Math.max(0, codeEdges[recipe.edge] ?? 0);
    return { direction, protocol, icmpType: from === -1 ? recipe.icmpType : icmpType, icmpCode, peer };
  }
  return { direction, protocol, peer };
}

function flowWith(recipe: Recipe, direction: 'ingress' | 'egress', protocol: number, peer: string): Flow {
  if (protocol === 6 || protocol === 17) return { direction, protocol, port: recipe.port, peer };
  if (protocol === 1 || protocol === 58) {
    return { direction, protocol, icmpType: recipe.icmpType, icmpCode: recipe.icmpCode, peer };
  }
  return { direction, protocol, peer };
}

/** An address at or just beside an edge of the rule's peer, a member, or a random one. */
function peerAddressFor(
  peer: Peer,
  recipe: Recipe,
  members: ReadonlyMap<string, readonly string[]>,
  prefixLists: ReadonlyMap<string, readonly string[]>,
): string {
  let cidrText: string | undefined;
  switch (peer.kind) {
    case 'cidr4':
    case 'cidr6':
      cidrText = peer.cidr;
      break;
    case 'prefixList': {
      const entries = prefixLists.get(peer.prefixListId) ?? [];
      cidrText = entries[recipe.pick % Math.max(1, entries.length)];
      break;
    }
    case 'group': {
      const list = members.get(peer.groupId) ?? [];
      if (list.length > 0 && recipe.addressEdge !== 4) return list[recipe.pick % list.length] ?? recipe.randomAddress;
      return recipe.randomAddress;
    }
  }
  if (cidrText === undefined || recipe.addressEdge === 4) return recipe.randomAddress;
  const v4 = parseIpv4Cidr(cidrText);
  if (v4 !== undefined) {
    const first = v4.network;
    const last = first + 2 ** (32 - v4.prefixLength) - 1;
    const edges = [first, last, first - 1, last + 1];
    const address = edges[recipe.addressEdge] ?? first;
    return address >= 0 && address < V4_ALL ? formatIpv4Address(address) : formatIpv4Address(first);
  }
  const v6 = parseIpv6Cidr(cidrText);
  if (v6 !== undefined) {
    const first = v6.network;
    const last = first + (1n << BigInt(128 - v6.prefixLength)) - 1n;
    const edges = [first, last, first - 1n, last + 1n];
    const address = edges[recipe.addressEdge] ?? first;
    return address >= 0n && address < V6_ALL ? formatIpv6Address(address) : formatIpv6Address(first);
  }
  return recipe.randomAddress;
}

/** Other spellings of the same IPv6 address: upper case, all eight groups, an IPv4 tail. */
function spell(address: string, spelling: number): string {
  const value = parseIpv6Address(address);
  if (value === undefined || spelling === 0) return address;
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  if (spelling === 1) return address.toUpperCase();
  if (spelling === 2) return groups.join(':');
  const tail = Number(value & 0xffffffffn);
  return `${groups.slice(0, 6).join(':')}:${formatIpv4Address(tail)}`;
}

function addressValue(text: string): number | bigint | undefined {
  return parseIpv4Address(text) ?? parseIpv6Address(text);
}

function canonicalCidr(text: string): string {
  const cidr = parseIpv4Cidr(text) ?? parseIpv6Cidr(text);
  assert.ok(cidr, `generated CIDR ${text} must parse`);
  return cidr.text;
}

function canonicalProtocolNumber(n: number): string {
  const names: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };
  return names[n] ?? String(n);
}

function protocolNumberForTest(ipProtocol: string): number {
  const numbers: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 };
  return numbers[ipProtocol] ?? Number(ipProtocol);
}
