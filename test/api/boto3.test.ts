import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { awsCliEnv } from '../harness/clients.js';
import { REPO_ROOT, startStockade, type RunningStockade } from '../harness/stockade-process.js';

// boto3, one of the clients Stockade must serve unchanged, driven by a Python script
// (test/api/boto3-session.py) that prints what botocore parsed from each answer: its XML parser,
// waiters and paginators read our responses, not ours.

const run = promisify(execFile);
const SESSION = path.join(REPO_ROOT, 'test', 'api', 'boto3-session.py');

/**
 * The first Python that imports boto3: the one on PATH, else Debian's (`python3-boto3`, which
 * .ci/run installs when neither has it). Fails the suite with an actionable message otherwise.
 */
async function pythonWithBoto3(): Promise<string> {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      await run(python, ['-c', 'import boto3']);
      return python;
    } catch {
      // try the next one
    }
  }
  throw new Error('boto3 is required (Debian package "python3-boto3"; CI installs it). Install it to run these tests.');
}

interface Boto3Session {
  caller: string;
  web: string;
  app: string;
  authorizeReturn: boolean;
  authorizedRules: Record<string, unknown>[];
  duplicate: unknown;
  ipPermissions: unknown[];
  ipPermissionsEgress: unknown[];
  ruleCount: number;
  paginated: string[];
  revokeReturn: boolean;
  unknownAfterRevoke: unknown;
  inUse: unknown;
  afterDelete: unknown;
}

describe('boto3 against Stockade', () => {
  let server: RunningStockade;
  let session: Boto3Session;
  before(async () => {
    const python = await pythonWithBoto3();
    server = await startStockade();
    const { stdout } = await run(python, [SESSION, server.url], { env: awsCliEnv(server.bootstrap), timeout: 60_000 });
    session = JSON.parse(stdout) as Boto3Session;
  });
  after(async () => {
    await server?.stop();
  });

  test('STS GetCallerIdentity on the same endpoint names the account', () => {
    assert.equal(session.caller, server.bootstrap.accountId);
  });

  test('AuthorizeSecurityGroupIngress: Return and the new rules, as botocore parses them', () => {
    assert.equal(session.authorizeReturn, true);
    assert.deepEqual(session.authorizedRules, [
      { GroupId: session.web, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24', Description: 'ssh', ReferencedGroupId: null },
      { GroupId: session.web, IsEgress: false, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIpv4: null, Description: null, ReferencedGroupId: session.app },
    ]);
  });

  test('a duplicate rule is a ClientError with EC2 code, message and status (spec/errors.md §3.2)', () => {
    assert.deepEqual(session.duplicate, {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists',
      status: 400,
    });
  });

  test('DescribeSecurityGroups: permissions in both directions, and the default egress rule', () => {
    assert.deepEqual(session.ipPermissions, [
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'ssh' }], Ipv6Ranges: [], PrefixListIds: [] },
      {
        IpProtocol: 'udp',
        FromPort: 53,
        ToPort: 53,
        UserIdGroupPairs: [{ UserId: server.bootstrap.accountId, GroupId: session.app }],
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
      },
    ]);
    assert.deepEqual(session.ipPermissionsEgress, [{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);
    // Two ingress rules and the default egress rule (spec/semantics.md §6.2).
    assert.equal(session.ruleCount, 3);
  });

  test('the paginator follows NextToken with MaxResults 5, and the waiter saw the group', () => {
    assert.deepEqual(session.paginated, ['b3-app', 'b3-web']);
  });

  test('revoke: Return true, and a rule that does not exist comes back in UnknownIpPermissions (spec/api.md §5.6)', () => {
    assert.equal(session.revokeReturn, true);
    assert.deepEqual(session.unknownAfterRevoke, [
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
  });

  test('a referenced group cannot be deleted; a deleted group is not found', () => {
    assert.deepEqual(session.inUse, { code: 'DependencyViolation', message: `resource ${session.app} has a dependent object`, status: 400 });
    assert.deepEqual(session.afterDelete, { code: 'InvalidGroup.NotFound', message: `The security group '${session.web}' does not exist`, status: 400 });
  });
});
