import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedScriptForTest, instanceIdForTest as id } from '../agent/agent-fixture.js';
import { HostModel, type DesiredInstance } from '../agent/host-model.js';
import type { ChangeRecord } from '../state/change-record.js';
import { View } from '../state/view.js';
import { HostScope } from './host-scope.js';

/** What a host enforces for an instance, independent of the order the model learnt its peers in. */
function enforced(desired: DesiredInstance | undefined): unknown {
  if (desired === undefined) return undefined;
  return { ruleset: desired.ruleset, structure: desired.structure, address: desired.addressCidrs, members: [...desired.members].map(([g, m]) => [g, [...m].sort()]) };
}

/** A host following a scoped feed: starts from the scope's snapshot, then takes what `select` gives. */
class ScopedHost {
  readonly scope: HostScope;
  model: HostModel;
  received = { records: 0, documents: 0 };

  constructor(hostName: string, server: View) {
    this.scope = new HostScope(hostName, server);
    this.model = HostModel.fromSnapshot(hostName, server.revision, this.scope.snapshot());
  }

  follow(record: ChangeRecord): void {
    const delivery = this.scope.select(record);
    this.received.documents += delivery.documents.length;
    if (delivery.record !== undefined) this.received.records++;
    this.model.take(delivery.documents, record.revision - 1);
    if (delivery.record !== undefined) this.model.apply([delivery.record]);
    else this.model.advanceTo(record.revision);
  }
}

/** A deterministic pseudo-random sequence (the test must fail the same way twice). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test('a host that follows only its scope enforces exactly what a host that reads the whole log does', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const feed = new FeedScriptForTest();
    const server = new View();
    const hosts = ['h1', 'h2', 'h3'];
    const groups = ['sg-a', 'sg-b', 'sg-c', 'sg-d', 'sg-e'];
    const full = new Map(hosts.map((h) => [h, new HostModel(h)]));
    const scoped = new Map<string, ScopedHost>();
    const rules: { groupId: string; ruleId: string }[] = [];
    let instances = 0;
    const commit = (record: ChangeRecord) => {
      server.apply(record);
      for (const model of full.values()) model.apply([record]);
      for (const host of scoped.values()) host.follow(record);
    };
    for (const g of groups) commit(feed.group(g));
    for (let step = 0; step < 120; step++) {
      // Hosts connect part-way through: their scope starts from the state at that point.
      if (step === 10) scoped.set('h1', new ScopedHost('h1', server));
      if (step === 40) scoped.set('h2', new ScopedHost('h2', server));
      const roll = next();
      if (roll < 0.3 || instances === 0) {
        // One to three instances per reservation, on any hosts, in one or two groups.
        const count = 1 + Math.floor(next() * 3);
        const launch = Array.from({ length: count }, () => ({ n: ++instances, hostName: pick(hosts), groupIds: [...new Set([pick(groups), pick(groups)])] }));
        commit(feed.launchAll(launch));
      } else if (roll < 0.55) {
        const groupId = pick(groups);
        const record = feed.allow(groupId, 1000 + step, next() < 0.6 ? pick(groups) : `198.51.${step}.0/24`);
        if (record.change.kind === 'RulesAuthorized') rules.push({ groupId, ruleId: record.change.rules[0]?.ruleId ?? '' });
        commit(record);
      } else if (roll < 0.65 && rules.length > 0) {
        const [rule] = rules.splice(Math.floor(next() * rules.length), 1);
        if (rule !== undefined) commit(feed.record({ kind: 'RulesRevoked', groupId: rule.groupId, ruleIds: [rule.ruleId] }));
      } else if (roll < 0.85) {
        commit(feed.regroup(1 + Math.floor(next() * instances), [pick(groups)]));
      } else {
        commit(feed.terminate(1 + Math.floor(next() * instances)));
      }
      for (const [hostName, host] of scoped) {
        const reference = full.get(hostName) as HostModel;
        for (const instanceId of reference.localInstanceIds()) {
          assert.equal(host.model.runsHere(instanceId), reference.runsHere(instanceId), `seed ${seed} step ${step}: ${instanceId} on ${hostName}`);
          assert.deepEqual(enforced(host.model.desiredOf(instanceId)), enforced(reference.desiredOf(instanceId)), `seed ${seed} step ${step}: ${instanceId} on ${hostName}`);
        }
        assert.equal(host.model.revision, server.revision);
      }
    }
  }
});

test('a change that concerns no instance of the host sends it nothing', () => {
  const feed = new FeedScriptForTest();
  const server = new View();
  const records = [feed.group('sg-web'), feed.group('sg-db'), feed.group('sg-other'), feed.allow('sg-web', 80, 'sg-db'), feed.launch(1, 'h1', ['sg-web']), feed.launch(2, 'h2', ['sg-db'])];
  for (const record of records) server.apply(record);
  const h1 = new ScopedHost('h1', server);
  // h1 holds its instance, sg-web and its rule, and sg-db's member.
  assert.deepEqual(h1.model.localInstanceIds(), [id(1)]);
  assert.deepEqual(h1.model.membersOf('sg-db'), ['10.0.0.2']);
  const send = (record: ChangeRecord) => {
    server.apply(record);
    h1.follow(record);
  };
  // A rule of a group no local instance holds, an instance elsewhere in an unreferenced group.
  send(feed.allow('sg-other', 22, '0.0.0.0/0'));
  send(feed.launch(3, 'h2', ['sg-other']));
  send(feed.allow('sg-db', 5432, 'sg-web'));
  assert.deepEqual(h1.received, { records: 0, documents: 0 });
  // A new member of sg-db comes as its document; a rule of sg-web as the record.
  send(feed.launch(4, 'h3', ['sg-db']));
  assert.deepEqual(h1.received, { records: 0, documents: 1 });
  send(feed.allow('sg-web', 443, 'sg-other'));
  // The record, and sg-other's member (instance 3) that the new rule names.
  assert.deepEqual(h1.received, { records: 1, documents: 2 });
  assert.deepEqual(h1.model.desiredOf(id(1))?.members, new Map([['sg-db', ['10.0.0.2', '10.0.0.4']], ['sg-other', ['10.0.0.3']]]));
});
