import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, RunInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ProbeProcess } from '../dataplane/namespace-lab.js';
import { propagationOf, removeAgentNamespaces, removeAgentNamespacesSync, startAgent, waitInForce, writeHostCredentials, type RunningAgent } from '../harness/agent-process.js';
import { ec2Client } from '../harness/clients.js';
import { addHost } from '../harness/feed-client.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';

/**
 * Fail-closed (issue 5): when nft refuses to apply, the agent keeps the last good ruleset (it
 * never opens what it was not told to), reports the failure, and retries until it succeeds. The
 * agent runs with an `nft` first on its PATH that refuses every transaction while a flag file
 * exists and otherwise runs the real one.
 */
describe('an agent that cannot apply keeps the last good ruleset and says so', { timeout: 120_000 }, () => {
  const hostName = `failclosed-${process.pid}`;
  const launched = new Set<string>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  let workDir: string;
  let flag: string;
  let server: RunningStockade;
  let agent: RunningAgent;
  let ec2: EC2Client;
  let probe: ProbeProcess | undefined;
  let webProbe: ProbeProcess | undefined;
  let web = { id: '', ip: '', group: '' };
  let client = { id: '', ip: '', group: '' };

  before(async () => {
    process.once('exit', exitHook);
    workDir = mkdtempSync(path.join(tmpdir(), 'stockade-failclosed-'));
    flag = path.join(workDir, 'refuse');
    const bin = path.join(workDir, 'bin');
    mkdirSync(bin);
    // `nft -f -` is how the agent applies; `nft --version` (the start-up check) passes through.
    writeFileSync(path.join(bin, 'nft'), `#!/bin/sh\nif [ -e '${flag}' ] && [ "$1" = "-f" ]; then cat >/dev/null; echo "Error: refused for the test" >&2; exit 1; fi\nexec /usr/sbin/nft "$@"\n`);
    chmodSync(path.join(bin, 'nft'), 0o755);
    server = await startStockade();
    const credentialsFile = path.join(workDir, 'host.json');
    writeHostCredentials(credentialsFile, await addHost(server, hostName));
    agent = startAgent({ serverUrl: server.url, hostName, credentialsFile, resyncSeconds: 0, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    ec2 = ec2Client(server);
    const launch = async (name: string) => {
      const group = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-${process.pid}`, Description: name }))).GroupId ?? '';
      const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [group] }))).Instances?.[0];
      launched.add(instance?.InstanceId ?? '');
      return { id: instance?.InstanceId ?? '', ip: instance?.PrivateIpAddress ?? '', group };
    };
    web = await launch('web');
    client = await launch('client');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web.group, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: `${client.ip}/32` }));
    await waitInForce(server, [web.id, client.id]);
    probe = await ProbeProcess.start(client.id);
    webProbe = await ProbeProcess.start(web.id);
  });

  after(async () => {
    await probe?.stop();
    await webProbe?.stop();
    await agent?.stop();
    await server?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
    rmSync(workDir, { recursive: true, force: true });
  });

  test('a refused change leaves the old rules in force, is reported, and is applied once nft accepts again', async () => {
    const connect = async (port: number) => (await probe?.request({ op: 'tcp', host: web.ip, port, timeoutMs: 400 }))?.outcome;
    assert.equal(await connect(8080), 'open');
    writeFileSync(flag, '');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web.group, IpProtocol: 'tcp', FromPort: 9090, ToPort: 9090, CidrIp: `${client.ip}/32` }));
    let state = await propagationOf(server, web.id);
    const deadline = Date.now() + 10_000;
    while (state.enforcementFailure === null) {
      assert.ok(Date.now() < deadline, `no failure reported: ${agent.log().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = await propagationOf(server, web.id);
    }
    assert.match(state.enforcementFailure, /refused for the test/);
    assert.ok(state.enforcedRevision < state.desiredRevision, JSON.stringify(state));
    // The last good ruleset stays: what was open stays open, the new port stays closed.
    assert.equal(await connect(8080), 'open');
    assert.equal(await connect(9090), 'timeout');
    rmSync(flag);
    await waitInForce(server, [web.id], 20_000);
    assert.equal((await propagationOf(server, web.id)).enforcementFailure, null);
    assert.equal(await connect(9090), 'open');
  });
});
