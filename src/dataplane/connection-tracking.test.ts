import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import { compilePolicy } from './compiled-policy.js';
import { isUntracked } from './connection-tracking.js';
import { peerResolverFromMaps } from './effective-policy.js';
import type { Flow } from './flow.js';
import { ruleForTest } from './rule-fixture.js';

// Tracked vs untracked (spec/semantics.md §10): TCP/UDP admitted by a /0 rule, with the other
// direction open to /0 on all ports, is untracked; ICMP and everything else is tracked.

const RESOLVER = peerResolverFromMaps(new Map([['sg-web', ['10.0.0.5']]]), new Map([['pl-world', ['0.0.0.0/0']]]));

function rule(direction: 'ingress' | 'egress', ipProtocol: string, ports: readonly [number, number] | undefined, peer: Peer): SecurityGroupRule {
  return ruleForTest({ ruleId: `sgr-${direction}-${ipProtocol}-${ports?.join('-') ?? 'all'}`, groupId: 'sg-app', direction, ipProtocol, ports, peer, ordinal: 0 });
}
const world4: Peer = { kind: 'cidr4', cidr: '0.0.0.0/0' };
const world6: Peer = { kind: 'cidr6', cidr: '::/0' };

// The VPC default egress rule: everything to 0.0.0.0/0 (spec/semantics.md §6.2).
const ALL_EGRESS = rule('egress', '-1', undefined, world4);

const tcpIn = (port: number, peer = '198.51.100.1'): Flow => ({ direction: 'ingress', protocol: 6, port, peer });

const CASES: readonly { readonly name: string; readonly rules: readonly SecurityGroupRule[]; readonly flow: Flow; readonly untracked: boolean }[] = [
  { name: 'tcp 443 open to the world, all egress open', rules: [rule('ingress', 'tcp', [443, 443], world4), ALL_EGRESS], flow: tcpIn(443), untracked: true },
  { name: 'egress open for tcp 0-65535 only', rules: [rule('ingress', 'tcp', [443, 443], world4), rule('egress', 'tcp', [0, 65535], world4)], flow: tcpIn(443), untracked: true },
  { name: 'egress open for udp only', rules: [rule('ingress', 'tcp', [443, 443], world4), rule('egress', 'udp', [0, 65535], world4)], flow: tcpIn(443), untracked: false },
  { name: 'egress open on some ports only', rules: [rule('ingress', 'tcp', [443, 443], world4), rule('egress', 'tcp', [1024, 65535], world4)], flow: tcpIn(443), untracked: false },
  { name: 'ingress rule for a narrower CIDR', rules: [rule('ingress', 'tcp', [443, 443], { kind: 'cidr4', cidr: '198.51.100.0/24' }), ALL_EGRESS], flow: tcpIn(443), untracked: false },
  { name: 'flow on a port the /0 rule does not cover', rules: [rule('ingress', 'tcp', [443, 443], world4), ALL_EGRESS], flow: tcpIn(80), untracked: false },
  { name: 'all-traffic ingress from the world', rules: [rule('ingress', '-1', undefined, world4), ALL_EGRESS], flow: tcpIn(22), untracked: true },
  { name: 'no egress rule at all', rules: [rule('ingress', 'tcp', [443, 443], world4)], flow: tcpIn(443), untracked: false },
  { name: 'ICMP is always tracked', rules: [rule('ingress', '-1', undefined, world4), ALL_EGRESS], flow: { direction: 'ingress', protocol: 1, icmpType: 8, icmpCode: 0, peer: '198.51.100.1' }, untracked: false },
  { name: 'other protocols are tracked', rules: [rule('ingress', '-1', undefined, world4), ALL_EGRESS], flow: { direction: 'ingress', protocol: 50, peer: '198.51.100.1' }, untracked: false },
  { name: 'IPv6 needs ::/0 both ways', rules: [rule('ingress', 'tcp', [443, 443], world6), rule('egress', '-1', undefined, world6)], flow: tcpIn(443, '2001:db8::1'), untracked: true },
  { name: 'IPv6 flow with IPv4-only rules', rules: [rule('ingress', 'tcp', [443, 443], world4), ALL_EGRESS], flow: tcpIn(443, '2001:db8::1'), untracked: false },
  { name: 'egress flow, ingress open', rules: [rule('egress', 'udp', [53, 53], world4), rule('ingress', '-1', undefined, world4)], flow: { direction: 'egress', protocol: 17, port: 53, peer: '10.0.0.2' }, untracked: true },
  // UNCONFIRMED (spec/semantics.md §10): a prefix list holding 0.0.0.0/0 is not a /0 rule.
  { name: 'prefix list holding /0', rules: [rule('ingress', 'tcp', [443, 443], { kind: 'prefixList', prefixListId: 'pl-world' }), ALL_EGRESS], flow: tcpIn(443), untracked: false },
];

test('isUntracked follows spec/semantics.md §10', () => {
  for (const testCase of CASES) {
    assert.equal(isUntracked(compilePolicy(testCase.rules, RESOLVER), testCase.flow), testCase.untracked, testCase.name);
  }
});
