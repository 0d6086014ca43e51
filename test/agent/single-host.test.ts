import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { ProbeProcess } from '../dataplane/namespace-lab.js';
import { removeAgentNamespaces, removeAgentNamespacesSync, waitInForce } from '../harness/agent-process.js';
import { ec2Client } from '../harness/clients.js';
import { REPO_ROOT, startStockade, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

/** `stockade serve --agent` (issue 5's single-host mode): the control plane and an agent in one process. */
describe('single-host mode', { timeout: 120_000 }, () => {
  const hostName = `single-${process.pid}`;
  const launched = new Set<string>();
  const exitHook = () => removeAgentNamespacesSync(hostName, launched);
  const args = ['--agent', '--agent-host', hostName, '--resync-interval', '0'];
  let server: RunningStockade;
  let dataDir: string;
  const probes: ProbeProcess[] = [];

  before(async () => {
    process.once('exit', exitHook);
    server = await startStockade({ args });
    dataDir = server.dataDir;
  });

  after(async () => {
    for (const probe of probes) await probe.stop();
    await server?.stop();
    await removeAgentNamespaces(hostName, launched);
    process.off('exit', exitHook);
  });

  test('registers this machine as a host once, enforces, and counts nft transactions in /metrics', async () => {
    const ec2 = ec2Client(server);
    const group = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'single', Description: 's' }))).GroupId ?? '';
    const instances = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2, SecurityGroupIds: [group] }))).Instances ?? [];
    const [a, b] = instances.map((i) => ({ id: i.InstanceId ?? '', ip: i.PrivateIpAddress ?? '' }));
    assert.ok(a !== undefined && b !== undefined);
    for (const i of [a, b]) launched.add(i.id);
    await waitInForce(server, [a.id, b.id]);
    const probe = await ProbeProcess.start(b.id);
    probes.push(probe, await ProbeProcess.start(a.id));
    assert.equal((await probe.request({ op: 'tcp', host: a.ip, port: 8080, timeoutMs: 400 })).outcome, 'timeout');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: group }] }] }));
    await waitInForce(server, [a.id, b.id]);
    assert.equal((await probe.request({ op: 'tcp', host: a.ip, port: 8080, timeoutMs: 400 })).outcome, 'open');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^stockade_agent_total\{counter="nftTransactions"\} [1-9]\d*$/m);
    assert.match(metrics, /^stockade_agent_total\{counter="namespacesCreated"\} 2$/m);

    const file = path.join(dataDir, 'agent-host.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const key = (JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string }).accessKeyId;
    const listed = async () => JSON.parse((await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'hosts', 'list', '--json', '--data-dir', dataDir])).stdout) as { hostName: string; instanceCount: number; accessKeyIds: string[] }[];
    assert.deepEqual((await listed()).map(({ hostName: name, instanceCount, accessKeyIds }) => ({ name, instanceCount, accessKeyIds })), [{ name: hostName, instanceCount: 2, accessKeyIds: [key] }]);

    // A restart keeps the host and its key.
    const { accountId, accessKeyId, secretAccessKey } = server.bootstrap;
    await server.kill9();
    server = await startStockade({
      dataDir,
      args,
      env: { STOCKADE_BOOTSTRAP_ACCOUNT_ID: accountId, STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: accessKeyId, STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: secretAccessKey },
    });
    await waitInForce(server, [a.id, b.id]);
    assert.deepEqual((await listed()).map((h) => h.accessKeyIds), [[key]]);
    assert.equal((await probe.request({ op: 'tcp', host: a.ip, port: 8080, timeoutMs: 400 })).outcome, 'open');
  });
});
