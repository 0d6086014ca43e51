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
import { addHost } from '../harness/feed-client.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

// Issue 10: with the change log compacted (`--retain-changes`), a reader of an old revision gets
// 410 RevisionCompacted, never a silent gap; GET /feed/snapshot gives the whole state at one
// revision; a real agent, whose host feed opens with its own part of the state, never needs the
// compacted records: it enforces what exists and follows from there.
describe('an agent starts from a snapshot of a compacted log', { timeout: 120_000 }, () => {
  const hostName = `snap-${process.pid}`;
  const launched = new Set<string>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  let workDir: string;
  let server: RunningStockade;
  let host: AccountCredentials & { hostName: string };
  let agent: RunningAgent | undefined;
  let ec2: EC2Client;
  let groupId: string;
  let instanceId: string;

  before(async () => {
    process.once('exit', exitHook);
    workDir = mkdtempSync(path.join(tmpdir(), 'stockade-snapshot-'));
    server = await startStockade({ args: ['--retain-changes', '3'], env: { STOCKADE_COMPACTION_INTERVAL_MS: '50', STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    host = await addHost(server, hostName);
    ec2 = ec2Client(server);
    groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'snapshot', Description: 'snapshot' }))).GroupId as string;
    instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [groupId] }))).Instances?.[0]?.InstanceId as string;
    launched.add(instanceId);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7001, ToPort: 7001, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }] }));
    // Enough later history that the records above are compacted away.
    for (let i = 0; i < 10; i++) await ec2.send(new CreateSecurityGroupCommand({ GroupName: `later-${i}`, Description: 'history' }));
  });

  after(async () => {
    await agent?.stop();
    await server?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
    rmSync(workDir, { recursive: true, force: true });
  });

  test('a reader of a compacted revision gets 410 RevisionCompacted on /feed and /changes', async () => {
    let feed = await signedFetch(server, { method: 'GET', path: '/feed', query: { since: '0' } }, { credentials: host });
    for (const deadline = Date.now() + 5000; feed.status !== 410 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 50));
      feed = await signedFetch(server, { method: 'GET', path: '/feed', query: { since: '0' } }, { credentials: host });
    }
    assert.equal(feed.status, 410, feed.body.slice(0, 300));
    assert.match(feed.body, /<Code>RevisionCompacted<\/Code><Message>The change log no longer holds the records after revision 0: it starts at revision \d+\. Read a snapshot \(GET \/feed\/snapshot\) and follow from its revision\.<\/Message>/);
    const changes = await signedFetch(server, { method: 'GET', path: '/changes', query: { since: '1' } });
    assert.equal(changes.status, 410);
  });

  test('the snapshot holds the current state at one revision, without secrets', async () => {
    const snapshot = await signedFetch(server, { method: 'GET', path: '/feed/snapshot' }, { credentials: host });
    assert.equal(snapshot.status, 200);
    const [head, ...lines] = snapshot.body.trim().split('\n').map((l) => JSON.parse(l) as { revision?: number; kind?: string; body?: { groupId?: string; instanceId?: string } });
    assert.ok((head?.revision ?? 0) > 10);
    assert.ok(lines.some((l) => l.kind === 'group' && l.body?.groupId === groupId));
    assert.ok(lines.some((l) => l.kind === 'instance' && l.body?.instanceId === instanceId));
    assert.ok(!lines.some((l) => l.kind === 'accessKey'), 'access keys never leave the store');
    assert.ok(!snapshot.body.includes(host.secretAccessKey));
  });

  test('a real agent starts from the snapshot, enforces the rule, and follows from there', async () => {
    const credentialsFile = path.join(workDir, 'host.json');
    writeHostCredentials(credentialsFile, host);
    agent = startAgent({ serverUrl: server.url, hostName, credentialsFile, resyncSeconds: 0 });
    await waitInForce(server, [instanceId], 20_000);
    assert.match((await run('ip', ['netns', 'exec', instanceId, 'nft', 'list', 'ruleset'])).stdout, /dport 7001/);
    assert.match(agent.log(), /started from the host snapshot/);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 7002, ToPort: 7002, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }] }));
    await waitInForce(server, [instanceId], 20_000);
    assert.match((await run('ip', ['netns', 'exec', instanceId, 'nft', 'list', 'ruleset'])).stdout, /dport 7002/);
    assert.doesNotMatch(agent.log(), /starting again|compacted its log past/);
  });
});
