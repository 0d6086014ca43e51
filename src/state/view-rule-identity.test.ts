import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleIdentityKey } from '../domain/rule-identity.js';
import { ruleForTest } from '../dataplane/rule-fixture.js';
import { View } from './view.js';

const rule = (ruleId: string, groupId: string, port: number) =>
  ruleForTest({ ruleId, groupId, direction: 'ingress', ipProtocol: 'tcp', ports: [port, port], peer: { kind: 'cidr4', cidr: '10.0.0.0/8' }, ordinal: port });
const record = (revision: number, change: Parameters<View['apply']>[0]['change']) => ({ revision, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'us-east-1', change });

// Rules loaded at start-up enter the identity index only when their group is first asked for or
// written to (issue 12: restart time): duplicates and revokes must find them all the same.
test('rules loaded at start are found by identity, after revokes and new rules alike', () => {
  const view = new View();
  const [a, b, c] = [rule('sgr-a', 'sg-1', 22), rule('sgr-b', 'sg-2', 80), rule('sgr-c', 'sg-2', 443)];
  for (const loaded of [a, b, c]) view.load('rule', loaded);
  // A read of an untouched group.
  assert.equal(view.ruleIdByIdentity('sg-1', ruleIdentityKey(a)), 'sgr-a');
  // A revoke in a group never asked for, then lookups of what was revoked and what is left.
  view.apply(record(1, { kind: 'RulesRevoked', groupId: 'sg-2', ruleIds: ['sgr-b'] }));
  assert.equal(view.ruleIdByIdentity('sg-2', ruleIdentityKey(b)), undefined);
  assert.equal(view.ruleIdByIdentity('sg-2', ruleIdentityKey(c)), 'sgr-c');
  // A new rule in a group whose loaded rules were never asked for: both findable.
  const view2 = new View();
  view2.load('rule', a);
  const d = rule('sgr-d', 'sg-1', 8080);
  view2.apply(record(1, { kind: 'RulesAuthorized', groupId: 'sg-1', rules: [d] }));
  assert.equal(view2.ruleIdByIdentity('sg-1', ruleIdentityKey(a)), 'sgr-a');
  assert.equal(view2.ruleIdByIdentity('sg-1', ruleIdentityKey(d)), 'sgr-d');
  // A replaced rule (RulesModified) is found under its new identity only.
  const modified = { ...a, fromPort: 2222, toPort: 2222 };
  view2.apply(record(2, { kind: 'RulesModified', groupId: 'sg-1', rules: [modified] }));
  assert.equal(view2.ruleIdByIdentity('sg-1', ruleIdentityKey(a)), undefined);
  assert.equal(view2.ruleIdByIdentity('sg-1', ruleIdentityKey(modified)), 'sgr-a');
});
