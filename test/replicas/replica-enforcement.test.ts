import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { addHost } from '../harness/feed-client.js';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';
import { startReplicas, type ReplicaSet } from '../harness/replicas.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// Issue 10: what hosts report as enforced is kept in the store, so any replica answers
// /propagation from it at once, and a restarted server still knows it.

interface InstanceState {
  readonly instanceId: string;
  readonly desiredRevision: number;
  readonly enforcedRevision: number;
  readonly enforcementFailure: string | null;
  readonly inForce: boolean;
}

async function propagation(server: RunningStockade, query: Record<string, string>): Promise<unknown> {
  const response = await signedFetch(server, { method: 'GET', path: '/propagation', query });
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body);
}

async function report(server: RunningStockade, host: AccountCredentials, instances: Record<string, number>, failures: Record<string, string> = {}): Promise<void> {
  const body = JSON.stringify({ instances, failures });
  const response = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body, headers: { 'content-type': 'application/json' } }, { credentials: host });
  assert.equal(response.status, 200, response.body);
}

/** A group with two members placed on `host`, and a rule change after their launch. */
async function groupWithMembers(server: RunningStockade): Promise<{ groupId: string; instanceIds: string[] }> {
  const ec2 = ec2Client(server);
  const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `members-${Date.now()}`, Description: 'propagation' }));
  const launched = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2, SecurityGroupIds: [GroupId as string] }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }] }));
  return { groupId: GroupId as string, instanceIds: (launched.Instances ?? []).map((i) => i.InstanceId as string) };
}

describe('enforcement reports across replicas', () => {
  let postgres: ThrowawayPostgres;
  let set: ReplicaSet;
  before(async () => {
    postgres = await startPostgres();
    set = await startReplicas(postgres, 2);
  });
  after(async () => {
    await set.stop();
    await postgres.destroy();
  });

  test('a report sent to one replica is what the other answers, per instance and per group', async () => {
    const [a, b] = set.replicas as [RunningStockade, RunningStockade];
    const host = await addHost(a, `enf-${process.pid}`);
    const { groupId, instanceIds } = await groupWithMembers(a);
    const [first, second] = instanceIds as [string, string];
    const before = (await propagation(b, { group: groupId })) as { inForce: boolean; instances: InstanceState[] };
    assert.equal(before.inForce, false);
    assert.deepEqual(before.instances.map((i) => [i.instanceId, i.enforcedRevision]), [[first, 0], [second, 0]]);
    const desired = before.instances[0]?.desiredRevision ?? 0;
    await report(a, host, { [first]: desired, [second]: desired - 1 }, { [second]: 'nft: Could not process rule' });
    const onB = (await propagation(b, { group: groupId })) as { groupId: string; inForce: boolean; instances: InstanceState[] };
    assert.equal(onB.groupId, groupId);
    assert.equal(onB.inForce, false, 'one member is behind');
    assert.deepEqual(
      onB.instances.map((i) => [i.enforcedRevision, i.enforcementFailure, i.inForce]),
      [
        [desired, null, true],
        [desired - 1, 'nft: Could not process rule', false],
      ],
    );
    await report(b, host, { [second]: desired });
    assert.equal(((await propagation(a, { group: groupId })) as { inForce: boolean }).inForce, true);
    assert.equal(((await propagation(a, { instance: second })) as InstanceState).enforcedRevision, desired);
  });

  test('an unknown or malformed group is EC2’s error', async () => {
    const [a] = set.replicas as [RunningStockade];
    const missing = await signedFetch(a, { method: 'GET', path: '/propagation', query: { group: 'sg-0000ffff' } });
    assert.equal(missing.status, 400);
    assert.match(missing.body, /<Code>InvalidGroup\.NotFound<\/Code>/);
    const malformed = await signedFetch(a, { method: 'GET', path: '/propagation', query: { group: 'web' } });
    assert.match(malformed.body, /<Code>InvalidGroupId\.Malformed<\/Code>/);
  });
});

test('a restarted server still knows what hosts reported (SQLite)', async () => {
  const first = await startStockade();
  let second: RunningStockade | undefined;
  try {
    const host = await addHost(first, `restart-${process.pid}`);
    const { instanceIds } = await groupWithMembers(first);
    const instanceId = instanceIds[0] as string;
    const desired = ((await propagation(first, { instance: instanceId })) as InstanceState).desiredRevision;
    await report(first, host, { [instanceId]: desired });
    await first.kill9();
    second = await startStockade({ dataDir: first.dataDir, env: { STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: first.bootstrap.accessKeyId, STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: first.bootstrap.secretAccessKey } });
    const after = (await propagation(second, { instance: instanceId })) as InstanceState;
    assert.equal(after.enforcedRevision, desired);
    assert.equal(after.inForce, true);
  } finally {
    await second?.stop();
    await first.stop();
  }
});
