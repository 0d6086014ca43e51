import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsManagedPrefixLists } from '../domain/prefix-list.js';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import {
  effectivePolicyFromGroups,
  peerResolverFromMaps,
  referencedGroupIds,
  referencedPrefixListIds,
} from './effective-policy.js';

function rule(ruleId: string, groupId: string, peer: Peer): SecurityGroupRule {
  return {
    ruleId,
    groupId,
    groupOwnerId: '111122223333',
    region: 'us-east-1',
    direction: 'ingress',
    ipProtocol: '-1',
    peer,
    tags: [],
    ordinal: 0,
  };
}

const RULES = new Map<string, readonly SecurityGroupRule[]>([
  ['sg-a', [rule('r1', 'sg-a', { kind: 'group', groupId: 'sg-c', userId: '1' }), rule('r2', 'sg-a', { kind: 'prefixList', prefixListId: 'pl-1' })]],
  ['sg-b', [rule('r3', 'sg-b', { kind: 'cidr4', cidr: '10.0.0.0/8' }), rule('r4', 'sg-b', { kind: 'group', groupId: 'sg-a', userId: '1' })]],
  ['sg-c', [rule('r5', 'sg-c', { kind: 'group', groupId: 'sg-c', userId: '1' })]],
]);

test('the effective policy is the union of the rules of every group, each group read once', () => {
  const reads: string[] = [];
  const policy = effectivePolicyFromGroups(['sg-b', 'sg-a', 'sg-b', 'sg-none'], (groupId) => {
    reads.push(groupId);
    return RULES.get(groupId) ?? [];
  });
  assert.deepEqual(policy.groupIds, ['sg-b', 'sg-a', 'sg-none']);
  assert.deepEqual(reads, ['sg-b', 'sg-a', 'sg-none']);
  assert.deepEqual(policy.rules.map((r) => r.ruleId), ['r3', 'r4', 'r1', 'r2']);
  assert.deepEqual(referencedGroupIds(policy.rules), ['sg-a', 'sg-c']);
  assert.deepEqual(referencedPrefixListIds(policy.rules), ['pl-1']);
  assert.deepEqual(effectivePolicyFromGroups([], () => []), { groupIds: [], rules: [], egressFiltered: true });
  assert.equal(effectivePolicyFromGroups([], () => [], false).egressFiltered, false);
});

test('peerResolverFromMaps resolves members and prefix lists, unknown IDs to nothing', () => {
  const lists = awsManagedPrefixLists('us-east-1');
  const s3 = lists[0];
  assert.ok(s3);
  const fromLists = peerResolverFromMaps(new Map([['sg-a', ['10.0.0.1']]]), lists);
  assert.deepEqual(fromLists.membersOf('sg-a'), ['10.0.0.1']);
  assert.deepEqual(fromLists.membersOf('sg-unknown'), []);
  assert.deepEqual(fromLists.prefixListEntries(s3.prefixListId), s3.entries.map((entry) => entry.cidr));
  assert.deepEqual(fromLists.prefixListEntries('pl-unknown'), []);
  const fromMap = peerResolverFromMaps(new Map(), new Map([['pl-1', ['10.0.0.0/8']]]));
  assert.deepEqual(fromMap.prefixListEntries('pl-1'), ['10.0.0.0/8']);
});
