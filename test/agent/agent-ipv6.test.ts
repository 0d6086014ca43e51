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
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ProbeProcess } from '../dataplane/namespace-lab.js';
import type { ProbeOutcome } from '../dataplane/lab-probe.js';
import { removeAgentNamespaces, removeAgentNamespacesSync, startAgent, waitInForce, writeHostCredentials, type RunningAgent } from '../harness/agent-process.js';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { addHost } from '../harness/feed-client.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

/**
 * Issue 10, IPv6 for real: instances of an IPv6 VPC get an IPv6 address each (RunInstances
 * `Ipv6AddressCount`), the agent puts it on their interface, and rules admit and refuse IPv6
 * traffic in the kernel: ICMPv6 echo (ping -6) by an `icmpv6` rule, TCP by a rule naming the
 * client's group, which stands for its members' addresses of both families.
 */
describe('IPv6 traffic between instances, enforced by a real agent', { timeout: 180_000 }, () => {
  const hostName = `v6-${process.pid}`;
  const launched = new Set<string>();
  const probes = new Map<string, ProbeProcess>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  let workDir: string;
  let server: RunningStockade;
  let agent: RunningAgent;
  let ec2: EC2Client;
  const id = { web: '', client: '' };
  const ipv6 = { web: '', client: '' };
  const ipv4 = { web: '', client: '' };
  const group = { web: '', client: '' };

  const probe = async (host: string, port: number): Promise<ProbeOutcome> => {
    const prober = probes.get(id.client);
    assert.ok(prober !== undefined);
    return (await prober.request({ op: 'tcp', host, port, timeoutMs: 400 })).outcome;
  };
  const ping6 = async (): Promise<boolean> => run('ip', ['netns', 'exec', id.client, 'ping', '-6', '-c', '1', '-W', '1', ipv6.web]).then(() => true, () => false);
  const inForce = () => waitInForce(server, Object.values(id));

  before(async () => {
    process.once('exit', exitHook);
    workDir = mkdtempSync(path.join(tmpdir(), 'stockade-agent-v6-'));
    const credentialsFile = path.join(workDir, 'host.json');
    server = await startStockade({ env: { STOCKADE_FEED_HEARTBEAT_MS: '200' } });
    writeHostCredentials(credentialsFile, await addHost(server, hostName));
    agent = startAgent({ serverUrl: server.url, hostName, credentialsFile, resyncSeconds: 0 });
    ec2 = ec2Client(server);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc;
    const block = vpc?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock ?? '';
    // The /56's first /64 has the same prefix.
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc?.VpcId, CidrBlock: '10.60.1.0/24', Ipv6CidrBlock: block.replace('/56', '/64') }))).Subnet;
    for (const name of ['web', 'client'] as const) {
      group[name] = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-${process.pid}`, Description: name, VpcId: vpc?.VpcId }))).GroupId ?? '';
      // All IPv6 traffic out (the VPC's groups were made with IPv4's default egress rule; EC2 adds ::/0 only to the default group).
      await ec2
        .send(new AuthorizeSecurityGroupEgressCommand({ GroupId: group[name], IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }))
        .catch(async (error: unknown) => assert.equal((await ec2Error(Promise.reject(error))).code, 'InvalidPermission.Duplicate'));
      const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnet?.SubnetId, SecurityGroupIds: [group[name]], Ipv6AddressCount: 1 }))).Instances?.[0];
      id[name] = instance?.InstanceId ?? '';
      ipv4[name] = instance?.PrivateIpAddress ?? '';
      ipv6[name] = instance?.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0]?.Ipv6Address ?? '';
      launched.add(id[name]);
    }
    await inForce();
    for (const name of ['web', 'client'] as const) probes.set(id[name], await ProbeProcess.start(id[name]));
  });

  after(async () => {
    for (const prober of probes.values()) await prober.stop();
    await agent?.stop();
    await server?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
    rmSync(workDir, { recursive: true, force: true });
  });

  test('each instance holds its IPv6 address on eth0, in the VPC /56', () => {
    for (const name of ['web', 'client'] as const) {
      assert.match(ipv6[name], /^2600:1f/);
      const shown = spawnSync('ip', ['-n', id[name], '-6', '-o', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' }).stdout;
      assert.ok(shown.includes(`inet6 ${ipv6[name]}/56 `), shown);
    }
  });

  test('ping -6 is refused until an icmpv6 rule admits it, and refused again once revoked', async () => {
    assert.equal(await ping6(), false);
    const permission = { IpProtocol: 'icmpv6', FromPort: -1, ToPort: -1, Ipv6Ranges: [{ CidrIpv6: '::/0' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpPermissions: [permission] }));
    await inForce();
    assert.equal(await ping6(), true);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.web, IpPermissions: [permission] }));
    await inForce();
    assert.equal(await ping6(), false);
  });

  test('a rule naming the client group admits its member over IPv6 and IPv4, on that port only', async () => {
    assert.equal(await probe(ipv6.web, 8080), 'timeout');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: group.client }] }] }));
    await inForce();
    assert.equal(await probe(ipv6.web, 8080), 'open');
    assert.equal(await probe(ipv4.web, 8080), 'open');
    assert.equal(await probe(ipv6.web, 9090), 'timeout');
  });

  test('an IPv6 CIDR rule admits the client /128 and nothing once revoked', async () => {
    const permission = { IpProtocol: 'tcp', FromPort: 9090, ToPort: 9090, Ipv6Ranges: [{ CidrIpv6: `${ipv6.client}/128` }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group.web, IpPermissions: [permission] }));
    await inForce();
    assert.equal(await probe(ipv6.web, 9090), 'open');
    assert.equal(await probe(ipv4.web, 9090), 'timeout', 'an IPv6 rule admits no IPv4 traffic');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.web, IpPermissions: [permission] }));
    await inForce();
    assert.equal(await probe(ipv6.web, 9090), 'timeout');
  });
});
