import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../harness/clients.js';
import { query } from '../harness/query-client.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// The real AWS CLI v2 (the Debian package) against a running Stockade: exact JSON the CLI prints
// and exact error lines it writes (STYLE.md, Tests: end-to-end through real clients). Always the
// absolute path: a pyenv AWS CLI v1 comes earlier on PATH.

const AWS_CLI = '/usr/bin/aws';
const run = promisify(execFile);

/** What one CLI run produced. */
interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fails the suite with an actionable message when the CLI is not installed. */
function requireAwsCli(): void {
  if (!existsSync(AWS_CLI)) {
    throw new Error(`AWS CLI v2 is required at ${AWS_CLI} (Debian package "awscli" 2.x; CI installs it). Install it to run these tests.`);
  }
}

/** Runs `/usr/bin/aws --endpoint-url <server> --output json <args>` as `credentials`. */
async function aws(server: RunningStockade, credentials: AccountCredentials, args: readonly string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(AWS_CLI, ['--endpoint-url', server.url, '--output', 'json', ...args], {
      env: awsCliEnv(credentials),
      timeout: 60_000,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== 'number') throw error;
    return { exitCode: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** Runs a command that must succeed and returns its parsed JSON output (undefined when it prints nothing). */
async function awsJson<T>(server: RunningStockade, credentials: AccountCredentials, args: readonly string[]): Promise<T> {
  const result = await aws(server, credentials, args);
  assert.equal(result.exitCode, 0, `aws ${args.join(' ')} failed: ${result.stderr}`);
  assert.equal(result.stderr, '');
  return (result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout)) as T;
}

/** Runs a command that must fail as a service error: exit 254, nothing on stdout, one stderr line. */
async function awsError(server: RunningStockade, credentials: AccountCredentials, args: readonly string[]): Promise<string> {
  const result = await aws(server, credentials, args);
  assert.equal(result.exitCode, 254, `expected exit 254, got ${result.exitCode}: ${result.stdout}${result.stderr}`);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, result.stderr);
  return lines[0] ?? '';
}

interface UserIdGroupPair {
  readonly GroupId?: string;
  readonly GroupName?: string;
  readonly UserId?: string;
  readonly Description?: string;
}

interface IpPermission {
  readonly IpProtocol: string;
  readonly FromPort?: number;
  readonly ToPort?: number;
  readonly IpRanges: readonly { CidrIp: string; Description?: string }[];
  readonly Ipv6Ranges: readonly { CidrIpv6: string; Description?: string }[];
  readonly PrefixListIds: readonly { PrefixListId: string }[];
  readonly UserIdGroupPairs: readonly UserIdGroupPair[];
}

interface SecurityGroup {
  readonly GroupId: string;
  readonly GroupName: string;
  readonly Description: string;
  readonly OwnerId: string;
  readonly VpcId?: string;
  readonly IpPermissions: readonly IpPermission[];
  readonly IpPermissionsEgress: readonly IpPermission[];
  readonly Tags?: readonly { Key: string; Value: string }[];
  readonly SecurityGroupArn?: string;
}

interface SecurityGroupRule {
  readonly SecurityGroupRuleId: string;
  readonly GroupId: string;
  readonly GroupOwnerId: string;
  readonly IsEgress: boolean;
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly CidrIpv4?: string;
  readonly CidrIpv6?: string;
  readonly ReferencedGroupInfo?: { GroupId: string; UserId: string };
  readonly Description?: string;
  readonly Tags: readonly { Key: string; Value: string }[];
  readonly SecurityGroupRuleArn?: string;
}

/** A permission as the CLI prints it, with the empty lists filled in. */
function perm(fields: Partial<IpPermission> & { IpProtocol: string }): IpPermission {
  return { IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], ...fields };
}

/**
 * Groups as the CLI prints them, minus `SecurityGroupArn`: CLI 2.9.19's model predates it (the
 * server sends it), so a newer CLI may show it; when it does it must be the group's ARN.
 */
function groupsWithoutArn(groups: readonly SecurityGroup[], accountId: string): Omit<SecurityGroup, 'SecurityGroupArn'>[] {
  return groups.map(({ SecurityGroupArn, ...rest }) => {
    if (SecurityGroupArn !== undefined) assert.equal(SecurityGroupArn, `arn:aws:ec2:us-east-1:${accountId}:security-group/${rest.GroupId}`);
    return rest;
  });
}

/** Rules as the CLI prints them, minus the generated ID (checked for shape) and any newer-CLI ARN. */
function rulesWithoutIds(rules: readonly SecurityGroupRule[]): Omit<SecurityGroupRule, 'SecurityGroupRuleId' | 'SecurityGroupRuleArn'>[] {
  return rules.map(({ SecurityGroupRuleId, SecurityGroupRuleArn, ...rest }) => {
    assert.match(SecurityGroupRuleId, /^sgr-[0-9a-f]{17}$/);
    if (SecurityGroupRuleArn !== undefined) assert.match(SecurityGroupRuleArn, new RegExp(`:security-group-rule/${SecurityGroupRuleId}$`));
    return rest;
  });
}

/** Setup through a raw Query request (fast; the CLI is what the tests assert on): the first `<tag>` value. */
async function setUp(server: RunningStockade, credentials: AccountCredentials, params: Record<string, string>, tag: string): Promise<string> {
  const response = await query(server, params, { credentials });
  assert.equal(response.status, 200, response.body);
  const value = new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(response.body)?.[1];
  assert.ok(value !== undefined, response.body);
  return value;
}

/** The line AWS CLI v2 prints for a service error. */
function errorLine(code: string, operation: string, message: string): string {
  return `An error occurred (${code}) when calling the ${operation} operation: ${message}`;
}

describe('AWS CLI v2 against a vpc-only account', () => {
  let server: RunningStockade;
  let me: AccountCredentials;
  let accountId: string;
  let defaultVpcId: string;
  let defaultGroupId: string;
  let web: string;
  before(async () => {
    requireAwsCli();
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'vpc-only' } });
    me = server.bootstrap;
    accountId = me.accountId;
    defaultVpcId = await setUp(server, me, { Action: 'DescribeVpcs', 'Filter.1.Name': 'is-default', 'Filter.1.Value.1': 'true' }, 'vpcId');
    defaultGroupId = await setUp(server, me, { Action: 'DescribeSecurityGroups', 'GroupName.1': 'default' }, 'groupId');
  });
  after(() => server?.stop());

  test('/usr/bin/aws is AWS CLI v2', async () => {
    const { stdout } = await run(AWS_CLI, ['--version'], { env: awsCliEnv(me) });
    assert.ok(stdout.startsWith('aws-cli/2.'), `not AWS CLI v2: ${stdout}`);
  });

  test('describe-account-attributes names the platform and the default VPC', async () => {
    const attributes = await awsJson<{ AccountAttributes: { AttributeName: string; AttributeValues: { AttributeValue: string }[] }[] }>(server, me, [
      'ec2', 'describe-account-attributes', '--attribute-names', 'supported-platforms', 'default-vpc',
    ]);
    assert.equal(attributes.AccountAttributes.length, 2);
    assert.deepEqual(attributes.AccountAttributes[0], { AttributeName: 'supported-platforms', AttributeValues: [{ AttributeValue: 'VPC' }] });
    assert.deepEqual(attributes.AccountAttributes[1], { AttributeName: 'default-vpc', AttributeValues: [{ AttributeValue: defaultVpcId }] });
  });

  test('sts get-caller-identity on the same endpoint names the account', async () => {
    const identity = await awsJson<Record<string, string>>(server, me, ['sts', 'get-caller-identity']);
    assert.deepEqual(identity, { UserId: accountId, Account: accountId, Arn: `arn:aws:iam::${accountId}:root` });
  });

  test('sts errors come in STS’s envelope with STS’s codes', async () => {
    const unknownKey = { ...me, accessKeyId: 'AKIDUNKNOWN000000000' };
    assert.equal(
      await awsError(server, unknownKey, ['sts', 'get-caller-identity']),
      errorLine('InvalidClientTokenId', 'GetCallerIdentity', 'The security token included in the request is invalid.'),
    );
    assert.equal(
      await awsError(server, { ...me, secretAccessKey: 'wrong' }, ['sts', 'get-caller-identity']),
      errorLine('SignatureDoesNotMatch', 'GetCallerIdentity', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'),
    );
  });

  test('create-security-group, then authorize-security-group-ingress with --ip-permissions JSON', async () => {
    const created = await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'web', '--description', 'web tier']);
    assert.deepEqual(Object.keys(created), ['GroupId']);
    web = created.GroupId;
    // Today's 17 hex digits in a vpc-only account (issue 13 item 6; classic accounts keep 8).
    assert.match(web, /^sg-[0-9a-f]{17}$/);
    const permissions = [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.200.0.0/16', Description: 'https from lab' }] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.5/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:DB8::/64', Description: 'v6 ssh' }] },
      { IpProtocol: '17', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.53.0.0/16' }, { CidrIp: '10.54.0.0/16', Description: 'dns two' }] },
    ];
    const authorized = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'authorize-security-group-ingress', '--group-id', web, '--ip-permissions', JSON.stringify(permissions),
    ]);
    assert.equal(authorized.Return, true);
    // One rule per peer in request order; masked CIDR, canonical IPv6, 17 → udp (spec/semantics.md §2–§4).
    const common = { GroupId: web, GroupOwnerId: accountId, IsEgress: false, Tags: [] };
    assert.deepEqual(rulesWithoutIds(authorized.SecurityGroupRules), [
      { ...common, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '10.200.0.0/16', Description: 'https from lab' },
      { ...common, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24' },
      { ...common, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: '2001:db8::/64', Description: 'v6 ssh' },
      { ...common, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.53.0.0/16' },
      { ...common, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.54.0.0/16', Description: 'dns two' },
    ]);
  });

  test('authorize-security-group-ingress with the --protocol/--port/--cidr shorthand', async () => {
    const common = { GroupId: web, GroupOwnerId: accountId, IsEgress: false, Tags: [] };
    const single = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'authorize-security-group-ingress', '--group-id', web, '--protocol', 'tcp', '--port', '8080', '--cidr', '10.200.1.0/24',
    ]);
    assert.deepEqual(rulesWithoutIds(single.SecurityGroupRules), [{ ...common, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIpv4: '10.200.1.0/24' }]);
    // By name in the default VPC, with a port range.
    const range = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'authorize-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '8000-8010', '--cidr', '10.97.0.0/16',
    ]);
    assert.deepEqual(rulesWithoutIds(range.SecurityGroupRules), [{ ...common, IpProtocol: 'tcp', FromPort: 8000, ToPort: 8010, CidrIpv4: '10.97.0.0/16' }]);
    // The CLI turns `all` into -1 (the API itself refuses `all`); rule items show -1/-1 (spec/semantics.md §3.3).
    const all = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'authorize-security-group-ingress', '--group-id', web, '--protocol', 'all', '--cidr', '10.99.0.0/16',
    ]);
    assert.deepEqual(rulesWithoutIds(all.SecurityGroupRules), [{ ...common, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '10.99.0.0/16' }]);
  });

  test('describe-security-groups prints exactly the merged permissions', async () => {
    const described = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-ids', web]);
    // Rules regrouped by (protocol, ports), peers in creation order; no ports for -1 (spec/semantics.md §2.4, §3.3).
    assert.deepEqual(groupsWithoutArn(described.SecurityGroups, accountId), [
      {
        Description: 'web tier',
        GroupName: 'web',
        GroupId: web,
        OwnerId: accountId,
        VpcId: defaultVpcId,
        IpPermissions: [
          perm({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.200.0.0/16', Description: 'https from lab' }] }),
          perm({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64', Description: 'v6 ssh' }] }),
          perm({ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.53.0.0/16' }, { CidrIp: '10.54.0.0/16', Description: 'dns two' }] }),
          perm({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, IpRanges: [{ CidrIp: '10.200.1.0/24' }] }),
          perm({ IpProtocol: 'tcp', FromPort: 8000, ToPort: 8010, IpRanges: [{ CidrIp: '10.97.0.0/16' }] }),
          perm({ IpProtocol: '-1', IpRanges: [{ CidrIp: '10.99.0.0/16' }] }),
        ],
        // A new VPC group allows all outbound traffic (spec/semantics.md §6.3).
        IpPermissionsEgress: [perm({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })],
      },
    ]);
    const byName = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-names', 'web']);
    assert.deepEqual(byName, described);
  });

  test('describe-security-group-rules lists the atomic rules of both directions', async () => {
    const listed = await awsJson<{ SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${web}`,
    ]);
    const common = { GroupId: web, GroupOwnerId: accountId, Tags: [] };
    assert.deepEqual(
      rulesWithoutIds(listed.SecurityGroupRules),
      [
        { ...common, IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '0.0.0.0/0' },
        { ...common, IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '10.200.0.0/16', Description: 'https from lab' },
        { ...common, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24' },
        { ...common, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: '2001:db8::/64', Description: 'v6 ssh' },
        { ...common, IsEgress: false, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.53.0.0/16' },
        { ...common, IsEgress: false, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: '10.54.0.0/16', Description: 'dns two' },
        { ...common, IsEgress: false, IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIpv4: '10.200.1.0/24' },
        { ...common, IsEgress: false, IpProtocol: 'tcp', FromPort: 8000, ToPort: 8010, CidrIpv4: '10.97.0.0/16' },
        { ...common, IsEgress: false, IpProtocol: '-1', FromPort: -1, ToPort: -1, CidrIpv4: '10.99.0.0/16' },
      ],
    );
    // By rule ID: exactly that rule.
    const first = listed.SecurityGroupRules[1];
    const one = await awsJson<{ SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'describe-security-group-rules', '--security-group-rule-ids', first?.SecurityGroupRuleId ?? '',
    ]);
    assert.deepEqual(one.SecurityGroupRules, [first]);
  });

  test('a duplicate exits 254 with the exact error line', async () => {
    // Another spelling of a stored rule (host bits, description) is still that rule (spec/semantics.md §2.3).
    const json = await awsError(server, me, [
      'ec2', 'authorize-security-group-ingress', '--group-id', web,
      '--ip-permissions', JSON.stringify([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.77/24', Description: 'again' }] }]),
    ]);
    assert.equal(
      json,
      errorLine('InvalidPermission.Duplicate', 'AuthorizeSecurityGroupIngress', 'the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists'),
    );
    const shorthand = await awsError(server, me, ['ec2', 'authorize-security-group-ingress', '--group-id', web, '--protocol', 'tcp', '--port', '8080', '--cidr', '10.200.1.0/24']);
    assert.equal(
      shorthand,
      'An error occurred (InvalidPermission.Duplicate) when calling the AuthorizeSecurityGroupIngress operation: the specified rule "peer: 10.200.1.0/24, TCP, from port: 8080, to port: 8080, ALLOW" already exists',
    );
    const all = await awsError(server, me, ['ec2', 'authorize-security-group-ingress', '--group-id', web, '--protocol', 'all', '--cidr', '10.99.0.0/16']);
    assert.equal(all, errorLine('InvalidPermission.Duplicate', 'AuthorizeSecurityGroupIngress', 'the specified rule "peer: 10.99.0.0/16, ALL, ALLOW" already exists'));
  });

  test('revoke-security-group-ingress by JSON and shorthand; unknown rules are reported in the default VPC', async () => {
    const byJson = await awsJson<{ Return: boolean }>(server, me, [
      'ec2', 'revoke-security-group-ingress', '--group-id', web,
      '--ip-permissions', JSON.stringify([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64' }] }]),
    ]);
    assert.equal(byJson.Return, true);
    const byShorthand = await awsJson<{ Return: boolean; UnknownIpPermissions?: IpPermission[] }>(server, me, [
      'ec2', 'revoke-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '8000-8010', '--cidr', '10.97.0.0/16',
    ]);
    assert.equal(byShorthand.Return, true);
    assert.equal(byShorthand.UnknownIpPermissions, undefined);
    // Default VPC: no error, the rule comes back as unknown (spec/api.md §5.6).
    const unknown = await awsJson<{ Return: boolean; UnknownIpPermissions?: IpPermission[] }>(server, me, [
      'ec2', 'revoke-security-group-ingress', '--group-id', web, '--protocol', 'udp', '--port', '5353', '--cidr', '10.0.0.0/8',
    ]);
    assert.equal(unknown.Return, true);
    assert.deepEqual(unknown.UnknownIpPermissions, [perm({ IpProtocol: 'udp', FromPort: 5353, ToPort: 5353, IpRanges: [{ CidrIp: '10.0.0.0/8' }] })]);
    const described = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-ids', web]);
    assert.deepEqual(described.SecurityGroups[0]?.IpPermissions.map((p) => [p.IpProtocol, p.FromPort, p.ToPort]), [
      ['tcp', 443, 443],
      ['udp', 53, 53],
      ['tcp', 8080, 8080],
      ['-1', undefined, undefined],
    ]);
  });

  test('egress rules in a VPC created with create-vpc', async () => {
    const vpc = await awsJson<{ Vpc: { VpcId: string; CidrBlock: string; State: string; IsDefault: boolean; OwnerId: string } }>(server, me, [
      'ec2', 'create-vpc', '--cidr-block', '10.1.0.0/16',
    ]);
    const vpcId = vpc.Vpc.VpcId;
    assert.match(vpcId, /^vpc-[0-9a-f]{17}$/);
    assert.deepEqual([vpc.Vpc.CidrBlock, vpc.Vpc.State, vpc.Vpc.IsDefault, vpc.Vpc.OwnerId], ['10.1.0.0/16', 'pending', false, accountId]);
    const app = (await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'app', '--description', 'app tier', '--vpc-id', vpcId])).GroupId;
    const db = (await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'db', '--description', 'db tier', '--vpc-id', vpcId])).GroupId;

    const egress = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
      'ec2', 'authorize-security-group-egress', '--group-id', app,
      '--ip-permissions', JSON.stringify([
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: db, Description: 'to db' }] },
        { IpProtocol: 'udp', FromPort: 123, ToPort: 123, IpRanges: [{ CidrIp: '10.1.2.0/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8:1::/48' }] },
      ]),
    ]);
    const common = { GroupId: app, GroupOwnerId: accountId, IsEgress: true, Tags: [] };
    assert.deepEqual(rulesWithoutIds(egress.SecurityGroupRules), [
      { ...common, IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, ReferencedGroupInfo: { GroupId: db, UserId: accountId }, Description: 'to db' },
      { ...common, IpProtocol: 'udp', FromPort: 123, ToPort: 123, CidrIpv4: '10.1.2.0/24' },
      { ...common, IpProtocol: 'udp', FromPort: 123, ToPort: 123, CidrIpv6: '2001:db8:1::/48' },
    ]);
    const revoked = await awsJson<{ Return: boolean }>(server, me, [
      'ec2', 'revoke-security-group-egress', '--group-id', app, '--ip-permissions', JSON.stringify([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]),
    ]);
    assert.equal(revoked.Return, true);
    const described = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-ids', app]);
    assert.deepEqual(groupsWithoutArn(described.SecurityGroups, accountId), [
      {
        Description: 'app tier',
        GroupName: 'app',
        GroupId: app,
        OwnerId: accountId,
        VpcId: vpcId,
        IpPermissions: [],
        // VPC pairs carry no group name (spec/semantics.md §4.4).
        IpPermissionsEgress: [
          perm({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ UserId: accountId, GroupId: db, Description: 'to db' }] }),
          perm({ IpProtocol: 'udp', FromPort: 123, ToPort: 123, IpRanges: [{ CidrIp: '10.1.2.0/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8:1::/48' }] }),
        ],
      },
    ]);
    // Outside the default VPC, revoking a rule that does not exist is an error (spec/api.md §5.6).
    assert.equal(
      await awsError(server, me, ['ec2', 'revoke-security-group-ingress', '--group-id', app, '--protocol', 'tcp', '--port', '1', '--cidr', '1.2.3.4/32']),
      errorLine('InvalidPermission.NotFound', 'RevokeSecurityGroupIngress', 'The specified rule does not exist in this security group.'),
    );
    // db is referenced by app's egress rule (spec/semantics.md §7).
    assert.equal(
      await awsError(server, me, ['ec2', 'delete-security-group', '--group-id', db]),
      errorLine('DependencyViolation', 'DeleteSecurityGroup', `resource ${db} has a dependent object`),
    );
  });

  test('create-tags, then describe-security-groups --filters Name=tag:env,Values=prod', async () => {
    const api = (await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'api', '--description', 'api tier'])).GroupId;
    assert.equal(await awsJson(server, me, ['ec2', 'create-tags', '--resources', web, '--tags', 'Key=env,Value=prod', 'Key=team,Value=blue']), undefined);
    assert.equal(await awsJson(server, me, ['ec2', 'create-tags', '--resources', api, '--tags', 'Key=env,Value=dev']), undefined);
    const prod = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--filters', 'Name=tag:env,Values=prod']);
    assert.deepEqual(prod.SecurityGroups.map((g) => [g.GroupId, g.Tags]), [
      [
        web,
        [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: 'blue' },
        ],
      ],
    ]);
    const either = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--filters', 'Name=tag:env,Values=prod,dev', 'Name=vpc-id,Values=' + defaultVpcId]);
    assert.deepEqual(either.SecurityGroups.map((g) => g.GroupName), ['web', 'api']);
    const tags = await awsJson<{ Tags: { Key: string; ResourceId: string; ResourceType: string; Value: string }[] }>(server, me, [
      'ec2', 'describe-tags', '--filters', `Name=resource-id,Values=${web}`,
    ]);
    assert.deepEqual(tags.Tags, [
      { Key: 'env', ResourceId: web, ResourceType: 'security-group', Value: 'prod' },
      { Key: 'team', ResourceId: web, ResourceType: 'security-group', Value: 'blue' },
    ]);
    assert.equal(
      await awsError(server, me, ['ec2', 'create-tags', '--resources', 'sg-0000000f', '--tags', 'Key=env,Value=prod']),
      errorLine('InvalidGroup.NotFound', 'CreateTags', "The security group 'sg-0000000f' does not exist"),
    );
  });

  test('delete-security-group, then the group is gone', async () => {
    const api = (await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-names', 'api'])).SecurityGroups[0]?.GroupId ?? '';
    const deleted = await aws(server, me, ['ec2', 'delete-security-group', '--group-id', api]);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    // CLI 2.9.19 models no output for DeleteSecurityGroup; a newer one prints Return and GroupId.
    if (deleted.stdout.trim() !== '') assert.deepEqual(JSON.parse(deleted.stdout), { Return: true, GroupId: api });
    assert.equal(
      await awsError(server, me, ['ec2', 'describe-security-groups', '--group-ids', api]),
      errorLine('InvalidGroup.NotFound', 'DescribeSecurityGroups', `The security group '${api}' does not exist`),
    );
    assert.equal(
      await awsError(server, me, ['ec2', 'delete-security-group', '--group-name', 'api']),
      errorLine('InvalidGroup.NotFound', 'DeleteSecurityGroup', `The security group 'api' does not exist in default VPC '${defaultVpcId}'`),
    );
    assert.equal(
      await awsError(server, me, ['ec2', 'delete-security-group', '--group-name', 'default']),
      errorLine('CannotDelete', 'DeleteSecurityGroup', `the specified group: "${defaultGroupId}" name: "default" cannot be deleted by a user`),
    );
  });
});

// The seed's legacy examples (shared/seeds/000_…: `ec2-authorize …`), expressed as AWS CLI v2
// commands, must have the same effect in both account modes (spec/semantics.md §1).
for (const platform of ['classic', 'vpc-only'] as const) {
  describe(`seed CLI examples through AWS CLI v2, ${platform} account`, () => {
    let server: RunningStockade;
    let me: AccountCredentials;
    let accountId: string;
    /** The VPC of the VPC examples: one made with create-vpc (classic) or the default VPC (vpc-only). */
    let vpcId: string;
    let theirGroupId: string;
    let websrvId: string;
    before(async () => {
      requireAwsCli();
      server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: platform } });
      me = server.bootstrap;
      accountId = me.accountId;
      const other = await server.createAccount({ accountId: '999988887777', platform });
      theirGroupId = await setUp(server, other, { Action: 'CreateSecurityGroup', GroupName: 'OtherAccountGroup', GroupDescription: 'theirs' }, 'groupId');
      websrvId = await setUp(server, me, { Action: 'CreateSecurityGroup', GroupName: 'websrv', GroupDescription: 'Web Servers' }, 'groupId');
      vpcId =
        platform === 'classic'
          ? await setUp(server, me, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }, 'vpcId')
          : await setUp(server, me, { Action: 'DescribeVpcs', 'Filter.1.Name': 'is-default', 'Filter.1.Value.1': 'true' }, 'vpcId');
    });
    after(() => server?.stop());

    test('describe-account-attributes reports the account mode', async () => {
      const attributes = await awsJson<{ AccountAttributes: { AttributeName: string; AttributeValues: { AttributeValue: string }[] }[] }>(server, me, [
        'ec2', 'describe-account-attributes', '--attribute-names', 'supported-platforms', 'default-vpc',
      ]);
      const values = attributes.AccountAttributes.map((a) => [a.AttributeName, a.AttributeValues.map((v) => v.AttributeValue)]);
      // A classic account has EC2-Classic and no default VPC (spec/api.md §5.13).
      const expected = platform === 'classic' ? [['supported-platforms', ['EC2', 'VPC']], ['default-vpc', ['none']]] : [['supported-platforms', ['VPC']], ['default-vpc', [vpcId]]];
      assert.deepEqual(values, expected);
    });

    // ec2-authorize websrv -P tcp -p 80 -s 192.0.2.0/24
    test('example 1: websrv allows tcp 80 from 192.0.2.0/24', async () => {
      const authorized = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
        'ec2', 'authorize-security-group-ingress', '--group-name', 'websrv', '--protocol', 'tcp', '--port', '80', '--cidr', '192.0.2.0/24',
      ]);
      assert.equal(authorized.Return, true);
      assert.deepEqual(rulesWithoutIds(authorized.SecurityGroupRules), [
        { GroupId: websrvId, GroupOwnerId: accountId, IsEgress: false, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv4: '192.0.2.0/24', Tags: [] },
      ]);
      const ingress = [perm({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '192.0.2.0/24' }] })];
      // Classic: no VPC and no egress list; vpc-only: the default VPC with its allow-all egress (spec/semantics.md §1, §6.3).
      const expected =
        platform === 'classic'
          ? { Description: 'Web Servers', GroupName: 'websrv', GroupId: websrvId, OwnerId: accountId, IpPermissions: ingress, IpPermissionsEgress: [] }
          : {
              Description: 'Web Servers',
              GroupName: 'websrv',
              GroupId: websrvId,
              OwnerId: accountId,
              VpcId: vpcId,
              IpPermissions: ingress,
              IpPermissionsEgress: [perm({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] })],
            };
      const websrv = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-names', 'websrv']);
      assert.deepEqual(groupsWithoutArn(websrv.SecurityGroups, accountId), [expected]);
    });

    // ec2-authorize websrv -P tcp -p 80 -u 999988887777 -o OtherAccountGroup
    test('example 2: websrv allows tcp 80 from OtherAccountGroup of 999988887777', async () => {
      const args = ['ec2', 'authorize-security-group-ingress', '--group-name', 'websrv', '--protocol', 'tcp', '--port', '80', '--source-group', 'OtherAccountGroup', '--group-owner', '999988887777'];
      if (platform === 'vpc-only') {
        // Names resolve among the caller's own default-VPC groups only (spec/semantics.md §4.4).
        assert.equal(
          await awsError(server, me, args),
          errorLine('InvalidGroup.NotFound', 'AuthorizeSecurityGroupIngress', `The security group 'OtherAccountGroup' does not exist in default VPC '${vpcId}'`),
        );
        return;
      }
      const authorized = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, args);
      assert.deepEqual(
        authorized.SecurityGroupRules.map((r) => [r.IpProtocol, r.FromPort, r.ToPort, r.ReferencedGroupInfo]),
        [['tcp', 80, 80, { GroupId: theirGroupId, UserId: '999988887777' }]],
      );
      const websrv = (await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-names', 'websrv'])).SecurityGroups[0];
      // Classic pairs carry the group name too (spec/api.md §3.2).
      assert.deepEqual(websrv?.IpPermissions, [
        perm({
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
          IpRanges: [{ CidrIp: '192.0.2.0/24' }],
          UserIdGroupPairs: [{ GroupId: theirGroupId, GroupName: 'OtherAccountGroup', UserId: '999988887777' }],
        }),
      ]);
    });

    // ec2-authorize sg-eea7b782 -P tcp -p 80 -s 192.0.2.0/24 (a VPC group, by ID)
    // ec2-authorize --egress sg-eea7b782 -P tcp -p 1433 -o sg-80aebeec
    test('examples 3 and 4: a VPC group by ID, ingress tcp 80 from 192.0.2.0/24 and egress tcp 1433 to another group', async () => {
      const vpcArgs = platform === 'classic' ? ['--vpc-id', vpcId] : [];
      const webServers = (await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'VpcWebServers', '--description', 'VPC web servers', ...vpcArgs])).GroupId;
      const database = (await awsJson<{ GroupId: string }>(server, me, ['ec2', 'create-security-group', '--group-name', 'VpcDatabase', '--description', 'VPC database', ...vpcArgs])).GroupId;
      await awsJson(server, me, ['ec2', 'authorize-security-group-ingress', '--group-id', webServers, '--protocol', 'tcp', '--port', '80', '--cidr', '192.0.2.0/24']);
      const egress = await awsJson<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }>(server, me, [
        'ec2', 'authorize-security-group-egress', '--group-id', webServers, '--ip-permissions', `IpProtocol=tcp,FromPort=1433,ToPort=1433,UserIdGroupPairs=[{GroupId=${database}}]`,
      ]);
      assert.deepEqual(rulesWithoutIds(egress.SecurityGroupRules), [
        { GroupId: webServers, GroupOwnerId: accountId, IsEgress: true, IpProtocol: 'tcp', FromPort: 1433, ToPort: 1433, ReferencedGroupInfo: { GroupId: database, UserId: accountId }, Tags: [] },
      ]);
      const described = await awsJson<{ SecurityGroups: SecurityGroup[] }>(server, me, ['ec2', 'describe-security-groups', '--group-ids', webServers]);
      assert.deepEqual(groupsWithoutArn(described.SecurityGroups, accountId), [
        {
          Description: 'VPC web servers',
          GroupName: 'VpcWebServers',
          GroupId: webServers,
          OwnerId: accountId,
          VpcId: vpcId,
          IpPermissions: [perm({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '192.0.2.0/24' }] })],
          IpPermissionsEgress: [
            perm({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
            perm({ IpProtocol: 'tcp', FromPort: 1433, ToPort: 1433, UserIdGroupPairs: [{ UserId: accountId, GroupId: database }] }),
          ],
        },
      ]);
      if (platform === 'classic') {
        // A VPC group cannot be named in a classic account (spec/api.md §4 step 3, field).
        assert.equal(
          await awsError(server, me, ['ec2', 'authorize-security-group-ingress', '--group-name', 'VpcWebServers', '--protocol', 'tcp', '--port', '81', '--cidr', '192.0.2.0/24']),
          errorLine(
            'InvalidParameterValue',
            'AuthorizeSecurityGroupIngress',
            "Invalid value 'VpcWebServers' for groupName. You may not reference Amazon VPC security groups by name. Please use the corresponding id for this operation.",
          ),
        );
        // Egress exists only for VPC groups (spec/api.md §5.5).
        assert.equal(
          await awsError(server, me, ['ec2', 'authorize-security-group-egress', '--group-id', websrvId, '--ip-permissions', 'IpProtocol=tcp,FromPort=1433,ToPort=1433,IpRanges=[{CidrIp=10.0.0.0/8}]']),
          errorLine('InvalidParameterValue', 'AuthorizeSecurityGroupEgress', 'Only Amazon VPC security groups may be used with this operation.'),
        );
      }
    });
  });
}
