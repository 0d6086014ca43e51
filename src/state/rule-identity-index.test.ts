import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RuleIdentityIndex } from './rule-identity-index.js';

// Two identity keys whose 32-bit FNV-1a hashes are equal (found by search): the index must still
// tell their rules apart, by confirming each candidate.
const COLLIDING = ['ingress|tcp|443:443|4:10.2.184.5/32', 'ingress|tcp|443:443|4:10.4.172.170/32'] as const;

function indexOf(entries: Record<string, string>): { index: RuleIdentityIndex; find: (key: string) => string | undefined } {
  const index = new RuleIdentityIndex();
  const keyOf = new Map<string, string>();
  for (const [key, ruleId] of Object.entries(entries)) {
    index.add('sg-1', key, ruleId);
    keyOf.set(ruleId, key);
  }
  return { index, find: (key) => index.find('sg-1', key, (ruleId) => keyOf.get(ruleId) === key) };
}

test('finds a rule by its identity key, and nothing for another key or another group', () => {
  const { index, find } = indexOf({ 'ingress|tcp|80:80|4:10.0.0.0/8': 'sgr-a' });
  assert.equal(find('ingress|tcp|80:80|4:10.0.0.0/8'), 'sgr-a');
  assert.equal(find('ingress|tcp|81:81|4:10.0.0.0/8'), undefined);
  assert.equal(index.find('sg-2', 'ingress|tcp|80:80|4:10.0.0.0/8', () => true), undefined);
});

test('keys that share a hash keep their own rules, through adds and removes', () => {
  const { index, find } = indexOf({ [COLLIDING[0]]: 'sgr-a', [COLLIDING[1]]: 'sgr-b' });
  assert.equal(find(COLLIDING[0]), 'sgr-a');
  assert.equal(find(COLLIDING[1]), 'sgr-b');
  index.remove('sg-1', COLLIDING[0], 'sgr-a');
  assert.equal(find(COLLIDING[0]), undefined);
  assert.equal(find(COLLIDING[1]), 'sgr-b');
  index.remove('sg-1', COLLIDING[1], 'sgr-b');
  assert.equal(find(COLLIDING[1]), undefined);
});

test('a found candidate that is not the same rule is no match', () => {
  const index = new RuleIdentityIndex();
  index.add('sg-1', COLLIDING[0], 'sgr-a');
  assert.equal(index.find('sg-1', COLLIDING[1], () => false), undefined);
});

test('deleting a group forgets its keys', () => {
  const { index, find } = indexOf({ 'egress|-1||4:0.0.0.0/0': 'sgr-e' });
  index.deleteGroup('sg-1');
  assert.equal(find('egress|-1||4:0.0.0.0/0'), undefined);
});
