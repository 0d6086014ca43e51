import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { REPO_ROOT, startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

interface Explained {
  readonly admitted: boolean;
  readonly matches?: readonly { groupId: string; ruleId: string }[];
  readonly reason: string;
}

/** Asks the running server through the authenticated `GET /explain` endpoint. */
async function explain(server: RunningStockade, instance: string, flow: Record<string, string>, credentials?: AccountCredentials): Promise<Explained> {
  const response = await signedFetch(server, { method: 'GET', path: '/explain', query: { instance, ...flow } }, credentials === undefined ? {} : { credentials });
  assert.equal(response.status, 200, response.body);
  return JSON.parse(response.body) as Explained;
}

async function launch(ec2: EC2Client, groups: string[]): Promise<{ id: string; ip: string }> {
  const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: groups }))).Instances?.[0];
  return { id: instance?.InstanceId ?? '', ip: instance?.PrivateIpAddress ?? '' };
}

describe('the evaluator follows rules and memberships (vpc-only, default VPC)', () => {
  let server: RunningStockade;
  let ec2: EC2Client;
  let web = '';
  let app = '';
  before(async () => {
    server = await startStockade();
    ec2 = ec2Client(server);
    web = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }))).GroupId ?? '';
    app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }))).GroupId ?? '';
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
  });

  test('CIDR rules, /0 and /32, overlapping CIDRs, -1 and ICMP', async () => {
    const db = await launch(ec2, [app]);
    const tcp = (port: string, peer: string) => ({ direction: 'ingress', protocol: 'tcp', port, peer });
    assert.equal((await explain(server, db.id, tcp('5432', '10.1.2.3'))).admitted, false);
    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '10.1.0.0/16' }, { CidrIp: '192.0.2.7/32' }] },
          { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] },
        ],
      }),
    );
    const ruleIds = authorized.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId ?? '') ?? [];
    // Two overlapping CIDRs both admit: every matching rule is listed.
    const both = await explain(server, db.id, tcp('5432', '10.1.2.3'));
    assert.equal(both.admitted, true);
    assert.deepEqual(both.matches?.map((m) => m.ruleId).sort(), [ruleIds[0], ruleIds[1]].sort());
    assert.deepEqual((await explain(server, db.id, tcp('5432', '10.200.0.1'))).matches?.map((m) => m.ruleId), [ruleIds[0]]);
    assert.deepEqual((await explain(server, db.id, tcp('5432', '192.0.2.7'))).matches?.map((m) => m.ruleId), [ruleIds[2]]);
    assert.equal((await explain(server, db.id, tcp('5432', '192.0.2.8'))).admitted, false);
    assert.equal((await explain(server, db.id, tcp('5433', '10.1.2.3'))).admitted, false);
    // ICMP type 8, every code; other types are not admitted.
    assert.equal((await explain(server, db.id, { direction: 'ingress', protocol: 'icmp', icmpType: '8', icmpCode: '0', peer: '198.51.100.1' })).admitted, true);
    assert.equal((await explain(server, db.id, { direction: 'ingress', protocol: 'icmp', icmpType: '13', icmpCode: '0', peer: '198.51.100.1' })).admitted, false);
    // -1 from an IPv6 range: any protocol and port of that family, never IPv4.
    assert.equal((await explain(server, db.id, { direction: 'ingress', protocol: '50', peer: '2001:db8::1' })).admitted, true);
    assert.equal((await explain(server, db.id, tcp('1', '2001:db8:ffff::9'))).admitted, true);
    assert.equal((await explain(server, db.id, tcp('1', '2001:db9::1'))).admitted, false);
    // Revoking removes the admission at once.
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: app, SecurityGroupRuleIds: [ruleIds[2] ?? ''] }));
    assert.equal((await explain(server, db.id, tcp('5432', '192.0.2.7'))).admitted, false);
  });

  test('a rule admitting through a group follows that group’s membership', async () => {
    const db = await launch(ec2, [app]);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] }] }));
    const front = await launch(ec2, [web]);
    const fromFront = { direction: 'ingress', protocol: 'tcp', port: '8080', peer: front.ip };
    const admitted = await explain(server, db.id, fromFront);
    assert.equal(admitted.admitted, true, admitted.reason);
    assert.equal(admitted.matches?.[0]?.groupId, app);
    // A second web instance joins: admitted too, without any rule change.
    const front2 = await launch(ec2, [web]);
    assert.equal((await explain(server, db.id, { ...fromFront, peer: front2.ip })).admitted, true);
    // The first one leaves the group (its groups are replaced): no longer admitted.
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: front.id, Groups: [app] }));
    assert.equal((await explain(server, db.id, fromFront)).admitted, false);
    // Terminated instances hold no group.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [front2.id] }));
    assert.equal((await explain(server, db.id, { ...fromFront, peer: front2.ip })).admitted, false);
  });

  test('egress rules, and the CLI agrees with the endpoint', async () => {
    const vm = await launch(ec2, [web]);
    const out = { direction: 'egress', protocol: 'udp', port: '53', peer: '9.9.9.9' };
    // New groups allow all traffic out (spec/semantics.md §6.3).
    assert.equal((await explain(server, vm.id, out)).admitted, true);
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const denied = await explain(server, vm.id, out);
    assert.deepEqual(denied, { instanceId: vm.id, flow: { direction: 'egress', protocol: 17, port: 53, peer: '9.9.9.9' }, admitted: false, reason: 'no egress rules' });
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '9.9.9.9/32' }] }] }));
    assert.equal((await explain(server, vm.id, out)).admitted, true);
    const cli = await run(process.execPath, [path.join(REPO_ROOT, 'bin/stockade'), 'explain', '--data-dir', server.dataDir, '--instance', vm.id, '--egress', '--protocol', 'udp', '--port', '53', '--peer', '9.9.9.9', '--json']);
    const fromCli = JSON.parse(cli.stdout) as Explained;
    assert.deepEqual(fromCli, await explain(server, vm.id, out));
    const human = await run(process.execPath, [path.join(REPO_ROOT, 'bin/stockade'), 'explain', '--data-dir', server.dataDir, '--instance', vm.id, '--egress', '--protocol', 'udp', '--port', '53', '--peer', '9.9.9.9']);
    assert.match(human.stdout, new RegExp(`^ADMITTED  ${vm.id} egress: admitted by sgr-[0-9a-f]{17} of ${web} \\(udp 53 to 9\\.9\\.9\\.9/32\\)\\n  sgr-[0-9a-f]{17} of ${web} \\(udp 53 to 9\\.9\\.9\\.9/32\\)  \\[web\\]\\n$`));
    // Not admitted: exit status 1.
    await assert.rejects(
      run(process.execPath, [path.join(REPO_ROOT, 'bin/stockade'), 'explain', '--data-dir', server.dataDir, '--instance', vm.id, '--egress', '--protocol', 'tcp', '--port', '53', '--peer', '9.9.9.9']),
      (error: { code?: number; stdout?: string }) => error.code === 1 && (error.stdout ?? '').startsWith(`DENIED  ${vm.id} egress:`),
    );
  });

  test('another account cannot ask about this account’s instances', async () => {
    const vm = await launch(ec2, [web]);
    const other = await server.createAccount({ accountId: '210987654321', platform: 'vpc-only' });
    const response = await signedFetch(server, { method: 'GET', path: '/explain', query: { instance: vm.id, direction: 'ingress', protocol: 'tcp', port: '1', peer: '1.2.3.4' } }, { credentials: other });
    assert.equal(response.status, 400);
    assert.match(response.body, /<Code>InvalidInstanceID.NotFound<\/Code>/);
    const bad = await signedFetch(server, { method: 'GET', path: '/explain', query: { instance: vm.id, direction: 'sideways', protocol: 'tcp', port: '1', peer: '1.2.3.4' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /<Code>InvalidParameterValue<\/Code>/);
  });
});

describe('the evaluator across accounts in EC2-Classic', () => {
  let server: RunningStockade;
  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'classic' } });
  });
  after(() => server.stop());

  test('a rule naming another account’s group admits that group’s instances', async () => {
    const ours = ec2Client(server);
    const otherCredentials = await server.createAccount({ accountId: '999988887777', platform: 'classic' });
    const theirs = ec2Client(server, otherCredentials);
    try {
      await ours.send(new CreateSecurityGroupCommand({ GroupName: 'websrv', Description: 'Web Servers' }));
      await theirs.send(new CreateSecurityGroupCommand({ GroupName: 'OtherAccountGroup', Description: 'theirs' }));
      await ours.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupName: 'websrv',
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupName: 'OtherAccountGroup', UserId: '999988887777' }] }],
        }),
      );
      const web = (await ours.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroups: ['websrv'] }))).Instances?.[0];
      const client = (await theirs.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroups: ['OtherAccountGroup'] }))).Instances?.[0];
      const stranger = (await theirs.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances?.[0];
      const flow = (peer: string) => ({ direction: 'ingress', protocol: 'tcp', port: '80', peer });
      assert.equal((await explain(server, web?.InstanceId ?? '', flow(client?.PrivateIpAddress ?? ''))).admitted, true);
      assert.equal((await explain(server, web?.InstanceId ?? '', flow(stranger?.PrivateIpAddress ?? ''))).admitted, false);
      // The Classic default group admits its own members on every port (spec/semantics.md §6.1).
      const peer = (await ours.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2 }))).Instances ?? [];
      const a = peer[0];
      const b = peer[1];
      assert.equal((await explain(server, a?.InstanceId ?? '', { direction: 'ingress', protocol: 'udp', port: '9999', peer: b?.PrivateIpAddress ?? '' })).admitted, true);
      // EC2-Classic filters no outbound traffic (spec/semantics.md §10).
      const out = await explain(server, web?.InstanceId ?? '', { direction: 'egress', protocol: 'udp', port: '53', peer: '9.9.9.9' });
      assert.deepEqual(out, { instanceId: web?.InstanceId, flow: { direction: 'egress', protocol: 17, port: 53, peer: '9.9.9.9' }, admitted: true, matches: [], reason: 'EC2-Classic does not filter outbound traffic' });
    } finally {
      ours.destroy();
      theirs.destroy();
    }
  });
});
