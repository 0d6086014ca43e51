import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRuleQuota, QUOTAS } from './quota.js';
import type { Direction, Peer, RuleDraft } from './rule.js';

// How rules count toward a group's quota in each profile (spec/semantics.md §9).

const cidr4: Peer = { kind: 'cidr4', cidr: '10.0.0.0/8' };
const cidr6: Peer = { kind: 'cidr6', cidr: '2001:db8::/32' };
const group: Peer = { kind: 'group', groupId: 'sg-12345678', userId: '111122223333' };
const prefixList: Peer = { kind: 'prefixList', prefixListId: 'pl-12345678' };

/** `n` distinct tcp rules to `peer` in `direction`. */
function rules(n: number, direction: Direction, peer: Peer): RuleDraft[] {
  return Array.from({ length: n }, (_, i) => ({ direction, ipProtocol: 'tcp', fromPort: i + 1, toPort: i + 1, peer }));
}

const weightOf = (maxEntries: number) => () => maxEntries;
const fits = (check: () => void) => assert.doesNotThrow(check);
const exceeds = (check: () => void) => assert.throws(check, { code: 'RulesPerSecurityGroupLimitExceeded' });

describe('current profile, VPC: 60 inbound and 60 outbound, IPv4 and IPv6 counted apart', () => {
  const q = QUOTAS.current;
  test('60 IPv4 inbound fit; the 61st does not', () => {
    fits(() => checkRuleQuota(q, 'vpc', rules(59, 'ingress', cidr4), rules(1, 'ingress', cidr4), weightOf(1)));
    exceeds(() => checkRuleQuota(q, 'vpc', rules(60, 'ingress', cidr4), rules(1, 'ingress', cidr4), weightOf(1)));
  });
  test('IPv6 rules do not use the IPv4 allowance, nor egress the ingress one', () => {
    const full = [...rules(60, 'ingress', cidr4), ...rules(60, 'egress', cidr4)];
    fits(() => checkRuleQuota(q, 'vpc', full, rules(60, 'ingress', cidr6), weightOf(1)));
    fits(() => checkRuleQuota(q, 'vpc', rules(60, 'ingress', cidr4), rules(60, 'egress', cidr4), weightOf(1)));
  });
  test('a group peer counts toward both families', () => {
    fits(() => checkRuleQuota(q, 'vpc', rules(59, 'ingress', cidr6), rules(1, 'ingress', group), weightOf(1)));
    exceeds(() => checkRuleQuota(q, 'vpc', rules(60, 'ingress', cidr6), rules(1, 'ingress', group), weightOf(1)));
  });
  test('a prefix list weighs its max entries in both families', () => {
    fits(() => checkRuleQuota(q, 'vpc', rules(50, 'ingress', cidr6), rules(1, 'ingress', prefixList), weightOf(10)));
    exceeds(() => checkRuleQuota(q, 'vpc', rules(51, 'ingress', cidr6), rules(1, 'ingress', prefixList), weightOf(10)));
  });
  test('only the directions being added are checked', () => {
    // A group already over its egress allowance (e.g. after a profile change) can still gain ingress rules.
    fits(() => checkRuleQuota(q, 'vpc', rules(61, 'egress', cidr4), rules(1, 'ingress', cidr4), weightOf(1)));
  });
  test('adding nothing never fails', () => {
    fits(() => checkRuleQuota(q, 'vpc', rules(100, 'ingress', cidr4), [], weightOf(1)));
  });
});

describe('2011 profile and EC2-Classic: every rule counts once', () => {
  test('VPC: 50 rules, inbound and outbound together, whatever the family', () => {
    const q = QUOTAS['2011'];
    fits(() => checkRuleQuota(q, 'vpc', [...rules(25, 'ingress', cidr4), ...rules(24, 'egress', cidr6)], rules(1, 'ingress', group), weightOf(1)));
    exceeds(() => checkRuleQuota(q, 'vpc', [...rules(25, 'ingress', cidr4), ...rules(25, 'egress', cidr6)], rules(1, 'egress', cidr4), weightOf(1)));
  });
  test('Classic: 100 inbound rules in both profiles', () => {
    for (const q of [QUOTAS.current, QUOTAS['2011']]) {
      fits(() => checkRuleQuota(q, 'classic', rules(99, 'ingress', cidr4), rules(1, 'ingress', group), weightOf(1)));
      exceeds(() => checkRuleQuota(q, 'classic', rules(100, 'ingress', cidr4), rules(1, 'ingress', cidr4), weightOf(1)));
    }
  });
});
