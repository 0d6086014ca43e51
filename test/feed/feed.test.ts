import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { addHost, openFeedStream, revisionsOf } from '../harness/feed-client.js';
import { currentRevision, signedFetch } from '../harness/signed-fetch.js';
import { REPO_ROOT, startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

/** The `<Code>` of an EC2 error envelope. */
function codeOf(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

async function hostsList(server: RunningStockade): Promise<{ hostName: string; instanceCount: number }[]> {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'hosts', 'list', '--json', '--data-dir', server.dataDir]);
  return JSON.parse(stdout) as { hostName: string; instanceCount: number }[];
}

async function feedHealth(server: RunningStockade): Promise<{ revision: number; feedSubscribers: number; feedVictims: number }> {
  return (await (await fetch(`${server.url}/health`)).json()) as { revision: number; feedSubscribers: number; feedVictims: number };
}

async function propagation(server: RunningStockade, instanceId: string, credentials?: AccountCredentials) {
  return signedFetch(server, { method: 'GET', path: '/propagation', query: { instance: instanceId } }, credentials === undefined ? {} : { credentials });
}

// Every suite is bounded: a feed that never ends must fail the test, not hang the run.
describe('issue 5: hosts, the feed, enforcement reports', { timeout: 60_000 }, () => {
  let server: RunningStockade;
  let hostA: AccountCredentials & { hostName: string };
  let hostB: AccountCredentials & { hostName: string };
  before(async () => {
    server = await startStockade({ env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    // Registered while the server runs: it must pick the keys up from the change log.
    hostB = await addHost(server, 'host-b');
    hostA = await addHost(server, 'host-a');
  });
  after(() => server.stop());

  test('hosts add registers a host whose key opens /feed with the log so far', async () => {
    assert.deepEqual((await hostsList(server)).map((h) => h.hostName), ['host-a', 'host-b']);
    const feed = await openFeedStream(server, 0, hostA);
    try {
      assert.equal(feed.status, 200);
      assert.equal(feed.contentType, 'application/x-ndjson');
      const lines = await feed.waitFor((ls) => ls.some((l) => 'change' in l && l.change.kind === 'HostRegistered'));
      const revisions = revisionsOf(lines);
      assert.deepEqual(revisions, revisions.map((_, i) => i + 1), 'every revision from 1, in order');
      // Secrets never leave the store, host keys included.
      assert.ok(!JSON.stringify(lines).includes(hostA.secretAccessKey));
      // The heartbeat carries the last revision sent.
      const withBeat = await feed.waitFor((ls) => ls.some((l) => 'heartbeat' in l));
      const at = withBeat.findIndex((l) => 'heartbeat' in l);
      const sentBefore = revisionsOf(withBeat.slice(0, at));
      assert.deepEqual(withBeat[at], { heartbeat: sentBefore[sentBefore.length - 1] });
    } finally {
      feed.close();
    }
  });

  test('account keys are refused on /feed, host keys on EC2 actions and /propagation', async () => {
    const byAccount = await signedFetch(server, { method: 'GET', path: '/feed', query: { since: '0' } });
    assert.deepEqual([byAccount.status, codeOf(byAccount.body)], [403, 'UnauthorizedOperation']);
    const report = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body: '{"instances":{}}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([report.status, codeOf(report.body)], [403, 'UnauthorizedOperation']);
    const ec2 = await ec2Error(ec2Client(server, hostA).send(new DescribeSecurityGroupsCommand({})));
    assert.deepEqual([ec2.code, ec2.status], ['UnauthorizedOperation', 403]);
    const explain = await propagation(server, 'i-0123456789abcdef0', hostA);
    assert.deepEqual([explain.status, codeOf(explain.body)], [403, 'UnauthorizedOperation']);
    const forged = await openFeedStream(server, 0, { ...hostA, secretAccessKey: 'wrong' });
    await forged.ended;
    assert.deepEqual([forged.status, codeOf(forged.text())], [403, 'SignatureDoesNotMatch']);
  });

  test('RunInstances places instances on the least loaded host, ties by name', async () => {
    const ec2 = ec2Client(server);
    const four = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 4, MaxCount: 4 }));
    const ids = (four.Instances ?? []).map((i) => i.InstanceId ?? '');
    const hosts: string[] = [];
    for (const id of ids) hosts.push((JSON.parse((await propagation(server, id)).body) as { hostName: string }).hostName);
    assert.deepEqual(hosts, ['host-a', 'host-b', 'host-a', 'host-b']);
    const one = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }));
    const fifth = JSON.parse((await propagation(server, one.Instances?.[0]?.InstanceId ?? '')).body) as { hostName: string };
    assert.equal(fifth.hostName, 'host-a');
    assert.deepEqual((await hostsList(server)).map((h) => [h.hostName, h.instanceCount]), [['host-a', 3], ['host-b', 2]]);
  });

  test('the feed streams a record committed after it opened', async () => {
    const feed = await openFeedStream(server, await currentRevision(server), hostB);
    try {
      const ec2 = ec2Client(server);
      const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'streamed', Description: 's' }))).GroupId ?? '';
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '10.0.0.0/8' }));
      await feed.waitFor((ls) => ls.some((l) => 'change' in l && l.change.kind === 'RulesAuthorized'), 3000);
    } finally {
      feed.close();
    }
  });

  test('resuming from the last revision seen yields exactly the missed records', async () => {
    const ec2 = ec2Client(server);
    const start = await currentRevision(server);
    const first = await openFeedStream(server, start, hostA);
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'resume-1', Description: 'r' }));
    const seen = revisionsOf(await first.waitFor((ls) => revisionsOf(ls).length > 0));
    first.close();
    await first.ended;
    const last = seen[seen.length - 1] ?? start;
    for (const name of ['resume-2', 'resume-3', 'resume-4']) await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: 'r' }));
    const now = await currentRevision(server);
    const second = await openFeedStream(server, last, hostA);
    try {
      const lines = await second.waitFor((ls) => revisionsOf(ls).includes(now));
      const expected = Array.from({ length: now - last }, (_, i) => last + 1 + i);
      assert.deepEqual(revisionsOf(lines), expected);
    } finally {
      second.close();
    }
  });

  test('an enforcement report shows in /propagation until a new rule raises the desired revision', async () => {
    const ec2 = ec2Client(server);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'enforced', Description: 'e' }))).GroupId ?? '';
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [groupId] }));
    const instanceId = launched.Instances?.[0]?.InstanceId ?? '';
    const placed = JSON.parse((await propagation(server, instanceId)).body) as { hostName: string; desiredRevision: number; enforcedRevision: number };
    assert.equal(placed.enforcedRevision, 0);
    const host = placed.hostName === 'host-a' ? hostA : hostB;
    const other = placed.hostName === 'host-a' ? hostB : hostA;
    const body = JSON.stringify({ instances: { [instanceId]: placed.desiredRevision } });
    const report = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body, headers: { 'content-type': 'application/json' } }, { credentials: host });
    assert.equal(report.status, 200, report.body);
    assert.deepEqual(JSON.parse(report.body), { recorded: [instanceId], ignored: [] });
    // A host cannot report for another host's instance.
    const foreign = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body: JSON.stringify({ instances: { [instanceId]: 1 } }), headers: { 'content-type': 'application/json' } }, { credentials: other });
    assert.deepEqual(JSON.parse(foreign.body), { recorded: [], ignored: [instanceId] });
    const inForce = JSON.parse((await propagation(server, instanceId)).body) as { desiredRevision: number; enforcedRevision: number };
    assert.deepEqual(inForce, { instanceId, hostName: placed.hostName, desiredRevision: placed.desiredRevision, enforcedRevision: placed.desiredRevision, enforcementFailure: null, inForce: true });
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }));
    const pending = JSON.parse((await propagation(server, instanceId)).body) as { desiredRevision: number; enforcedRevision: number };
    assert.equal(pending.enforcedRevision, placed.desiredRevision);
    assert.ok(pending.desiredRevision > pending.enforcedRevision, JSON.stringify(pending));
    const bad = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body: JSON.stringify({ instances: { [instanceId]: 1e9 } }), headers: { 'content-type': 'application/json' } }, { credentials: host });
    assert.deepEqual([bad.status, codeOf(bad.body)], [400, 'InvalidParameterValue']);
    // A failed apply is reported with the revision kept; it shows until a report without one.
    const failed = JSON.stringify({ instances: { [instanceId]: placed.desiredRevision }, failures: { [instanceId]: 'nft rejected: Error: x' } });
    assert.equal((await signedFetch(server, { method: 'POST', path: '/feed/enforced', body: failed, headers: { 'content-type': 'application/json' } }, { credentials: host })).status, 200);
    const failing = JSON.parse((await propagation(server, instanceId)).body) as { enforcementFailure: string | null };
    assert.equal(failing.enforcementFailure, 'nft rejected: Error: x');
    const orphan = JSON.stringify({ instances: {}, failures: { [instanceId]: 'no revision' } });
    const refused = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body: orphan, headers: { 'content-type': 'application/json' } }, { credentials: host });
    assert.deepEqual([refused.status, codeOf(refused.body)], [400, 'InvalidParameterValue']);
    await signedFetch(server, { method: 'POST', path: '/feed/enforced', body, headers: { 'content-type': 'application/json' } }, { credentials: host });
    assert.equal((JSON.parse((await propagation(server, instanceId)).body) as { enforcementFailure: string | null }).enforcementFailure, null);
  });

  test('curl --aws-sigv4 reads /propagation, as the README shows', async () => {
    const ec2 = ec2Client(server);
    const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId ?? '';
    const { accessKeyId, secretAccessKey } = server.bootstrap;
    const { stdout } = await run('curl', ['-sS', '--aws-sigv4', 'aws:amz:us-east-1:ec2', '--user', `${accessKeyId}:${secretAccessKey}`, `${server.url}/propagation?instance=${instanceId}`]);
    const answer = JSON.parse(stdout) as { instanceId: string; desiredRevision: number; enforcedRevision: number };
    assert.equal(answer.instanceId, instanceId);
    assert.ok(answer.desiredRevision > 0 && answer.enforcedRevision === 0, stdout);
  });

  test('hosts add refuses a bad or taken name; hosts remove revokes the key; accounts list omits host keys', async () => {
    const bin = path.join(REPO_ROOT, 'bin', 'stockade');
    for (const name of ['Bad_Name', 'host-a']) {
      const refused = await run(process.execPath, [bin, 'hosts', 'add', '--name', name, '--data-dir', server.dataDir]).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      assert.equal(refused?.code, 2, name);
      assert.match(refused?.stderr ?? '', /^stockade: (invalid host name|host host-a exists)/, name);
    }
    const { stdout } = await run(process.execPath, [bin, 'accounts', 'list', '--json', '--data-dir', server.dataDir]);
    const listed = JSON.stringify(JSON.parse(stdout));
    assert.ok(!listed.includes(hostA.accessKeyId), listed);
    const doomed = await addHost(server, 'host-z');
    const open = await openFeedStream(server, await currentRevision(server), doomed);
    assert.equal(open.status, 200);
    await run(process.execPath, [bin, 'hosts', 'remove', '--name', 'host-z', '--data-dir', server.dataDir]);
    // The server learns of the removal from the log at its next write; the open feed then ends.
    await ec2Client(server).send(new CreateSecurityGroupCommand({ GroupName: 'after-removal', Description: 'r' }));
    const told = await open.waitFor((ls) => ls.some((l) => 'change' in l && l.change.kind === 'HostRemoved'));
    assert.equal(await open.ended, 'end');
    assert.ok(told.length > 0);
    const after = await openFeedStream(server, 0, doomed);
    await after.ended;
    assert.deepEqual([after.status, codeOf(after.text())], [401, 'AuthFailure']);
    assert.deepEqual((await hostsList(server)).map((h) => h.hostName), ['host-a', 'host-b']);
  });
});

describe('issue 5: a stalled feed never blocks writers', { timeout: 60_000 }, () => {
  let server: RunningStockade;
  before(async () => {
    server = await startStockade({ env: { STOCKADE_FEED_BUFFER_BYTES: '65536', STOCKADE_FEED_HEARTBEAT_MS: '100000' } });
  });
  after(() => server.stop());

  test('a reader that never reads is ended while writes keep answering', async () => {
    const host = await addHost(server, 'slow');
    const stalled = await openFeedStream(server, await currentRevision(server), host, { paused: true });
    const healthy = await openFeedStream(server, await currentRevision(server), host);
    const ec2 = ec2Client(server);
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'flood', Description: 'f' }))).GroupId ?? '';
    // 50 tags of ~500 bytes: every CreateTags record is ~25 KB, far past socket buffers in total.
    const value = 'v'.repeat(250);
    let victims = 0;
    let writes = 0;
    for (; writes < 2000 && victims === 0; writes++) {
      const response = await signedFetch(server, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Action: 'CreateTags',
          Version: '2016-11-15',
          'ResourceId.1': groupId,
          ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [[`Tag.${i + 1}.Key`, `k${i}-${'x'.repeat(120)}`], [`Tag.${i + 1}.Value`, `${writes}${value}`]]).flat()),
        }).toString(),
      });
      assert.equal(response.status, 200, response.body);
      if (writes % 10 === 0) victims = (await feedHealth(server)).feedVictims;
    }
    assert.equal(victims, 1, 'the stalled stream was ended before the writes ran out');
    // Resuming lets the client notice the end the server already made.
    stalled.resume();
    assert.equal(await stalled.ended, 'cut');
    const health = await feedHealth(server);
    assert.equal(health.feedSubscribers, 1, 'only the healthy feed is still open');
    const caughtUp = await healthy.waitFor((ls) => revisionsOf(ls).includes(health.revision), 10000);
    assert.ok(caughtUp.length > 0);
    healthy.close();
    const tail = revisionsOf(stalled.lines);
    assert.ok(tail.length === 0 || (tail[tail.length - 1] ?? 0) < health.revision, 'the stalled stream stopped short');
  });
});

describe('issue 5: shutdown with an open feed', { timeout: 60_000 }, () => {
  test('SIGTERM ends open feeds and exits 0', async () => {
    const server = await startStockade();
    const host = await addHost(server, 'closing');
    const feed = await openFeedStream(server, 0, host);
    await feed.waitFor((ls) => revisionsOf(ls).length > 0);
    const exit = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    // Bounds a hang only; a feed left open would be cut after the server's 2 s grace, not ended.
    const code = await Promise.race([exit, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
    if (code === 'hung') await server.kill9();
    await server.stop();
    assert.equal(code, 0);
    assert.equal(await feed.ended, 'end', 'the feed was ended cleanly, not cut');
  });
});
