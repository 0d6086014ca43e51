import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ruleIdentityKey } from '../domain/rule-identity.js';
import { ruleForTest } from '../dataplane/rule-fixture.js';
import { indexLoadedRulesInBackground } from './fill-view.js';
import { storedRule } from './stored-rule.js';
import { View } from './view.js';

// Rules loaded at start-up join the map of rules by ID after the first answer (issue 12: restart
// time at a million rules). Whoever uses the map before then must see it whole, in the order the
// rules would have had if they had been put one by one.

const rule = (ruleId: string, groupId: string, port: number) =>
  ruleForTest({ ruleId, groupId, direction: 'ingress', ipProtocol: 'tcp', ports: [port, port], peer: { kind: 'cidr4', cidr: '10.0.0.0/8' }, ordinal: port });
const record = (revision: number, change: Parameters<View['apply']>[0]['change']) => ({ revision, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'us-east-1', change });

/** A view that loaded, as a snapshot hands them over, rules of two groups with one interleaved. */
function loadedView(): View {
  const view = new View();
  for (const loaded of [rule('sgr-a1', 'sg-a', 1), rule('sgr-b1', 'sg-b', 2), rule('sgr-a2', 'sg-a', 3)]) view.load('rule', storedRule(loaded));
  return view;
}

test('a view just loaded hands out every loaded rule by ID, in load order, whoever asks first', () => {
  const view = loadedView();
  assert.equal(view.indexLoadedRules(1), false, 'two rules are still waiting after one');
  assert.deepEqual([...view.rules.keys()], ['sgr-a1', 'sgr-b1', 'sgr-a2']);
  assert.equal(view.rules.get('sgr-a2')?.ruleId, 'sgr-a2');
  assert.equal(view.document('rule', 'sgr-b1')?.groupId, 'sg-b');
  assert.equal(view.holdsResourceId('sgr-a1'), true);
  assert.equal(view.indexLoadedRules(0), true, 'nothing waits once the map was used');
  // Each group's rules, in order, also for the group whose rules came apart.
  assert.deepEqual([...view.rulesOf('sg-a')].map((r) => r.ruleId), ['sgr-a1', 'sgr-a2']);
  assert.equal(view.ruleIdByIdentity('sg-a', ruleIdentityKey(rule('sgr-a2', 'sg-a', 3))), 'sgr-a2');
});

test('changes applied before the loaded rules joined the map keep the order of one-by-one puts', () => {
  const view = loadedView();
  view.apply(record(1, { kind: 'RulesAuthorized', groupId: 'sg-b', rules: [rule('sgr-b2', 'sg-b', 4)] }));
  assert.deepEqual([...view.rules.keys()], ['sgr-a1', 'sgr-b1', 'sgr-a2', 'sgr-b2']);

  const revoked = loadedView();
  revoked.apply(record(1, { kind: 'RulesRevoked', groupId: 'sg-a', ruleIds: ['sgr-a1'] }));
  assert.deepEqual([...revoked.rules.keys()], ['sgr-b1', 'sgr-a2']);
  assert.deepEqual([...revoked.rulesOf('sg-a')].map((r) => r.ruleId), ['sgr-a2']);
});

test('a reset forgets loaded rules still waiting for the map', () => {
  const view = loadedView();
  view.reset();
  assert.equal(view.rules.size, 0);
  assert.equal(view.indexLoadedRules(0), true);
});

test('in the background the map is completed in slices, between turns of the event loop', async () => {
  const view = new View();
  for (let i = 0; i < 40_000; i++) view.load('rule', storedRule(rule(`sgr-${i}`, `sg-${i % 7}`, i)));
  indexLoadedRulesInBackground(view);
  // 40,000 rules take more than one turn.
  await nextTurn();
  assert.equal(view.indexLoadedRules(0), false);
  for (let turns = 0; turns < 10 && !view.indexLoadedRules(0); turns++) await nextTurn();
  assert.equal(view.indexLoadedRules(0), true);
  assert.equal(view.rules.size, 40_000);
  assert.equal([...view.rules.keys()][39_999], 'sgr-39999');
});
