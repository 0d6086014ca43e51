import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { removeAgentNamespaces, removeAgentNamespacesSync, startAgent, waitInForce, writeHostCredentials, type RunningAgent } from '../harness/agent-process.js';
import { ec2Client } from '../harness/clients.js';
import { addHost, openFeedStream, type FeedLine } from '../harness/feed-client.js';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';
import { startReplicas, type ReplicaSet } from '../harness/replicas.js';
import type { AccountCredentials } from '../harness/stockade-process.js';

const run = promisify(execFile);

// The change feed across replicas (issue 12): every replica serves the same records in the same
// order, whichever replica wrote them, and a reader can move between replicas mid-stream with no
// gap and no repeat; a real `stockade agent --server A,B` survives the death of its replica.

const revisionsOf = (lines: readonly FeedLine[]): number[] => lines.flatMap((l) => ('revision' in l ? [l.revision] : []));

let postgres: ThrowawayPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres.destroy();
});

describe('one log, served by every replica', () => {
  let set: ReplicaSet;
  let host: AccountCredentials & { hostName: string };
  let clients: EC2Client[];
  before(async () => {
    set = await startReplicas(postgres, 3, { env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    host = await addHost(set.replicas[0]!, `feed-${process.pid}`);
    clients = set.replicas.map((r) => ec2Client(r));
  });
  after(async () => {
    await set.stop();
  });

  test('feeds on two replicas carry the same records in the same order, written through any replica', async () => {
    const [a, b, c] = set.replicas as [typeof set.replicas[0], typeof set.replicas[0], typeof set.replicas[0]];
    const onA = await openFeedStream(a, 0, host);
    const onB = await openFeedStream(b, 0, host);
    try {
      for (let i = 0; i < 12; i++) await clients[i % 3]!.send(new CreateSecurityGroupCommand({ GroupName: `fan-${i}`, Description: 'feed' }));
      // The head after those writes: a third replica's first heartbeat names the last revision
      // its catch-up sent.
      const onC = await openFeedStream(c, 0, host);
      const heartbeat = (await onC.waitFor((lines) => lines.some((l) => 'heartbeat' in l))).find((l) => 'heartbeat' in l);
      onC.close();
      const head = heartbeat !== undefined && 'heartbeat' in heartbeat ? heartbeat.heartbeat : 0;
      assert.ok(head >= 12);
      const full = (lines: readonly FeedLine[]) => revisionsOf(lines).at(-1) === head;
      await onA.waitFor(full);
      await onB.waitFor(full);
      const revisions = revisionsOf(onA.lines);
      assert.deepEqual(revisions, Array.from({ length: head }, (_, i) => i + 1), 'every revision once, in order');
      assert.deepEqual(revisionsOf(onB.lines), revisions);
      assert.deepEqual(JSON.stringify(onB.lines.filter((l) => 'revision' in l)), JSON.stringify(onA.lines.filter((l) => 'revision' in l)));
    } finally {
      onA.close();
      onB.close();
    }
  });

  test('a reader that moves to another replica mid-stream continues with no gap and no repeat', async () => {
    const [a, b] = set.replicas as [typeof set.replicas[0], typeof set.replicas[0]];
    const seen: number[] = [];
    const first = await openFeedStream(a, 0, host);
    const start = revisionsOf(await first.waitFor((lines) => lines.some((l) => 'heartbeat' in l))).at(-1) ?? 0;
    // Writes keep coming through both replicas while the reader switches.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) await clients[i % 2]!.send(new CreateSecurityGroupCommand({ GroupName: `move-${i}`, Description: 'feed' }));
    })();
    await first.waitFor((lines) => (revisionsOf(lines).at(-1) ?? 0) >= start + 5);
    first.close();
    seen.push(...revisionsOf(first.lines));
    const second = await openFeedStream(b, seen.at(-1) ?? 0, host);
    await second.waitFor((lines) => revisionsOf(lines).length >= 10);
    writing = false;
    await writer;
    second.close();
    seen.push(...revisionsOf(second.lines));
    assert.deepEqual(seen, Array.from({ length: seen.length }, (_, i) => i + 1));
  });
});

describe('a real agent following two replicas', { timeout: 120_000 }, () => {
  const hostName = `rep-${process.pid}`;
  const launched = new Set<string>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  let set: ReplicaSet;
  let agent: RunningAgent;
  let workDir: string;
  before(async () => {
    process.once('exit', exitHook);
    workDir = mkdtempSync(path.join(tmpdir(), 'stockade-replica-agent-'));
    set = await startReplicas(postgres, 2, { env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    const credentialsFile = path.join(workDir, 'host.json');
    writeHostCredentials(credentialsFile, await addHost(set.replicas[0]!, hostName));
    agent = startAgent({ serverUrl: set.replicas.map((r) => r.url).join(','), hostName, credentialsFile, resyncSeconds: 0 });
  });
  after(async () => {
    await agent?.stop();
    await set?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
    rmSync(workDir, { recursive: true, force: true });
  });

  test('when its replica is killed, the agent resumes from another one and enforces what was written there', async () => {
    const [a, b] = set.replicas as [typeof set.replicas[0], typeof set.replicas[0]];
    const ec2a = ec2Client(a);
    const { GroupId } = await ec2a.send(new CreateSecurityGroupCommand({ GroupName: 'follow', Description: 'agent' }));
    const instanceId = (await ec2a.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [GroupId as string] }))).Instances?.[0]?.InstanceId as string;
    launched.add(instanceId);
    await waitInForce(a, [instanceId]);
    await a.kill9();
    await ec2Client(b).send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 4321, ToPort: 4321, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }] }));
    // B learns the agent's enforced revisions when it reconnects there and reports everything.
    await waitInForce(b, [instanceId], 20_000);
    const { stdout } = await run('ip', ['netns', 'exec', instanceId, 'nft', 'list', 'ruleset']);
    assert.match(stdout, /dport 4321/);
    assert.equal((agent.log().match(/host feed connected/g) ?? []).length >= 2, true, agent.log());
    assert.doesNotMatch(agent.log(), /starting again from revision 0|skipped/);
  });
});
