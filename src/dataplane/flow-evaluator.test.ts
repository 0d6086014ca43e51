import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import { addGroupMember, compilePolicy, removeGroupMember, updateGroupMembers } from './compiled-policy.js';
import { peerResolverFromMaps, type PeerResolver } from './effective-policy.js';
import type { Flow } from './flow.js';
import { evaluateFlow, isAdmitted } from './flow-evaluator.js';
import { evaluateFlowNaive } from './naive-evaluator.js';
import { ruleForTest } from './rule-fixture.js';
import type { Verdict } from './verdict.js';

// Edge cases of spec/semantics.md §3.2 and §10, one row per flow, run against both evaluators
// (the compiled one, and the naive reference) as Kysely runs one suite per dialect.

type Evaluate = (rules: readonly SecurityGroupRule[], resolver: PeerResolver, flow: Flow) => Verdict;

const EVALUATORS: readonly (readonly [string, Evaluate])[] = [
  [
    'compiled',
    (rules, resolver, flow) => {
      const policy = compilePolicy(rules, resolver);
      const verdict = evaluateFlow(policy, flow);
      assert.equal(isAdmitted(policy, flow), verdict.admitted, `isAdmitted agrees with evaluateFlow: ${JSON.stringify(flow)}`);
      return verdict;
    },
  ],
  ['naive', evaluateFlowNaive],
];

const MEMBERS = new Map<string, readonly string[]>([
  ['sg-web', ['10.0.1.10', '10.0.1.11', '2001:db8::10']],
  ['sg-empty', []],
]);
const PREFIX_LISTS = new Map<string, readonly string[]>([
  ['pl-s3', ['52.216.0.0/15', '3.5.0.0/19', '2600:1f18::/36']],
  // Nested entries: the rule must be listed once, not twice.
  ['pl-nested', ['198.51.100.0/24', '198.51.100.0/25', '198.51.100.7/32']],
]);
const RESOLVER = peerResolverFromMaps(MEMBERS, PREFIX_LISTS);

let nextRule = 0;
/** A stored rule of group `groupId`; ports as spec/semantics.md §3.2 stores them. */
function rule(
  ruleId: string,
  direction: 'ingress' | 'egress',
  ipProtocol: string,
  ports: readonly [number, number] | undefined,
  peer: Peer,
  groupId = 'sg-app',
): SecurityGroupRule {
  return ruleForTest({ ruleId, groupId, direction, ipProtocol, ports, peer, ordinal: nextRule++ });
}
const cidr4 = (cidr: string): Peer => ({ kind: 'cidr4', cidr });
const cidr6 = (cidr: string): Peer => ({ kind: 'cidr6', cidr });
const group = (groupId: string): Peer => ({ kind: 'group', groupId, userId: '111122223333' });
const prefixList = (prefixListId: string): Peer => ({ kind: 'prefixList', prefixListId });

const tcp = (port: number, peer: string, direction: Flow['direction'] = 'ingress'): Flow => ({ direction, protocol: 6, port, peer });
const udp = (port: number, peer: string): Flow => ({ direction: 'ingress', protocol: 17, port, peer });
const icmp = (icmpType: number, icmpCode: number, peer: string, protocol = 1): Flow => ({
  direction: 'ingress',
  protocol,
  icmpType,
  icmpCode,
  peer,
});
const other = (protocol: number, peer: string, direction: Flow['direction'] = 'ingress'): Flow => ({ direction, protocol, peer });

interface Row {
  readonly flow: Flow;
  /** Rule IDs that admit the flow, in rule order; empty for a denial. */
  readonly admittedBy: readonly string[];
  /** The denial reason, when the row pins it. */
  readonly reason?: string;
}

interface Case {
  readonly name: string;
  readonly rules: readonly SecurityGroupRule[];
  readonly rows: readonly Row[];
}

const CASES: readonly Case[] = [
  {
    name: 'empty policy admits nothing',
    rules: [],
    rows: [
      { flow: tcp(22, '10.0.0.1'), admittedBy: [], reason: 'no ingress rules' },
      { flow: tcp(22, '10.0.0.1', 'egress'), admittedBy: [], reason: 'no egress rules' },
      { flow: other(50, '2001:db8::1'), admittedBy: [], reason: 'no ingress rules' },
    ],
  },
  {
    name: 'protocol -1 matches every protocol and port, within its family',
    rules: [rule('all4', 'ingress', '-1', undefined, cidr4('0.0.0.0/0'))],
    rows: [
      { flow: tcp(0, '203.0.113.9'), admittedBy: ['all4'] },
      { flow: tcp(65535, '203.0.113.9'), admittedBy: ['all4'] },
      { flow: udp(53, '0.0.0.0'), admittedBy: ['all4'] },
      { flow: icmp(8, 0, '255.255.255.255'), admittedBy: ['all4'] },
      { flow: other(50, '10.1.2.3'), admittedBy: ['all4'] },
      { flow: other(0, '10.1.2.3'), admittedBy: ['all4'] },
      { flow: other(255, '10.1.2.3'), admittedBy: ['all4'] },
      // 0.0.0.0/0 is IPv4 only.
      { flow: tcp(22, '2001:db8::1'), admittedBy: [], reason: 'no ingress rule for tcp port 22 admits source 2001:db8::1' },
      { flow: tcp(22, '10.1.2.3', 'egress'), admittedBy: [], reason: 'no egress rules' },
    ],
  },
  {
    name: 'ICMP -1:-1 matches every type and code of icmp only',
    rules: [rule('icmp-all', 'ingress', 'icmp', [-1, -1], cidr4('0.0.0.0/0'))],
    rows: [
      { flow: icmp(8, 0, '192.0.2.1'), admittedBy: ['icmp-all'] },
      { flow: icmp(3, 13, '192.0.2.1'), admittedBy: ['icmp-all'] },
      { flow: icmp(0, 0, '192.0.2.1'), admittedBy: ['icmp-all'] },
      { flow: icmp(255, 255, '192.0.2.1'), admittedBy: ['icmp-all'] },
      { flow: icmp(128, 0, '192.0.2.1', 58), admittedBy: [], reason: 'no ingress rule for icmpv6' },
      { flow: tcp(8, '192.0.2.1'), admittedBy: [], reason: 'no ingress rule for tcp' },
    ],
  },
  {
    name: 'ICMP type 8 with code -1 matches every code of type 8 only',
    rules: [rule('echo', 'ingress', 'icmp', [8, -1], cidr4('192.0.2.0/24'))],
    rows: [
      { flow: icmp(8, 0, '192.0.2.1'), admittedBy: ['echo'] },
      { flow: icmp(8, 255, '192.0.2.1'), admittedBy: ['echo'] },
      { flow: icmp(0, 0, '192.0.2.1'), admittedBy: [], reason: 'no ingress rule for icmp type 0 code 0' },
      { flow: icmp(9, 0, '192.0.2.1'), admittedBy: [] },
      { flow: icmp(8, 0, '192.0.3.1'), admittedBy: [], reason: 'no ingress rule for icmp type 8 code 0 admits source 192.0.3.1' },
    ],
  },
  {
    name: 'ICMP type and code both given match exactly',
    rules: [rule('frag', 'ingress', 'icmp', [3, 4], cidr4('0.0.0.0/0'))],
    rows: [
      { flow: icmp(3, 4, '192.0.2.1'), admittedBy: ['frag'] },
      { flow: icmp(3, 3, '192.0.2.1'), admittedBy: [] },
      { flow: icmp(4, 3, '192.0.2.1'), admittedBy: [] },
      { flow: icmp(3, 4, '192.0.2.1', 58), admittedBy: [] },
    ],
  },
  {
    name: 'icmpv6 rules match protocol 58 from IPv6 peers',
    rules: [
      rule('icmp6-all', 'ingress', 'icmpv6', [-1, -1], cidr6('::/0')),
      rule('icmp6-echo', 'ingress', 'icmpv6', [128, -1], cidr6('2001:db8::/32')),
    ],
    rows: [
      { flow: icmp(128, 0, '2001:db8::1', 58), admittedBy: ['icmp6-all', 'icmp6-echo'] },
      { flow: icmp(135, 0, '2001:db8::1', 58), admittedBy: ['icmp6-all'] },
      { flow: icmp(128, 0, '192.0.2.1', 58), admittedBy: [] },
      { flow: icmp(8, 0, '2001:db8::1'), admittedBy: [], reason: 'no ingress rule for icmp' },
    ],
  },
  {
    name: 'tcp and udp ranges include both ends and nothing beyond',
    rules: [rule('range', 'ingress', 'tcp', [1000, 2000], cidr4('0.0.0.0/0'))],
    rows: [
      { flow: tcp(999, '192.0.2.1'), admittedBy: [], reason: 'no ingress rule for tcp port 999' },
      { flow: tcp(1000, '192.0.2.1'), admittedBy: ['range'] },
      { flow: tcp(1500, '192.0.2.1'), admittedBy: ['range'] },
      { flow: tcp(2000, '192.0.2.1'), admittedBy: ['range'] },
      { flow: tcp(2001, '192.0.2.1'), admittedBy: [] },
      // A tcp rule is not a udp rule.
      { flow: udp(1500, '192.0.2.1'), admittedBy: [], reason: 'no ingress rule for udp' },
    ],
  },
  {
    name: 'overlapping CIDRs all match, each listed once',
    rules: [
      rule('wide', 'ingress', 'tcp', [443, 443], cidr4('10.0.0.0/8')),
      rule('mid', 'ingress', 'tcp', [443, 443], cidr4('10.1.0.0/16')),
      rule('host', 'ingress', 'tcp', [443, 443], cidr4('10.1.2.3/32')),
      rule('range', 'ingress', 'tcp', [400, 500], cidr4('10.1.2.0/24')),
    ],
    rows: [
      { flow: tcp(443, '10.1.2.3'), admittedBy: ['wide', 'mid', 'host', 'range'] },
      { flow: tcp(443, '10.1.2.4'), admittedBy: ['wide', 'mid', 'range'] },
      { flow: tcp(443, '10.1.9.9'), admittedBy: ['wide', 'mid'] },
      { flow: tcp(443, '10.255.255.255'), admittedBy: ['wide'] },
      { flow: tcp(401, '10.1.2.3'), admittedBy: ['range'] },
      { flow: tcp(443, '11.0.0.0'), admittedBy: [], reason: 'no ingress rule for tcp port 443 admits source 11.0.0.0' },
      { flow: tcp(443, '9.255.255.255'), admittedBy: [] },
    ],
  },
  {
    name: '/0 matches the whole family and /32 one address',
    rules: [
      rule('any', 'ingress', 'tcp', [22, 22], cidr4('0.0.0.0/0')),
      rule('one', 'ingress', 'tcp', [3389, 3389], cidr4('203.0.113.7/32')),
    ],
    rows: [
      { flow: tcp(22, '0.0.0.0'), admittedBy: ['any'] },
      { flow: tcp(22, '255.255.255.255'), admittedBy: ['any'] },
      { flow: tcp(22, '::'), admittedBy: [] },
      { flow: tcp(3389, '203.0.113.7'), admittedBy: ['one'] },
      { flow: tcp(3389, '203.0.113.6'), admittedBy: [] },
      { flow: tcp(3389, '203.0.113.8'), admittedBy: [] },
      { flow: tcp(3389, '::ffff:203.0.113.7'), admittedBy: [] },
    ],
  },
  {
    name: 'IPv6 /128 and ::/0, whatever the spelling',
    rules: [
      rule('host6', 'ingress', 'tcp', [443, 443], cidr6('2001:db8::1/128')),
      rule('all6', 'ingress', 'udp', [53, 53], cidr6('::/0')),
    ],
    rows: [
      { flow: tcp(443, '2001:db8::1'), admittedBy: ['host6'] },
      { flow: tcp(443, '2001:DB8:0:0:0:0:0:1'), admittedBy: ['host6'] },
      { flow: tcp(443, '2001:db8::2'), admittedBy: [] },
      { flow: tcp(443, '2001:db8::'), admittedBy: [] },
      { flow: udp(53, '::'), admittedBy: ['all6'] },
      { flow: udp(53, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), admittedBy: ['all6'] },
      { flow: udp(53, '::ffff:10.0.0.1'), admittedBy: ['all6'] },
      { flow: udp(53, '10.0.0.1'), admittedBy: [] },
    ],
  },
  {
    name: 'other protocol numbers match by number, without ports',
    rules: [
      rule('esp', 'ingress', '50', undefined, cidr4('198.51.100.0/24')),
      rule('gre', 'egress', '47', undefined, cidr4('198.51.100.0/24')),
    ],
    rows: [
      { flow: other(50, '198.51.100.1'), admittedBy: ['esp'] },
      { flow: other(51, '198.51.100.1'), admittedBy: [], reason: 'no ingress rule for protocol 51' },
      { flow: tcp(50, '198.51.100.1'), admittedBy: [], reason: 'no ingress rule for tcp' },
      { flow: other(50, '198.51.101.1'), admittedBy: [], reason: 'no ingress rule for protocol 50 admits source 198.51.101.1' },
      { flow: other(47, '198.51.100.1'), admittedBy: [] },
      { flow: other(47, '198.51.100.1', 'egress'), admittedBy: ['gre'] },
    ],
  },
  {
    name: 'ingress and egress rules stay apart',
    rules: [
      rule('in', 'ingress', 'tcp', [80, 80], cidr4('0.0.0.0/0')),
      rule('out', 'egress', 'tcp', [443, 443], cidr4('0.0.0.0/0')),
    ],
    rows: [
      { flow: tcp(80, '192.0.2.1'), admittedBy: ['in'] },
      { flow: tcp(80, '192.0.2.1', 'egress'), admittedBy: [], reason: 'no egress rule for tcp port 80' },
      { flow: tcp(443, '192.0.2.1', 'egress'), admittedBy: ['out'] },
      { flow: tcp(443, '192.0.2.1'), admittedBy: [], reason: 'no ingress rule for tcp port 443' },
    ],
  },
  {
    name: 'group peers match their members, of both families',
    rules: [
      rule('from-web', 'ingress', 'tcp', [8080, 8080], group('sg-web')),
      rule('from-nobody', 'ingress', 'tcp', [8080, 8080], group('sg-empty')),
      rule('from-unknown', 'ingress', 'tcp', [8080, 8080], group('sg-unknown')),
    ],
    rows: [
      { flow: tcp(8080, '10.0.1.10'), admittedBy: ['from-web'] },
      { flow: tcp(8080, '2001:db8::10'), admittedBy: ['from-web'] },
      { flow: tcp(8080, '10.0.1.12'), admittedBy: [], reason: 'no ingress rule for tcp port 8080 admits source 10.0.1.12' },
    ],
  },
  {
    name: 'prefix-list peers match any entry, a rule once even when entries nest',
    rules: [
      rule('s3', 'egress', 'tcp', [443, 443], prefixList('pl-s3')),
      rule('nested', 'ingress', 'tcp', [22, 22], prefixList('pl-nested')),
      rule('missing', 'ingress', 'tcp', [22, 22], prefixList('pl-unknown')),
    ],
    rows: [
      { flow: tcp(443, '52.217.255.255', 'egress'), admittedBy: ['s3'] },
      { flow: tcp(443, '3.5.31.255', 'egress'), admittedBy: ['s3'] },
      { flow: tcp(443, '3.5.32.0', 'egress'), admittedBy: [] },
      { flow: tcp(443, '2600:1f18:0fff::1', 'egress'), admittedBy: ['s3'] },
      { flow: tcp(22, '198.51.100.7'), admittedBy: ['nested'] },
      { flow: tcp(22, '198.51.100.200'), admittedBy: ['nested'] },
      { flow: tcp(22, '198.51.101.7'), admittedBy: [] },
    ],
  },
  {
    name: 'a flow admitted by several rules of several groups lists them all, in rule order',
    rules: [
      rule('b-ssh', 'ingress', 'tcp', [22, 22], cidr4('10.0.0.0/8'), 'sg-b'),
      rule('a-all', 'ingress', '-1', undefined, cidr4('10.0.0.0/16'), 'sg-a'),
      rule('c-ports', 'ingress', 'tcp', [0, 1024], group('sg-web'), 'sg-c'),
      rule('a-other', 'ingress', 'tcp', [23, 23], cidr4('10.0.0.0/8'), 'sg-a'),
      rule('c-list', 'ingress', 'tcp', [20, 30], prefixList('pl-nested'), 'sg-c'),
    ],
    rows: [
      { flow: tcp(22, '10.0.1.10'), admittedBy: ['b-ssh', 'a-all', 'c-ports'] },
      { flow: tcp(23, '10.0.1.11'), admittedBy: ['a-all', 'c-ports', 'a-other'] },
      { flow: tcp(22, '198.51.100.9'), admittedBy: ['c-list'] },
    ],
  },
  {
    name: 'flows that are not flows are refused',
    rules: [rule('all', 'ingress', '-1', undefined, cidr4('0.0.0.0/0'))],
    rows: [
      { flow: tcp(22, 'not-an-address'), admittedBy: [], reason: 'peer "not-an-address" is not an IPv4 or IPv6 address' },
      { flow: tcp(22, '10.0.0.1/32'), admittedBy: [] },
      { flow: tcp(22, '010.0.0.1'), admittedBy: [] },
      { flow: other(256, '10.0.0.1'), admittedBy: [], reason: 'protocol 256 is not an IANA protocol number (0-255)' },
      { flow: other(-1, '10.0.0.1'), admittedBy: [] },
    ],
  },
];

for (const [evaluatorName, evaluate] of EVALUATORS) {
  for (const testCase of CASES) {
    test(`${evaluatorName}: ${testCase.name}`, () => {
      for (const row of testCase.rows) {
        const verdict = evaluate(testCase.rules, RESOLVER, row.flow);
        const label = JSON.stringify(row.flow);
        if (row.admittedBy.length === 0) {
          assert.equal(verdict.admitted, false, `${label} must be denied: ${verdict.reason}`);
        } else {
          assert.ok(verdict.admitted, `${label} must be admitted: ${verdict.reason}`);
          assert.deepEqual(
            verdict.matches.map((match) => match.ruleId),
            row.admittedBy,
            label,
          );
          for (const match of verdict.matches) {
            const owner = testCase.rules.find((r) => r.ruleId === match.ruleId)?.groupId;
            assert.equal(match.groupId, owner, `${label}: group of ${match.ruleId}`);
          }
        }
        if (row.reason !== undefined) assert.equal(verdict.reason, row.reason, label);
      }
    });
  }
}

test('EC2-Classic filters no outbound traffic: every new outbound flow is admitted, inbound is unchanged', () => {
  const rules = [rule('sgr-in', 'ingress', 'tcp', [22, 22], cidr4('10.0.0.0/8'), 'sg-1'), rule('sgr-out', 'egress', 'tcp', [443, 443], cidr4('10.0.0.0/8'), 'sg-1')];
  const classic = compilePolicy(rules, RESOLVER, { egressFiltered: false });
  const vpc = compilePolicy(rules, RESOLVER);
  const out: Flow = { direction: 'egress', protocol: 17, port: 53, peer: '9.9.9.9' };
  assert.deepEqual(evaluateFlow(classic, out), { admitted: true, matches: [], reason: 'EC2-Classic does not filter outbound traffic' });
  assert.equal(isAdmitted(classic, out), true);
  assert.equal(evaluateFlow(vpc, out).admitted, false);
  assert.equal(isAdmitted(vpc, out), false);
  // A malformed peer is still refused, and inbound still follows the rules.
  assert.equal(evaluateFlow(classic, { ...out, peer: 'nonsense' }).admitted, false);
  assert.equal(isAdmitted(classic, tcp(22, '10.0.0.1')), true);
  assert.equal(isAdmitted(classic, tcp(23, '10.0.0.1')), false);
});

test('an admitted verdict names its first rule and counts the others', () => {
  const rules = [
    rule('sgr-first', 'ingress', 'tcp', [443, 443], cidr4('10.0.0.0/8'), 'sg-1'),
    rule('sgr-second', 'ingress', '-1', undefined, cidr4('10.0.0.0/24'), 'sg-2'),
    rule('sgr-third', 'ingress', 'icmp', [8, -1], group('sg-web'), 'sg-2'),
  ];
  const policy = compilePolicy(rules, RESOLVER);
  const rows: readonly (readonly [Flow, string])[] = [
    [tcp(443, '10.0.0.1'), 'admitted by sgr-first of sg-1 (tcp 443 from 10.0.0.0/8) and 1 other rule'],
    [udp(53, '10.0.0.1'), 'admitted by sgr-second of sg-2 (all traffic from 10.0.0.0/24)'],
    [icmp(8, 0, '10.0.1.10'), 'admitted by sgr-third of sg-2 (icmp type 8 all codes from members of sg-web)'],
  ];
  for (const [flow, reason] of rows) {
    assert.equal(evaluateFlow(policy, flow).reason, reason);
    assert.equal(evaluateFlowNaive(rules, RESOLVER, flow).reason, reason);
  }
});

test('group membership changes apply incrementally to a compiled policy', () => {
  const members = new Map<string, readonly string[]>([['sg-db-clients', ['10.0.2.1', '10.0.2.2']]]);
  const rules = [
    rule('db', 'ingress', 'tcp', [5432, 5432], group('sg-db-clients')),
    rule('db-again', 'ingress', 'tcp', [5000, 6000], group('sg-db-clients'), 'sg-other'),
  ];
  const policy = compilePolicy(rules, peerResolverFromMaps(members, new Map()));
  const admittedBy = (peer: string): readonly string[] => {
    const verdict = evaluateFlow(policy, tcp(5432, peer));
    assert.equal(isAdmitted(policy, tcp(5432, peer)), verdict.admitted);
    return verdict.admitted ? verdict.matches.map((match) => match.ruleId) : [];
  };

  // Before: the compiled members.
  assert.deepEqual(admittedBy('10.0.2.1'), ['db', 'db-again']);
  assert.deepEqual(admittedBy('10.0.2.3'), []);

  // Replace the whole membership.
  assert.equal(updateGroupMembers(policy, 'sg-db-clients', ['10.0.2.3', '2001:db8::3']), true);
  assert.deepEqual(admittedBy('10.0.2.1'), []);
  assert.deepEqual(admittedBy('10.0.2.3'), ['db', 'db-again']);
  assert.deepEqual(admittedBy('2001:db8:0::3'), ['db', 'db-again']);

  // One member joins, one leaves.
  assert.equal(addGroupMember(policy, 'sg-db-clients', '10.0.2.9'), true);
  assert.equal(removeGroupMember(policy, 'sg-db-clients', '10.0.2.3'), true);
  assert.deepEqual(admittedBy('10.0.2.9'), ['db', 'db-again']);
  assert.deepEqual(admittedBy('10.0.2.3'), []);

  // Everyone leaves.
  updateGroupMembers(policy, 'sg-db-clients', []);
  assert.deepEqual(admittedBy('10.0.2.9'), []);
  assert.deepEqual(admittedBy('2001:db8::3'), []);

  // A group the policy does not reference changes nothing and says so.
  assert.equal(updateGroupMembers(policy, 'sg-elsewhere', ['10.0.2.9']), false);
  assert.equal(addGroupMember(policy, 'sg-elsewhere', '10.0.2.9'), false);
  assert.deepEqual(admittedBy('10.0.2.9'), []);
});

test('a compiled policy reads the resolver once, at compile time', () => {
  const members = new Map<string, readonly string[]>([['sg-web', ['10.0.1.10']]]);
  const policy = compilePolicy([rule('web', 'ingress', 'tcp', [80, 80], group('sg-web'))], peerResolverFromMaps(members, new Map()));
  members.set('sg-web', ['10.0.1.99']);
  assert.equal(isAdmitted(policy, tcp(80, '10.0.1.10')), true);
  assert.equal(isAdmitted(policy, tcp(80, '10.0.1.99')), false);
});
