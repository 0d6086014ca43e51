import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FeedScriptForTest, instanceIdForTest as id } from './agent-fixture.js';
import { Enforcer, type InstanceNetwork } from './enforcer.js';
import { HostModel } from './host-model.js';
import type { InstanceAttachment } from './instance-network.js';
import type { NftApplyResult } from './nft-apply.js';

/** A host whose namespaces and nft are in memory: every call is recorded in order. */
class FakeHost implements InstanceNetwork {
  readonly namespaces = new Set<string>();
  readonly calls: string[] = [];
  /** Transactions per namespace, in order. */
  readonly transactions = new Map<string, string[]>();
  /** The next nft results to give, then `applied`. */
  readonly results: NftApplyResult[] = [];
  /** Resolvers of nft calls held back (when `hold` is set). */
  readonly held: (() => void)[] = [];
  hold = false;

  existingNamespaces(): Promise<ReadonlySet<string>> {
    return Promise.resolve(new Set(this.namespaces));
  }
  createInstanceNamespace(instanceId: string): Promise<void> {
    this.calls.push(`create ${instanceId}`);
    this.namespaces.add(instanceId);
    return Promise.resolve();
  }
  ensureAttached(instance: InstanceAttachment): Promise<void> {
    this.calls.push(`attach ${instance.instanceId} ${instance.addressCidrs.join(',')}`);
    return Promise.resolve();
  }
  removeInstance(instanceId: string): Promise<boolean> {
    this.calls.push(`remove ${instanceId}`);
    return Promise.resolve(this.namespaces.delete(instanceId));
  }
  readonly nft = async (namespace: string, transaction: string): Promise<NftApplyResult> => {
    this.calls.push(`nft ${namespace} ${transaction.startsWith('table inet stockade\ndelete table') ? 'replace' : 'elements'}`);
    const list = this.transactions.get(namespace) ?? [];
    list.push(transaction);
    this.transactions.set(namespace, list);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    return this.results.shift() ?? { kind: 'applied' };
  };
}

function setUp() {
  const feed = new FeedScriptForTest();
  const model = new HostModel('h1');
  const host = new FakeHost();
  const enforcer = new Enforcer({ model, network: host, nft: host.nft, concurrency: 2 });
  const go = (records: ReturnType<FeedScriptForTest['record']>[]) => enforcer.markDirty(model.apply(records));
  enforcer.resume();
  return { feed, model, host, enforcer, go };
}

test('a new instance gets its namespace, then its table, and only then its interface (fail-closed order)', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a'])]);
  await enforcer.idle();
  assert.deepEqual(host.calls, [`create ${id(1)}`, `nft ${id(1)} replace`, `attach ${id(1)} 10.0.0.1/8`]);
  assert.deepEqual(enforcer.enforcementOf(id(1)), { ...enforcer.enforcementOf(id(1)), enforcedRevision: 2, failure: undefined });
  assert.equal(enforcer.stats.nftTransactions, 1);
});

test('a membership change is one element transaction per affected instance; a rule change replaces the table', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-web'), feed.group('sg-app'), feed.allow('sg-web', 80, 'sg-app'), feed.launch(1, 'h1', ['sg-web']), feed.launch(2, 'h1', ['sg-web'])]);
  await enforcer.idle();
  host.calls.length = 0;
  // A remote instance joins sg-app: one `add element` in each web member, nothing else.
  go([feed.launch(3, 'h2', ['sg-app'])]);
  await enforcer.idle();
  assert.deepEqual(host.calls.sort(), [`nft ${id(1)} elements`, `nft ${id(2)} elements`]);
  assert.equal(host.transactions.get(id(1))?.at(-1), 'add element inet stockade g4_sg_app { 10.0.0.3 }\n');
  host.calls.length = 0;
  go([feed.terminate(3)]);
  await enforcer.idle();
  assert.equal(host.transactions.get(id(1))?.at(-1), 'delete element inet stockade g4_sg_app { 10.0.0.3 }\n');
  host.calls.length = 0;
  go([feed.allow('sg-web', 443, '0.0.0.0/0')]);
  await enforcer.idle();
  assert.deepEqual(host.calls.sort(), [`nft ${id(1)} replace`, `nft ${id(2)} replace`]);
  assert.equal(enforcer.stats.membershipUpdates, 4);
});

test('a burst of changes to one instance while its transaction runs costs one more transaction, not one per change', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a'])]);
  await enforcer.idle();
  host.hold = true;
  go([feed.allow('sg-a', 1, '192.0.2.1/32')]);
  await new Promise((resolve) => setImmediate(resolve));
  for (let port = 2; port <= 20; port++) go([feed.allow('sg-a', port, '192.0.2.1/32')]);
  host.hold = false;
  for (const release of host.held.splice(0)) release();
  await enforcer.idle();
  const transactions = host.transactions.get(id(1)) ?? [];
  // The launch, the first change, and one for the other nineteen.
  assert.equal(transactions.length, 3);
  assert.match(transactions.at(-1) ?? '', /tcp dport 20 accept/);
  assert.equal(enforcer.enforcementOf(id(1))?.enforcedRevision, 22);
});

test('a refused transaction keeps the last good ruleset, reports the failure and is retried', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a'])]);
  await enforcer.idle();
  host.results.push({ kind: 'rejected', message: 'Error: Could not process rule' });
  go([feed.allow('sg-a', 22, '192.0.2.0/24')]);
  await enforcer.idle();
  // Nothing was applied (nft commits whole or not at all): the revision in force stays at the launch.
  assert.deepEqual(enforcer.enforcementOf(id(1)), { ...enforcer.enforcementOf(id(1)), enforcedRevision: 2, failure: 'nft rejected: Error: Could not process rule' });
  assert.equal(enforcer.stats.failures, 1);
  // The retry (after 0.5 s) replaces the table and clears the failure.
  await new Promise((resolve) => setTimeout(resolve, 700));
  await enforcer.idle();
  assert.deepEqual(enforcer.enforcementOf(id(1)), { ...enforcer.enforcementOf(id(1)), enforcedRevision: 3, failure: undefined });
  assert.match(host.transactions.get(id(1))?.at(-1) ?? '', /tcp dport 22 accept/);
  enforcer.stop();
});

test('an element transaction refused (sets edited by hand) falls back to replacing the table', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-web'), feed.group('sg-app'), feed.allow('sg-web', 80, 'sg-app'), feed.launch(1, 'h1', ['sg-web'])]);
  await enforcer.idle();
  host.calls.length = 0;
  host.results.push({ kind: 'rejected', message: 'Error: Could not process rule: No such file or directory' });
  go([feed.launch(2, 'h2', ['sg-app'])]);
  await enforcer.idle();
  assert.deepEqual(host.calls, [`nft ${id(1)} elements`, `nft ${id(1)} replace`]);
  assert.equal(enforcer.enforcementOf(id(1))?.failure, undefined);
});

test('terminated instances lose their namespace; a full pass replaces every table and checks every interface', async () => {
  const { feed, host, enforcer, go } = setUp();
  go([feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a']), feed.launch(2, 'h1', ['sg-a'])]);
  await enforcer.idle();
  host.calls.length = 0;
  go([feed.terminate(2)]);
  await enforcer.idle();
  assert.deepEqual(host.calls, [`remove ${id(2)}`]);
  assert.deepEqual([...host.namespaces], [id(1)]);
  host.calls.length = 0;
  enforcer.reconcileAll();
  await enforcer.idle();
  // The removed instance was forgotten: the pass does not look at it again.
  assert.deepEqual(host.calls, [`nft ${id(1)} replace`, `attach ${id(1)} 10.0.0.1/8`]);
});

test('nothing runs while paused', async () => {
  const { feed, host, enforcer, go } = setUp();
  enforcer.pause();
  go([feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a'])]);
  await enforcer.idle();
  assert.deepEqual(host.calls, []);
  enforcer.resume();
  await enforcer.idle();
  assert.equal(host.calls.length, 3);
});
