import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleForTest } from '../dataplane/rule-fixture.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import { ruleFromStored, storedRule } from './stored-rule.js';
import { View } from './view.js';

// Every shape a rule takes: each peer kind, with and without ports (port 0 included), with and
// without a description and tags, a Classic group peer with its name and one given by name.
const RULES: readonly SecurityGroupRule[] = [
  ruleForTest({ ruleId: 'sgr-1', groupId: 'sg-1', direction: 'ingress', ipProtocol: 'tcp', ports: [22, 22], peer: { kind: 'cidr4', cidr: '10.0.0.0/8' }, ordinal: 1 }),
  { ...ruleForTest({ ruleId: 'sgr-2', groupId: 'sg-1', direction: 'egress', ipProtocol: '-1', ports: undefined, peer: { kind: 'cidr6', cidr: '::/0' }, ordinal: 2 }), description: '', tags: [{ key: 'a', value: '' }] },
  { ...ruleForTest({ ruleId: 'sgr-3', groupId: 'sg-1', direction: 'ingress', ipProtocol: 'icmp', ports: [0, -1], peer: { kind: 'prefixList', prefixListId: 'pl-1' }, ordinal: 3 }), description: 'ping "from" <office> 日本' },
  { ...ruleForTest({ ruleId: 'sgr-4', groupId: 'sg-1', direction: 'ingress', ipProtocol: 'udp', ports: [0, 65535], peer: { kind: 'group', groupId: 'sg-2', userId: '111122223333' }, ordinal: 4 }), tags: [{ key: 'Name', value: 'dns' }] },
  ruleForTest({ ruleId: 'sgr-5', groupId: 'sg-1', direction: 'ingress', ipProtocol: 'tcp', ports: [80, 80], peer: { kind: 'group', groupId: 'sg-3', userId: '444455556666', groupName: 'web', givenByName: true }, ordinal: 5 }),
  { ...ruleForTest({ ruleId: 'sgr-6', groupId: 'sg-1', direction: 'egress', ipProtocol: '-1', ports: undefined, peer: { kind: 'cidr4', cidr: '0.0.0.0/0' }, ordinal: 6 }), tags: [{ key: 'Name', value: 'out' }] },
];

// Every field set: a field added to rules must be given here, and then must come back.
const EVERY_FIELD: Required<SecurityGroupRule> = {
  ruleId: 'sgr-7',
  groupId: 'sg-1',
  groupOwnerId: '111122223333',
  region: 'eu-west-1',
  direction: 'ingress',
  ipProtocol: 'tcp',
  fromPort: 443,
  toPort: 8443,
  peer: { kind: 'cidr4', cidr: '192.0.2.0/24' },
  description: 'all of it',
  tags: [{ key: 'k', value: 'v' }],
  ordinal: 7,
};

test('a rule comes back from its stored form exactly, whatever its shape', () => {
  // The last one has ports that are never stored so (a from port alone): it takes the general path.
  const { toPort: _dropped, ...fromPortAlone } = RULES[0] as SecurityGroupRule;
  for (const rule of [...RULES, EVERY_FIELD, fromPortAlone]) {
    const stored: unknown = JSON.parse(JSON.stringify(storedRule(rule)));
    assert.ok(Array.isArray(stored));
    assert.deepStrictEqual(ruleFromStored(stored), rule);
  }
});

test('the stored form is the smaller: about half the bytes of the object', () => {
  const rule = RULES[0] as SecurityGroupRule;
  assert.ok(JSON.stringify(storedRule(rule)).length < 0.6 * JSON.stringify(rule).length);
});

test('a rule stored as an object, before schema version 4, is read as it is', () => {
  const rule = RULES[3] as SecurityGroupRule;
  assert.deepStrictEqual(ruleFromStored(JSON.parse(JSON.stringify(rule))), rule);
});

test("what the store is given for a view's rules loads into another view as the same rules", () => {
  const written = new View();
  written.apply({ revision: 1, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'us-east-1', change: { kind: 'RulesAuthorized', groupId: 'sg-1', rules: [...RULES] } });
  const loaded = new View();
  for (const rule of RULES) loaded.load('rule', JSON.parse(JSON.stringify(written.storedDocument('rule', rule.ruleId))));
  assert.deepStrictEqual([...loaded.rulesOf('sg-1')], [...written.rulesOf('sg-1')]);
  assert.equal(written.storedDocument('rule', 'sgr-gone'), undefined);
});
