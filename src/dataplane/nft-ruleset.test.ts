import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecurityGroupRule } from '../domain/rule.js';
import { compilePolicy } from './compiled-policy.js';
import { goldenRulesetDir } from './golden-rulesets.js';
import { peerResolverFromMaps } from './effective-policy.js';
import {
  groupSetName,
  renderDeleteTransaction,
  renderGroupMembershipChange,
  renderReplaceTransaction,
  renderRuleset,
} from './nft-ruleset.js';
import { cidrPeerForTest, groupPeerForTest, prefixListPeerForTest, ruleBuilderForTest } from './rule-fixture.js';

// Rendering of effective policies as nftables text. Goldens sit in testdata/ (regenerate them
// with STOCKADE_UPDATE_GOLDEN=1 and review the diff); test/dataplane/nft-enforcement.test.ts loads
// the same goldens into a real namespace and checks the kernel against the evaluator.

const rule = ruleBuilderForTest();
const cidr = cidrPeerForTest;
const group = groupPeerForTest;
const prefixList = prefixListPeerForTest;
const NO_PEERS = peerResolverFromMaps(new Map(), new Map());

/** The chain lines after the fixed prefix (stateful, loopback, neighbour discovery). */
function chainRules(ruleset: string, chain: 'input' | 'output'): string[] {
  const body = ruleset.split(`\tchain ${chain} {\n`)[1]?.split('\t}\n')[0] ?? '';
  return body.split('\n').map((line) => line.trim()).filter((line) => line !== '').slice(4);
}

/** The `elements = { … }` of set `name`, or undefined when it has none. */
function setElements(ruleset: string, name: string): string | undefined {
  const block = ruleset.split(`\tset ${name} {\n`)[1]?.split('\t}\n')[0];
  assert.ok(block !== undefined, `set ${name} is rendered`);
  return /elements = \{ (.*) \}/.exec(block)?.[1];
}

// ---- goldens ------------------------------------------------------------------------------------

/** A policy with a bit of everything: both families, every port-spec shape, groups, prefix lists, overlaps. */
const MIXED_RULES: readonly SecurityGroupRule[] = [
  // Overlapping and adjacent CIDRs of one class, with a prefix list overlapping them too.
  rule('ingress', 'tcp', [443, 443], cidr('10.0.0.0/8')),
  rule('ingress', 'tcp', [443, 443], cidr('10.1.0.0/16')),
  rule('ingress', 'tcp', [443, 443], cidr('192.168.0.0/25')),
  rule('ingress', 'tcp', [443, 443], cidr('192.168.0.128/25')),
  rule('ingress', 'tcp', [443, 443], prefixList('pl-00000000000000001')),
  rule('ingress', 'tcp', [443, 443], group('sg-1a2b3c4d')),
  rule('ingress', 'tcp', [1000, 2000], cidr('2001:db8::/32')),
  rule('ingress', 'tcp', [0, 65535], cidr('172.16.0.1/32')),
  rule('ingress', 'udp', [53, 53], cidr('10.0.0.1/32')),
  rule('ingress', 'udp', [53, 53], cidr('10.0.0.2/32')),
  rule('ingress', 'udp', [53, 53], cidr('10.0.0.3/32')),
  rule('ingress', 'udp', [53, 53], cidr('10.0.0.7/32')),
  rule('ingress', 'icmp', [8, 0], cidr('0.0.0.0/0')),
  rule('ingress', 'icmp', [3, -1], cidr('0.0.0.0/0')),
  rule('ingress', 'icmp', [-1, -1], group('sg-5e6f7a8b')),
  rule('ingress', 'icmpv6', undefined, cidr('::/0')),
  rule('ingress', 'icmpv6', [128, 0], cidr('fd00::/8')),
  rule('ingress', '50', undefined, cidr('198.51.100.0/24')),
  rule('ingress', '-1', undefined, group('sg-1a2b3c4d')),
  rule('egress', '-1', undefined, cidr('0.0.0.0/0')),
  rule('egress', '-1', undefined, cidr('::/0')),
  rule('egress', 'tcp', [5432, 5432], group('sg-5e6f7a8b')),
];
const MIXED_MEMBERS = new Map<string, readonly string[]>([
  ['sg-1a2b3c4d', ['10.0.5.20', '10.0.5.21', '2001:DB8:0:0::20', '10.0.5.20', 'not-an-address']],
  ['sg-5e6f7a8b', []],
]);
const MIXED_PREFIX_LISTS = new Map<string, readonly string[]>([
  ['pl-00000000000000001', ['10.2.0.0/16', '10.200.0.0/24', '2600:1f18::/36']],
]);
const MIXED_NEXT_MEMBERS = ['10.0.5.21', '10.0.5.22', '2001:db8::20', '2001:db8::21'];

function golden(file: string, actual: string): void {
  const path = join(goldenRulesetDir(), file);
  if (process.env['STOCKADE_UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} (STOCKADE_UPDATE_GOLDEN=1 regenerates it)`);
}

test('golden: no rules at all is default deny both ways, stateful prefix only', () => {
  golden('empty.nft', renderRuleset([], NO_PEERS));
});

test('golden: a mixed policy', () => {
  golden('mixed.nft', renderRuleset(MIXED_RULES, peerResolverFromMaps(MIXED_MEMBERS, MIXED_PREFIX_LISTS)));
});

test('golden: a membership change of a group of the mixed policy', () => {
  const previous = MIXED_MEMBERS.get('sg-1a2b3c4d') ?? [];
  golden('mixed-membership-change.nft', renderGroupMembershipChange('sg-1a2b3c4d', previous, MIXED_NEXT_MEMBERS));
});

// ---- rule lines -----------------------------------------------------------------------------------

test('each port spec becomes its match (spec/semantics.md §3.2)', () => {
  const rows: readonly { rule: SecurityGroupRule; input: readonly string[]; output?: readonly string[] }[] = [
    // tcp/udp: one port, a range, and the whole range as the bare protocol.
    { rule: rule('ingress', 'tcp', [8080, 8080], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_tcp_8080 tcp dport 8080 accept'] },
    { rule: rule('ingress', 'tcp', [1000, 2000], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_tcp_1000_2000 tcp dport 1000-2000 accept'] },
    { rule: rule('ingress', 'tcp', [0, 65535], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_tcp_0_65535 meta l4proto tcp accept'] },
    { rule: rule('ingress', 'udp', [53, 53], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_udp_53 udp dport 53 accept'] },
    { rule: rule('ingress', 'udp', [0, 0], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_udp_0 udp dport 0 accept'] },
    // A numeric protocol that names tcp is tcp.
    { rule: rule('ingress', '6', [22, 22], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_tcp_22 tcp dport 22 accept'] },
    // icmp: type -1 is every type; code -1 every code of the type.
    { rule: rule('ingress', 'icmp', [-1, -1], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_icmp_all meta l4proto icmp accept'] },
    { rule: rule('ingress', 'icmp', [8, -1], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_icmp_8_all icmp type 8 accept'] },
    { rule: rule('ingress', 'icmp', [8, 0], cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_icmp_8_0 icmp type 8 icmp code 0 accept'] },
    { rule: rule('ingress', 'icmpv6', undefined, cidr('::/0')), input: ['ip6 saddr @c6_ingress_icmpv6_all meta l4proto ipv6-icmp accept'] },
    { rule: rule('ingress', 'icmpv6', [128, 0], cidr('::/0')), input: ['ip6 saddr @c6_ingress_icmpv6_128_0 icmpv6 type 128 icmpv6 code 0 accept'] },
    // -1: no protocol match; any other number: by number, ports ignored.
    { rule: rule('ingress', '-1', undefined, cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_all accept'] },
    { rule: rule('ingress', '50', undefined, cidr('10.0.0.0/8')), input: ['ip saddr @c4_ingress_proto_50 meta l4proto 50 accept'] },
    // Egress rules match the destination, on the output chain.
    { rule: rule('egress', 'tcp', [443, 443], cidr('2001:db8::/32')), input: [], output: ['ip6 daddr @c6_egress_tcp_443 tcp dport 443 accept'] },
    // A group peer matches both families, each through the group's own set.
    {
      rule: rule('ingress', 'tcp', [22, 22], group('sg-1a2b3c4d')),
      input: ['ip saddr @g4_sg_1a2b3c4d tcp dport 22 accept', 'ip6 saddr @g6_sg_1a2b3c4d tcp dport 22 accept'],
    },
  ];
  for (const row of rows) {
    const ruleset = renderRuleset([row.rule], NO_PEERS);
    const label = `${row.rule.direction} ${row.rule.ipProtocol} ${row.rule.fromPort ?? ''}-${row.rule.toPort ?? ''}`;
    assert.deepEqual(chainRules(ruleset, 'input'), row.input, label);
    assert.deepEqual(chainRules(ruleset, 'output'), row.output ?? [], label);
  }
});

test('both chains drop by default and let established, related and loopback traffic through first', () => {
  const ruleset = renderRuleset([], NO_PEERS);
  for (const [chain, loopback] of [['input', 'iif "lo" accept'], ['output', 'oif "lo" accept']] as const) {
    const lines = ruleset.split(`\tchain ${chain} {\n`)[1]?.split('\n').map((line) => line.trim()) ?? [];
    assert.deepEqual(lines.slice(0, 3), [
      `type filter hook ${chain} priority filter; policy drop;`,
      'ct state established,related accept',
      loopback,
    ]);
  }
});

test('EC2-Classic: the output chain accepts everything and egress rules are left out', () => {
  const rules = [rule('egress', 'tcp', [443, 443], cidrPeerForTest('10.0.0.0/8')), rule('ingress', 'tcp', [22, 22], cidrPeerForTest('10.0.0.0/8'))];
  const classic = renderRuleset(rules, NO_PEERS, { egressFiltered: false });
  assert.equal(classic.split('\tchain output {\n')[1], '\t\ttype filter hook output priority filter; policy accept;\n\t}\n}\n');
  assert.doesNotMatch(classic, /egress/);
  assert.match(classic, /tcp dport 22 accept/);
  assert.match(renderRuleset(rules, NO_PEERS), /ip daddr @c4_egress_tcp_443 tcp dport 443 accept/);
});

test('untracked flows (spec/semantics.md §10) are marked notrack both ways; tracked ones are not', () => {
  const world = cidrPeerForTest('0.0.0.0/0');
  const chainsOf = (rules: SecurityGroupRule[]) => renderRuleset(rules, NO_PEERS).split(/(?=\tchain untracked_)/).slice(1).join('');
  // tcp 443 and 8000-8100 from the world, all traffic out to the world: inbound-initiated flows on those ports.
  assert.equal(
    chainsOf([rule('ingress', 'tcp', [443, 443], world), rule('ingress', 'tcp', [8000, 8100], world), rule('egress', '-1', undefined, world)]),
    '\tchain untracked_in {\n\t\ttype filter hook prerouting priority raw; policy accept;\n\t\tmeta nfproto ipv4 tcp dport { 443, 8000-8100 } notrack\n\t}\n\n' +
      '\tchain untracked_out {\n\t\ttype filter hook output priority raw; policy accept;\n\t\tmeta nfproto ipv4 tcp sport { 443, 8000-8100 } notrack\n\t}\n}\n',
  );
  // udp 53 out to the world, all udp in from the world: outbound-initiated flows to port 53.
  const outbound = chainsOf([rule('egress', 'udp', [53, 53], world), rule('ingress', 'udp', [0, 65535], world)]);
  assert.match(outbound, /untracked_in \{\n.*\n\t\tmeta nfproto ipv4 udp sport 53 notrack\n/);
  assert.match(outbound, /untracked_out \{\n.*\n\t\tmeta nfproto ipv4 udp dport 53 notrack\n/);
  // Tracked: the other direction is not open on every port, or the peer is narrower than /0.
  assert.equal(chainsOf([rule('ingress', 'tcp', [443, 443], world), rule('egress', 'tcp', [1024, 65535], world)]), '');
  assert.equal(chainsOf([rule('ingress', 'tcp', [443, 443], cidrPeerForTest('10.0.0.0/8')), rule('egress', '-1', undefined, world)]), '');
  // All traffic both ways: every TCP and UDP flow is untracked.
  assert.match(chainsOf([rule('ingress', '-1', undefined, world), rule('egress', '-1', undefined, world)]), /meta nfproto ipv4 meta l4proto tcp notrack\n\t\tmeta nfproto ipv4 meta l4proto udp notrack/);
  // EC2-Classic keeps every flow tracked (UNCONFIRMED).
  assert.doesNotMatch(renderRuleset([rule('ingress', 'tcp', [443, 443], world)], NO_PEERS, { egressFiltered: false }), /notrack/);
});

test('rules the evaluator ignores admit nothing here either', () => {
  const badTraffic = [
    rule('ingress', 'tcp', [2000, 1000], cidr('10.0.0.0/8')), // reversed range
    rule('ingress', 'tcp', [0, 65536], cidr('10.0.0.0/8')),
    rule('ingress', 'tcp', undefined, cidr('10.0.0.0/8')),
    rule('ingress', 'icmp', [256, 0], cidr('10.0.0.0/8')),
    rule('ingress', 'icmp', [8, -2], cidr('10.0.0.0/8')),
    rule('ingress', 'gre', undefined, cidr('10.0.0.0/8')),
    rule('ingress', '256', undefined, cidr('10.0.0.0/8')),
  ];
  // The compiler refuses the same protocol and port specs (the check is duplicated; keep it so).
  assert.equal(compilePolicy(badTraffic, NO_PEERS).ingressCoverage.ruleCount, 0);
  const ignored = [
    ...badTraffic,
    rule('ingress', '-1', undefined, cidr('10.0.0.0/33')),
    rule('ingress', '-1', undefined, { kind: 'cidr4', cidr: '2001:db8::/32' }),
    rule('ingress', '-1', undefined, { kind: 'cidr6', cidr: '10.0.0.0/8' }),
    rule('ingress', '-1', undefined, prefixList('pl-unknown')),
  ];
  assert.equal(renderRuleset(ignored, NO_PEERS), renderRuleset([], NO_PEERS));
});

// ---- sets -----------------------------------------------------------------------------------------

test('CIDR sets hold the union of their blocks, disjoint and merged (notes/nftables.md findings 3, 4)', () => {
  const rows: readonly { blocks: readonly string[]; elements: string }[] = [
    // Nested: the outer block only.
    { blocks: ['10.0.0.0/8', '10.1.0.0/16'], elements: '10.0.0.0/8' },
    { blocks: ['10.1.0.0/16', '10.0.0.0/8'], elements: '10.0.0.0/8' },
    // Adjacent halves merge into the whole; a duplicate is one element.
    { blocks: ['10.0.0.0/25', '10.0.0.128/25', '10.0.0.0/25'], elements: '10.0.0.0/24' },
    // Adjacent but unaligned: a range.
    { blocks: ['10.0.0.1/32', '10.0.0.2/31'], elements: '10.0.0.1-10.0.0.3' },
    // Disjoint: sorted numerically, not as text.
    { blocks: ['10.0.0.9/32', '9.0.0.0/8', '10.0.0.10/32'], elements: '9.0.0.0/8, 10.0.0.9-10.0.0.10' },
    // Host bits are cleared as the domain clears them (spec/semantics.md §4.1).
    { blocks: ['10.0.0.77/24'], elements: '10.0.0.0/24' },
    // /0 swallows everything.
    { blocks: ['0.0.0.0/0', '10.0.0.0/8'], elements: '0.0.0.0/0' },
    // IPv6: canonical text, merged the same way.
    { blocks: ['2001:DB8::/33', '2001:db8:8000::/33'], elements: '2001:db8::/32' },
    { blocks: ['2001:db8::1/128', '2001:db8::2/128'], elements: '2001:db8::1-2001:db8::2' },
  ];
  for (const row of rows) {
    const family = row.blocks[0]?.includes(':') ? 6 : 4;
    const ruleset = renderRuleset(row.blocks.map((block) => rule('ingress', 'tcp', [22, 22], cidr(block))), NO_PEERS);
    assert.equal(setElements(ruleset, `c${family}_ingress_tcp_22`), row.elements, row.blocks.join(' + '));
    assert.match(ruleset, /flags interval\n/);
    // Merged by us, so nft must never merge behind our back.
    assert.doesNotMatch(ruleset, /auto-merge/);
  }
});

test('a prefix list joins the CIDR set of its class, each entry in the set of its family', () => {
  const resolver = peerResolverFromMaps(new Map(), new Map([['pl-1', ['10.1.0.0/16', '2600:1f18::/36', 'junk']]]));
  const ruleset = renderRuleset([rule('ingress', 'tcp', [443, 443], prefixList('pl-1')), rule('ingress', 'tcp', [443, 443], cidr('10.0.0.0/8'))], resolver);
  assert.equal(setElements(ruleset, 'c4_ingress_tcp_443'), '10.0.0.0/8');
  assert.equal(setElements(ruleset, 'c6_ingress_tcp_443'), '2600:1f18::/36');
});

test('every referenced group has a plain address set per family, holding its parseable members', () => {
  const resolver = peerResolverFromMaps(new Map([['sg-1a2b3c4d', ['10.0.0.2', '10.0.0.10', 'fd00::0:1', '10.0.0.2', 'bogus', '10.0.0.1/32']]]), new Map());
  const ruleset = renderRuleset([rule('ingress', 'tcp', [22, 22], group('sg-1a2b3c4d')), rule('ingress', 'tcp', [22, 22], group('sg-00000000'))], resolver);
  assert.equal(setElements(ruleset, 'g4_sg_1a2b3c4d'), '10.0.0.2, 10.0.0.10');
  assert.equal(setElements(ruleset, 'g6_sg_1a2b3c4d'), 'fd00::1');
  // An empty group still has its sets, so its first member is an element add.
  assert.equal(setElements(ruleset, 'g4_sg_00000000'), undefined);
  assert.equal(setElements(ruleset, 'g6_sg_00000000'), undefined);
  assert.doesNotMatch(ruleset.split('\tset g4_sg_1a2b3c4d {')[1]?.split('}')[0] ?? '', /interval/);
});

test('group set names are readable for EC2 IDs and distinct for any IDs', () => {
  const rows: readonly [string, 4 | 6, string][] = [
    ['sg-1a2b3c4d', 4, 'g4_sg_1a2b3c4d'],
    ['sg-0123456789abcdef0', 6, 'g6_sg_0123456789abcdef0'],
    ['sg_1a2b', 4, 'gx4_73675f31613262'],
    ['sg--1', 4, 'gx4_73672d2d31'],
    ['', 4, 'gx4_'],
  ];
  for (const [groupId, family, name] of rows) assert.equal(groupSetName(groupId, family), name, groupId);
  const ids = ['sg-a-b', 'sg-a_b', 'sg_a-b', 'sg-ab', 'SG-AB', 'sg-a b', 'sg-a.b'];
  assert.equal(new Set(ids.map((id) => groupSetName(id, 4))).size, ids.length);
});

// ---- determinism and transactions -----------------------------------------------------------------

test('the same rules in any order render the same text', () => {
  const resolver = peerResolverFromMaps(MIXED_MEMBERS, MIXED_PREFIX_LISTS);
  const expected = renderRuleset(MIXED_RULES, resolver);
  assert.equal(renderRuleset(MIXED_RULES, resolver), expected);
  assert.equal(renderRuleset([...MIXED_RULES].reverse(), resolver), expected);
  // A fixed shuffle (no randomness in tests either): odd positions, then even.
  const shuffled = [...MIXED_RULES.filter((_, i) => i % 2 === 1), ...MIXED_RULES.filter((_, i) => i % 2 === 0)];
  assert.equal(renderRuleset(shuffled, resolver), expected);
});

test('membership changes are element lines only, for what changed', () => {
  const rows: readonly { previous: readonly string[]; next: readonly string[]; text: string }[] = [
    { previous: [], next: [], text: '' },
    { previous: ['10.0.0.1'], next: ['10.0.0.1'], text: '' },
    // Spelling, order and repeats do not count as changes.
    { previous: ['2001:DB8::1', '10.0.0.2', '10.0.0.1'], next: ['10.0.0.1', '10.0.0.2', '2001:db8:0::1', '10.0.0.1'], text: '' },
    { previous: [], next: ['10.0.0.10', '10.0.0.9'], text: 'add element inet stockade g4_sg_1a2b3c4d { 10.0.0.9, 10.0.0.10 }\n' },
    { previous: ['10.0.0.1', 'fd00::1'], next: [], text: 'delete element inet stockade g4_sg_1a2b3c4d { 10.0.0.1 }\ndelete element inet stockade g6_sg_1a2b3c4d { fd00::1 }\n' },
    {
      previous: ['10.0.0.1', '10.0.0.2'],
      next: ['10.0.0.2', '10.0.0.3', 'fd00::3'],
      text:
        'delete element inet stockade g4_sg_1a2b3c4d { 10.0.0.1 }\n' +
        'add element inet stockade g4_sg_1a2b3c4d { 10.0.0.3 }\n' +
        'add element inet stockade g6_sg_1a2b3c4d { fd00::3 }\n',
    },
    // Addresses that do not parse are ignored, as the full rendering ignores them.
    { previous: ['bogus'], next: ['10.0.0.1/32', ''], text: '' },
  ];
  for (const row of rows) {
    assert.equal(renderGroupMembershipChange('sg-1a2b3c4d', row.previous, row.next), row.text, `${row.previous.join(',')} → ${row.next.join(',')}`);
  }
});

test('a replace is one transaction: ensure the table, delete it, load the new one', () => {
  const ruleset = renderRuleset([], NO_PEERS);
  assert.equal(renderReplaceTransaction(ruleset), `table inet stockade\ndelete table inet stockade\n${ruleset}`);
  assert.equal(renderDeleteTransaction(), 'table inet stockade\ndelete table inet stockade\n');
  assert.ok(ruleset.startsWith('table inet stockade {\n') && ruleset.endsWith('}\n'));
});
