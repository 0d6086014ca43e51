import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { consoleCall, consoleSignIn, cookieOf, openConsoleEvents, sessionHandle, type ConsoleSessionHandle } from '../harness/console-client.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { REPO_ROOT, startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

describe('the console API: sign-in, cookie, CSRF, sign-out, isolation, links (issue 11)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-console-'));
  let server: RunningStockade;
  let ec2: EC2Client;
  let other: AccountCredentials;
  let web = '';
  let db = { id: '', ip: '' };
  let client = { id: '', ip: '' };
  let sshRule = '';

  before(async () => {
    server = await startStockade({ dataDir });
    ec2 = ec2Client(server);
    other = await server.createAccount({ accountId: '444455556666', platform: 'vpc-only' });
    web = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier' }))).GroupId ?? '';
    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] }] }),
    );
    sshRule = authorized.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const launch = async (groups: string[]) => {
      const i = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: groups }))).Instances?.[0];
      return { id: i?.InstanceId ?? '', ip: i?.PrivateIpAddress ?? '' };
    };
    db = await launch([web]);
    client = await launch([web]);
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('signing in with keys sets an HttpOnly, SameSite=Strict, expiring cookie scoped to /console, and never echoes the secret', async () => {
    const answer = await consoleCall(server, 'sign-in', { body: { accessKeyId: server.bootstrap.accessKeyId, secretAccessKey: server.bootstrap.secretAccessKey } });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { accountId: server.bootstrap.accountId });
    const cookie = answer.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^stockade_console=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split('; ').slice(1);
    assert.deepEqual(attributes, ['Max-Age=43200', 'Path=/console', 'HttpOnly', 'SameSite=Strict']);
    const session = await consoleCall(server, 'session', { cookie: cookieOf(answer) });
    assert.equal(session.status, 200);
    assert.equal(session.body.accountId, server.bootstrap.accountId);
    assert.match(String(session.body.csrfToken), /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!JSON.stringify(session.body).includes(server.bootstrap.secretAccessKey));
  });

  test('a wrong secret, an unknown key or a host key is refused with AuthFailure, and sets no cookie', async () => {
    const host = JSON.parse((await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'hosts', 'add', '--name', 'h1', '--json', ...server.storeArgs])).stdout) as AccountCredentials;
    for (const body of [
      { accessKeyId: server.bootstrap.accessKeyId, secretAccessKey: 'wrong' },
      { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
      { accessKeyId: host.accessKeyId, secretAccessKey: host.secretAccessKey },
    ]) {
      const answer = await consoleCall(server, 'sign-in', { body });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.body.error, { code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' });
      assert.equal(answer.headers.get('set-cookie'), null);
    }
  });

  test('without a session every read is refused with 401; a forged cookie opens nothing', async () => {
    for (const cookie of [undefined, 'stockade_console=forged', 'other=1']) {
      const answer = await consoleCall(server, 'state', cookie === undefined ? {} : { cookie });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error?.code, 'ConsoleSignInRequired');
    }
  });

  test('a state-changing call without the CSRF token, or with a forged one, is refused with 403 and changes nothing', async () => {
    const session = await consoleSignIn(server);
    const create = { groupName: 'csrf-victim', description: 'must not exist' };
    for (const csrfToken of [undefined, 'forged', (await consoleSignIn(server)).csrfToken]) {
      const answer = await consoleCall(server, 'groups/create', { cookie: session.cookie, body: create, ...(csrfToken === undefined ? {} : { csrfToken }) });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error?.code, 'ConsoleCsrfTokenInvalid');
      assert.match(answer.body.error?.message ?? '', /CSRF token/);
    }
    // A cross-site form cannot send JSON: anything else is refused before the session is looked at.
    const form = await consoleCall(server, 'groups/create', { cookie: session.cookie, csrfToken: session.csrfToken, body: create, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['csrf-victim'] }] }));
    assert.deepEqual(groups.SecurityGroups, []);
  });

  test('edits go through the service: visible through the SDK, and refused with EC2 code and wording', async () => {
    const session = await consoleSignIn(server);
    const created = await consoleCall(server, 'groups/create', { cookie: session.cookie, csrfToken: session.csrfToken, body: { groupName: 'from-console', description: 'made in the console' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const groupId = String(created.body.groupId);
    const rule = { groupId, direction: 'ingress', ipProtocol: 'tcp', fromPort: 443, toPort: 443, peer: '0.0.0.0/0', description: 'https' };
    const added = await consoleCall(server, 'rules/authorize', { cookie: session.cookie, csrfToken: session.csrfToken, body: rule });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    assert.equal(described.SecurityGroups?.[0]?.Description, 'made in the console');
    assert.deepEqual(described.SecurityGroups?.[0]?.IpPermissions?.map((p) => [p.IpProtocol, p.FromPort, p.IpRanges?.[0]?.CidrIp, p.IpRanges?.[0]?.Description]), [['tcp', 443, '0.0.0.0/0', 'https']]);
    // The duplicate: the console's refusal is the SDK's, code and message.
    const again = await consoleCall(server, 'rules/authorize', { cookie: session.cookie, csrfToken: session.csrfToken, body: rule });
    const sdk = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })),
    );
    assert.equal(again.status, sdk.status);
    assert.deepEqual(again.body.error, { code: sdk.code, message: sdk.message });
    const badCidr = await consoleCall(server, 'rules/authorize', { cookie: session.cookie, csrfToken: session.csrfToken, body: { ...rule, peer: '10.0.0.0/33' } });
    assert.equal(badCidr.status, 400);
    assert.equal(badCidr.body.error?.code, 'InvalidParameterValue');
    const inUse = await consoleCall(server, 'groups/delete', { cookie: session.cookie, csrfToken: session.csrfToken, body: { groupId: web } });
    assert.equal(inUse.body.error?.code, 'DependencyViolation');
    const deleted = await consoleCall(server, 'groups/delete', { cookie: session.cookie, csrfToken: session.csrfToken, body: { groupId } });
    assert.equal(deleted.status, 200);
  });

  test('the state shows groups with rules (ID, protocol, ports, peer, description), instances and revisions', async () => {
    const session = await consoleSignIn(server);
    const state = await consoleCall(server, 'state', { cookie: session.cookie, query: { region: 'us-east-1' } });
    assert.equal(state.status, 200);
    const groups = state.body.groups as { groupId: string; rules: { ruleId: string; ipProtocol: string; fromPort: number; toPort: number; traffic: string; peer: unknown; description: string }[] }[];
    const rule = groups.find((g) => g.groupId === web)?.rules.find((r) => r.ruleId === sshRule);
    assert.deepEqual(
      { ...rule, tags: undefined },
      { ruleId: sshRule, groupId: web, direction: 'ingress', ipProtocol: 'tcp', fromPort: 22, toPort: 22, traffic: 'tcp 22', peer: { kind: 'cidr4', cidr: '203.0.113.0/24' }, description: 'office', tags: undefined },
    );
    const instances = state.body.instances as { instanceId: string; groupIds: string[]; privateIpAddress: string; desiredRevision: number; inForce: boolean | null }[];
    const shown = instances.find((i) => i.instanceId === db.id);
    assert.deepEqual(shown?.groupIds, [web]);
    assert.equal(shown?.privateIpAddress, db.ip);
    assert.ok((shown?.desiredRevision ?? 0) > 0);
    const unknownRegion = await consoleCall(server, 'state', { cookie: session.cookie, query: { region: 'mars-north-1' } });
    assert.equal(unknownRegion.status, 400);
  });

  test('reachability agrees with GET /explain, both ways, for an admitted and a refused flow', async () => {
    const session = await consoleSignIn(server);
    const explain = async (instance: string, flow: Record<string, string>) =>
      JSON.parse((await signedFetch(server, { method: 'GET', path: '/explain', query: { instance, ...flow } })).body) as { admitted: boolean; matches?: { ruleId: string }[] };
    const reach = async (source: string, port: string) =>
      (await consoleCall(server, 'reach', { cookie: session.cookie, query: { source, destination: db.id, protocol: 'tcp', port } })).body as {
        admitted: boolean;
        paths: { egress: { admitted: boolean; rules: { ruleId: string }[] } | null; ingress: { admitted: boolean; rules: { ruleId: string }[] } }[];
      };
    // From the office: admitted by the SSH rule; no egress to check for an outside address.
    const admitted = await reach('203.0.113.9', '22');
    const explained = await explain(db.id, { direction: 'ingress', protocol: 'tcp', port: '22', peer: '203.0.113.9' });
    assert.equal(admitted.admitted, true);
    assert.equal(explained.admitted, true);
    assert.deepEqual(admitted.paths[0]?.ingress.rules.map((r) => r.ruleId), explained.matches?.map((m) => m.ruleId));
    assert.equal(admitted.paths[0]?.egress, null);
    // From another instance of the group: egress admitted (the default rule), ingress refused.
    const refused = await reach(client.id, '22');
    assert.equal(refused.admitted, false);
    assert.equal(refused.paths[0]?.egress?.admitted, (await explain(client.id, { direction: 'egress', protocol: 'tcp', port: '22', peer: db.ip })).admitted);
    assert.equal(refused.paths[0]?.ingress.admitted, (await explain(db.id, { direction: 'ingress', protocol: 'tcp', port: '22', peer: client.ip })).admitted);
    assert.equal(refused.paths[0]?.ingress.admitted, false);
  });

  test("another account's session sees none of it, can reach none of it, and its stream hears nothing of it", async () => {
    const mine = await consoleSignIn(server);
    const theirs = await consoleSignIn(server, other);
    assert.equal(theirs.accountId, other.accountId);
    const state = await consoleCall(server, 'state', { cookie: theirs.cookie });
    const text = JSON.stringify(state.body);
    for (const id of [web, db.id, client.id, sshRule]) assert.ok(!text.includes(id), `${id} leaked`);
    const reach = await consoleCall(server, 'reach', { cookie: theirs.cookie, query: { source: '203.0.113.9', destination: db.id, protocol: 'tcp', port: '22' } });
    assert.equal(reach.body.error?.code, 'InvalidInstanceID.NotFound');
    const remove = await consoleCall(server, 'groups/delete', { cookie: theirs.cookie, csrfToken: theirs.csrfToken, body: { groupId: web } });
    assert.equal(remove.body.error?.code, 'InvalidGroup.NotFound');
    // Their session's token is not ours: it cannot be used with our cookie.
    const crossed = await consoleCall(server, 'groups/create', { cookie: mine.cookie, csrfToken: theirs.csrfToken, body: { groupName: 'x', description: 'x' } });
    assert.equal(crossed.status, 403);
    // Streams: ours hears our change, theirs does not.
    const ourEvents = await openConsoleEvents(server, mine);
    const theirEvents = await openConsoleEvents(server, theirs);
    try {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.9.0.0/16' }] }] }));
      const event = await ourEvents.next('changed');
      assert.deepEqual(JSON.parse(event).kinds, ['RulesAuthorized']);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(theirEvents.seen.filter((e) => e.name === 'changed'), []);
    } finally {
      ourEvents.close();
      theirEvents.close();
    }
  });

  test('sign-out deletes the session server-side; a session survives a restart', async () => {
    const kept = await consoleSignIn(server);
    const ended = await consoleSignIn(server);
    const out = await consoleCall(server, 'sign-out', { cookie: ended.cookie, csrfToken: ended.csrfToken, body: {} });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /^stockade_console=; Max-Age=0; Path=\/console; HttpOnly; SameSite=Strict$/);
    // The old cookie, replayed, opens nothing.
    assert.equal((await consoleCall(server, 'state', { cookie: ended.cookie })).status, 401);
    await server.stop();
    server = await startStockade({ dataDir });
    assert.equal((await consoleCall(server, 'state', { cookie: kept.cookie })).status, 200);
    assert.equal((await consoleCall(server, 'state', { cookie: ended.cookie })).status, 401);
    ec2.destroy();
    ec2 = ec2Client(server);
  });

  test('stockade console-link prints a one-time link: it signs in once, never twice', async () => {
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'console-link', '--account', other.accountId, '--url', server.url, ...server.storeArgs]);
    const link = stdout.trim();
    assert.match(link, new RegExp(`^${server.url}/console/#link=[A-Za-z0-9_-]{43}$`));
    const token = link.split('#link=')[1] ?? '';
    const first = await consoleCall(server, 'sign-in', { body: { link: token } });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { accountId: other.accountId });
    const session: ConsoleSessionHandle = await sessionHandle(server, cookieOf(first));
    assert.equal(session.accountId, other.accountId);
    const second = await consoleCall(server, 'sign-in', { body: { link: token } });
    assert.equal(second.status, 401);
    assert.equal(second.body.error?.code, 'ConsoleLinkInvalid');
    const unknownAccount = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'console-link', '--account', '999999999999', ...server.storeArgs]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((unknownAccount as { code: number }).code, 2);
  });
});
