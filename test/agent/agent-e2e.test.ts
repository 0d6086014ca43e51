import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  type EC2Client,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { listNamespaces } from '../../src/agent/netns.js';
import { ProbeProcess } from '../dataplane/namespace-lab.js';
import type { ProbeOutcome } from '../dataplane/lab-probe.js';
import { removeAgentNamespaces, removeAgentNamespacesSync, startAgent, waitInForce, writeHostCredentials, type RunningAgent } from '../harness/agent-process.js';
import { ec2Client } from '../harness/clients.js';
import { addHost } from '../harness/feed-client.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

/**
 * Issue 5 end to end, with real traffic: a server, a separate `stockade agent` process enforcing
 * three instances in namespaces it builds, and every change made through the AWS SDK. Each step
 * waits until /propagation says the change is in force, then probes from inside the instances.
 */
describe('the host agent enforces security groups on real traffic', { timeout: 180_000 }, () => {
  const hostName = `e2e-${process.pid}`;
  const launched = new Set<string>();
  const probes = new Map<string, ProbeProcess>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  let workDir: string;
  let credentialsFile: string;
  let server: RunningStockade;
  let agent: RunningAgent;
  let ec2: EC2Client;
  // Instances: `web` serves; `client` and `other` connect. Groups: one each.
  const id: Record<'web' | 'client' | 'other', string> = { web: '', client: '', other: '' };
  const ip: Record<'web' | 'client' | 'other', string> = { web: '', client: '', other: '' };
  const group: Record<'web' | 'client' | 'other', string> = { web: '', client: '', other: '' };

  const probe = async (from: keyof typeof id, protocol: 'tcp' | 'udp', port: number): Promise<ProbeOutcome> => {
    const prober = probes.get(id[from]);
    assert.ok(prober !== undefined);
    return (await prober.request({ op: protocol, host: ip.web, port, timeoutMs: 400 })).outcome;
  };
  const ping = async (from: keyof typeof id): Promise<boolean> =>
    run('ip', ['netns', 'exec', id[from], 'ping', '-c', '1', '-W', '1', ip.web]).then(() => true, () => false);
  const inForce = () => waitInForce(server, Object.values(id));

  before(async () => {
    process.once('exit', exitHook);
    workDir = mkdtempSync(path.join(tmpdir(), 'stockade-agent-'));
    credentialsFile = path.join(workDir, 'host.json');
    server = await startStockade({ env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    writeHostCredentials(credentialsFile, await addHost(server, hostName));
    agent = startAgent({ serverUrl: server.url, hostName, credentialsFile, resyncSeconds: 1, metricsPort: 0 });
    ec2 = ec2Client(server);
    for (const name of ['web', 'client', 'other'] as const) {
      group[name] = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-${process.pid}`, Description: name }))).GroupId ?? '';
      const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [group[name]] }))).Instances?.[0];
      id[name] = instance?.InstanceId ?? '';
      ip[name] = instance?.PrivateIpAddress ?? '';
      launched.add(id[name]);
    }
    await inForce();
    for (const name of ['web', 'client', 'other'] as const) probes.set(id[name], await ProbeProcess.start(id[name]));
  });

  after(async () => {
    for (const prober of probes.values()) await prober.stop();
    await agent?.stop();
    await server?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
    rmSync(workDir, { recursive: true, force: true });
  });

  test('each instance is a namespace named after it, on its VPC bridge, with its private address', async () => {
    const namespaces = await listNamespaces();
    for (const instanceId of Object.values(id)) assert.ok(namespaces.includes(instanceId), instanceId);
    assert.ok(namespaces.includes(`stockade-${hostName}`));
    const shown = spawnSync('ip', ['-n', id.web, '-4', '-o', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' }).stdout;
    assert.match(shown, new RegExp(`inet ${ip.web.replaceAll('.', '\\.')}/16 `));
  });

  test('the agent serves its own metrics and health', async () => {
    const url = await agent.metricsUrl();
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^stockade_agent_instances\{state="enforced"\} 3$/m);
    assert.match(metrics, /^stockade_agent_connected 1$/m);
    assert.match(metrics, /^stockade_agent_total\{counter="namespacesCreated"\} 3$/m);
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    const body = (await health.json()) as { connected: boolean; enforced: number; pending: number; failing: number };
    assert.deepEqual([body.connected, body.enforced, body.pending, body.failing], [true, 3, 0, 0]);
  });

  test('nothing is admitted before a rule says so (default deny inbound)', async () => {
    assert.equal(await probe('client', 'tcp', 8080), 'timeout');
    assert.equal(await probe('client', 'udp', 5353), 'timeout');
    assert.equal(await ping('client'), false);
  });

  test('authorize → the connection succeeds, for that peer and port only', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `${ip.client}/32` }));
    await inForce();
    assert.equal(await probe('client', 'tcp', 8080), 'open');
    assert.equal(await probe('client', 'tcp', 9090), 'timeout');
    assert.equal(await probe('other', 'tcp', 8080), 'timeout');
  });

  test('revoke → new connections fail; an established connection survives (tracked, spec/semantics.md §10)', async () => {
    const held = probes.get(id.client);
    assert.ok(held !== undefined);
    assert.equal((await held.request({ op: 'hold', key: 'kept', host: ip.web, port: 8080, timeoutMs: 400 })).outcome, 'open');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `${ip.client}/32` }));
    await inForce();
    assert.equal(await probe('client', 'tcp', 8080), 'timeout');
    assert.equal((await held.request({ op: 'echo', key: 'kept', timeoutMs: 400 })).outcome, 'open');
    await held.request({ op: 'close', key: 'kept' });
  });

  test('revoking a 0.0.0.0/0 rule cuts an untracked connection at once (spec/semantics.md §10)', async () => {
    const held = probes.get(id.client);
    assert.ok(held !== undefined);
    // From the world, and the web group's default egress allows all traffic out: EC2 does not track it.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '0.0.0.0/0' }));
    await inForce();
    assert.equal((await held.request({ op: 'hold', key: 'untracked', host: ip.web, port: 8080, timeoutMs: 400 })).outcome, 'open');
    assert.equal((await held.request({ op: 'echo', key: 'untracked', timeoutMs: 400 })).outcome, 'open');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '0.0.0.0/0' }));
    await inForce();
    assert.equal((await held.request({ op: 'echo', key: 'untracked', timeoutMs: 400 })).outcome, 'timeout');
    await held.request({ op: 'close', key: 'untracked' });
  });

  test('group-peer rules follow membership: joining and leaving the source group', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: group.web,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 9090, ToPort: 9090, UserIdGroupPairs: [{ GroupId: group.client }] },
        { IpProtocol: 'udp', FromPort: 5353, ToPort: 5353, UserIdGroupPairs: [{ GroupId: group.client }] },
        { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, UserIdGroupPairs: [{ GroupId: group.client }] },
      ],
    }));
    await inForce();
    assert.equal(await probe('client', 'tcp', 9090), 'open');
    assert.equal(await probe('client', 'udp', 5353), 'open');
    assert.equal(await ping('client'), true);
    assert.equal(await probe('other', 'tcp', 9090), 'timeout');
    assert.equal(await ping('other'), false);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id.other, Groups: [group.other, group.client] }));
    await inForce();
    assert.equal(await probe('other', 'tcp', 9090), 'open');
    assert.equal(await ping('other'), true);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id.other, Groups: [group.other] }));
    await inForce();
    assert.equal(await probe('other', 'tcp', 9090), 'timeout');
  });

  test('egress rules restrict outbound traffic', async () => {
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: group.client, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await inForce();
    // Dropped on the output path: TCP keeps retrying its SYN (a timeout); UDP's send fails at once.
    assert.equal(await probe('client', 'tcp', 9090), 'timeout');
    assert.equal(await probe('client', 'udp', 5353), 'eperm');
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: group.client, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 9090, ToPort: 9090, IpRanges: [{ CidrIp: '172.31.0.0/16' }] }] }));
    await inForce();
    assert.equal(await probe('client', 'tcp', 9090), 'open');
    assert.equal(await probe('client', 'udp', 5353), 'eperm');
  });

  test('a change made while the agent is down is enforced when it starts again', async () => {
    await agent.stop();
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `${ip.other}/32` }));
    // Nobody enforces it yet, and the rulesets in place stay in place.
    assert.equal(await probe('other', 'tcp', 8080), 'timeout');
    assert.equal(await probe('client', 'tcp', 9090), 'open');
    agent = startAgent({ serverUrl: server.url, hostName, credentialsFile, resyncSeconds: 1 });
    await inForce();
    assert.equal(await probe('other', 'tcp', 8080), 'open');
  });

  test('the agent follows the server through a kill -9 and restart', async () => {
    await server.kill9();
    const { accountId, accessKeyId, secretAccessKey } = server.bootstrap;
    server = await startStockade({
      dataDir: server.dataDir,
      port: server.port,
      env: { STOCKADE_FEED_HEARTBEAT_MS: '200', STOCKADE_BOOTSTRAP_ACCOUNT_ID: accountId, STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: accessKeyId, STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: secretAccessKey },
    });
    ec2 = ec2Client(server);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.web, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `${ip.other}/32` }));
    await inForce();
    assert.equal(await probe('other', 'tcp', 8080), 'timeout');
  });

  test('a ruleset changed by hand is repaired on the next full pass', async () => {
    spawnSync('ip', ['netns', 'exec', id.web, 'nft', 'insert', 'rule', 'inet', 'stockade', 'input', 'accept']);
    assert.equal(await probe('other', 'tcp', 8080), 'open');
    const deadline = Date.now() + 10_000;
    while ((await probe('other', 'tcp', 8080)) === 'open') assert.ok(Date.now() < deadline, `not repaired: ${agent.log().slice(-2000)}`);
    assert.equal(await probe('client', 'tcp', 9090), 'open');
  });

  test('a terminated instance loses its namespace', async () => {
    const prober = probes.get(id.other);
    await prober?.stop();
    probes.delete(id.other);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id.other] }));
    const deadline = Date.now() + 10_000;
    while ((await listNamespaces()).includes(id.other)) {
      assert.ok(Date.now() < deadline, `namespace still there: ${agent.log().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
