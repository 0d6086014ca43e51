import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { addHost, documentsOf, openHostFeedStream, type FeedLine, type FeedStream } from '../harness/feed-client.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// Issue 10: a host's feed (GET /feed/host) carries only what concerns its instances: a snapshot
// of its part of the state, then the records about it and the documents it newly needs. Another
// account's changes send it nothing but heartbeats.
describe('the host feed carries only what concerns the host', { timeout: 60_000 }, () => {
  let server: RunningStockade;
  let hostA: AccountCredentials & { hostName: string };
  let other: AccountCredentials;
  let ec2: EC2Client;
  let otherEc2: EC2Client;
  let web: string;
  let app: string;
  let local: string;
  let feed: FeedStream | undefined;

  const runOne = async (client: EC2Client, groupId: string) =>
    (await client.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [groupId] }))).Instances?.[0]?.InstanceId as string;

  before(async () => {
    server = await startStockade({ env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    ec2 = ec2Client(server);
    hostA = await addHost(server, `hf-a-${process.pid}`);
    web = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }))).GroupId as string;
    app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }))).GroupId as string;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupId: app }] }] }));
    // The only host: the instance is placed on host A.
    local = await runOne(ec2, web);
    // A second host, and another account whose instance goes there (the least loaded host).
    await addHost(server, `hf-b-${process.pid}`);
    other = await server.createAccount({ accountId: '444455556666', platform: 'vpc-only' });
    otherEc2 = ec2Client(server, other);
    const theirs = (await otherEc2.send(new CreateSecurityGroupCommand({ GroupName: 'theirs', Description: 'theirs' }))).GroupId as string;
    await runOne(otherEc2, theirs);
  });

  after(async () => {
    feed?.close();
    await server?.stop();
  });

  test('it opens with the host part of the state: its instance, VPC, group, rule; nothing of another account', async () => {
    feed = await openHostFeedStream(server, hostA);
    assert.equal(feed.status, 200);
    const lines = await feed.waitFor((l) => l.some((line) => 'heartbeat' in line));
    const first = lines[0] as { snapshot: number };
    assert.equal(typeof first.snapshot, 'number');
    assert.deepEqual(lines[lines.findIndex((l) => 'heartbeat' in l)], { heartbeat: first.snapshot });
    const documents = documentsOf(lines).map((d) => `${d.kind}:${String(d.body.instanceId ?? d.body.groupId ?? d.body.vpcId ?? '')}`);
    assert.ok(documents.includes(`instance:${local}`), documents.join(' '));
    assert.ok(documents.includes(`group:${web}`));
    assert.equal(documents.filter((d) => d.startsWith('rule:')).length, 2, 'web: the rule from app, and the default egress rule');
    assert.equal(documents.filter((d) => d.startsWith('vpc:')).length, 1);
    assert.equal(documents.filter((d) => d.startsWith('instance:')).length, 1, 'app has no member yet');
    assert.ok(!JSON.stringify(lines).includes('444455556666'), 'nothing of the other account');
    assert.ok(!JSON.stringify(lines).includes(hostA.secretAccessKey));
  });

  test('another account\'s changes send nothing but heartbeats; a rule of a local group comes as the record', async () => {
    const open = feed as FeedStream;
    const seen = open.lines.length;
    const theirs = (await otherEc2.send(new CreateSecurityGroupCommand({ GroupName: 'theirs-2', Description: 'theirs' }))).GroupId as string;
    await otherEc2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: theirs, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await otherEc2.send(new CreateTagsCommand({ Resources: [theirs], Tags: [{ Key: 'k', Value: 'v' }] }));
    // A change that does concern host A, after them: once it arrives, the others were filtered out.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }] }));
    const lines = await open.waitFor((l) => l.slice(seen).some((line) => 'change' in line));
    const since = lines.slice(seen).filter((l) => !('heartbeat' in l));
    assert.equal(since.length, 1, JSON.stringify(since));
    const record = since[0] as Extract<FeedLine, { change: unknown }> & { change: { kind: string; groupId: string } };
    assert.equal(record.change.kind, 'RulesAuthorized');
    assert.equal(record.change.groupId, web);
    // Heartbeats tell the host how far the log has gone, past the records it was not sent.
    await open.waitFor((l) => l.slice(seen).some((line) => 'heartbeat' in line && line.heartbeat >= record.revision));
  });

  test('a new member of a group the local rules name comes as its document, then a heartbeat at its revision', async () => {
    const open = feed as FeedStream;
    const seen = open.lines.length;
    const member = await runOne(ec2, app);
    const lines = await open.waitFor((l) => documentsOf(l.slice(seen)).some((d) => d.body.instanceId === member));
    assert.ok(!lines.slice(seen).some((l) => 'change' in l), 'the document stands for the record');
    // The line after the document brings it in force: a heartbeat at the launch's revision.
    const at = lines.findIndex((l) => 'kind' in l && l.body.instanceId === member);
    const next = (await open.waitFor((l) => l.length > at + 1))[at + 1];
    assert.ok(next !== undefined && 'heartbeat' in next && next.heartbeat > (lines[0] as { snapshot: number }).snapshot, JSON.stringify(next));
  });
});
