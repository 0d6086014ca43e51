import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedScriptForTest, instanceIdForTest as id } from './agent-fixture.js';
import { HostModel } from './host-model.js';

test('a rule change dirties the local members of its group only', () => {
  const feed = new FeedScriptForTest();
  const model = new HostModel('h1');
  model.apply([feed.group('sg-a'), feed.group('sg-b'), feed.launch(1, 'h1', ['sg-a']), feed.launch(2, 'h1', ['sg-b']), feed.launch(3, 'h2', ['sg-a'])]);
  assert.deepEqual([...model.apply([feed.allow('sg-a', 22, '203.0.113.0/24')])], [id(1)]);
  assert.deepEqual([...model.apply([feed.allow('sg-b', 22, '203.0.113.0/24')])], [id(2)]);
  assert.deepEqual(model.localInstanceIds(), [id(1), id(2)]);
});

test('a membership change dirties the instance and the local members of groups whose rules name its groups', () => {
  const feed = new FeedScriptForTest();
  const model = new HostModel('h1');
  // sg-web admits sg-app; instance 1 (web, h1), 2 (web, h2), 3 (other, h1).
  model.apply([feed.group('sg-web'), feed.group('sg-app'), feed.group('sg-other'), feed.allow('sg-web', 80, 'sg-app')]);
  model.apply([feed.launch(1, 'h1', ['sg-web']), feed.launch(2, 'h2', ['sg-web']), feed.launch(3, 'h1', ['sg-other'])]);
  // A remote instance joins sg-app: the local web member changes, nothing else.
  assert.deepEqual([...model.apply([feed.launch(4, 'h2', ['sg-app'])])], [id(1)]);
  // A local one leaves sg-other for sg-app: itself and the web member.
  assert.deepEqual(new Set(model.apply([feed.regroup(3, ['sg-app'])])), new Set([id(3), id(1)]));
  // Members in the order they joined (the renderer sorts them).
  assert.deepEqual(model.desiredOf(id(1))?.members, new Map([['sg-app', ['10.0.0.4', '10.0.0.3']]]));
  // Termination releases the groups: the web member changes again, the instance must go.
  assert.deepEqual(new Set(model.apply([feed.terminate(4)])), new Set([id(1)]));
  assert.deepEqual(model.desiredOf(id(1))?.members, new Map([['sg-app', ['10.0.0.3']]]));
  assert.deepEqual(new Set(model.apply([feed.terminate(3)])), new Set([id(3), id(1)]));
  assert.equal(model.desiredOf(id(3)), undefined);
  assert.deepEqual(model.localInstanceIds(), [id(1), id(3)]);
  // Once its namespace is gone, a departed instance is forgotten; a running one never is.
  model.forget(id(3));
  model.forget(id(1));
  assert.deepEqual(model.localInstanceIds(), [id(1)]);
});

test('desiredOf: network, address, ruleset; structure ignores members', () => {
  const feed = new FeedScriptForTest();
  const model = new HostModel('h1');
  model.apply([feed.group('sg-web'), feed.group('sg-app'), feed.allow('sg-web', 80, 'sg-app'), feed.launch(1, 'h1', ['sg-web'])]);
  const before = model.desiredOf(id(1));
  assert.equal(before?.network, 'classic/us-east-1');
  assert.deepEqual(before?.addressCidrs, ['10.0.0.1/8']);
  assert.match(before?.ruleset ?? '', /ip saddr @g4_sg_app tcp dport 80 accept/);
  model.apply([feed.launch(2, 'h2', ['sg-app'])]);
  const after = model.desiredOf(id(1));
  assert.equal(after?.structure, before?.structure);
  assert.notEqual(after?.ruleset, before?.ruleset);
  assert.match(after?.ruleset ?? '', /elements = \{ 10\.0\.0\.2 \}/);
  // Instances of other hosts are not this host's to enforce.
  assert.equal(model.desiredOf(id(2)), undefined);
});

test('an instance with IPv6 addresses gets them on its link, and a group peer stands for both families', () => {
  const feed = new FeedScriptForTest();
  const model = new HostModel('h1');
  const vpc = { vpcId: 'vpc-1', ownerId: '111122223333', region: 'us-east-1', cidrBlock: '10.0.0.0/16', ipv6CidrBlock: '2600:1f18:1:2300::/56', isDefault: false, instanceTenancy: 'default', dhcpOptionsId: 'dopt-1', tags: [], ordinal: 1 } as const;
  model.apply([feed.record({ kind: 'VpcCreated', vpc }), feed.group('sg-web'), feed.group('sg-app'), feed.allow('sg-web', 80, 'sg-app')]);
  const launched = feed.launchAll([
    { n: 1, hostName: 'h1', groupIds: ['sg-web'] },
    { n: 2, hostName: 'h2', groupIds: ['sg-app'] },
  ]);
  if (launched.change.kind !== 'InstancesLaunched') throw new Error('fixture');
  const [web, app] = launched.change.instances.map((i, k) => ({ ...i, vpcId: 'vpc-1', ipv6Addresses: [`2600:1f18:1:2300::${k + 1}`] }));
  model.apply([{ ...launched, change: { kind: 'InstancesLaunched', instances: [web as NonNullable<typeof web>, app as NonNullable<typeof app>] } }]);
  const desired = model.desiredOf(id(1));
  assert.deepEqual(desired?.addressCidrs, ['10.0.0.1/16', '2600:1f18:1:2300::1/56']);
  assert.deepEqual(desired?.members, new Map([['sg-app', ['10.0.0.2', '2600:1f18:1:2300::2']]]));
  assert.match(desired?.ruleset ?? '', /set g6_sg_app \{[^}]*elements = \{ 2600:1f18:1:2300::2 \}/s);
});
