import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sigV2Signature, sigV2StringToSign } from '../api/auth/sigv2.js';
import { main as authorize } from './ec2-authorize.js';
import { main as revoke } from './ec2-revoke.js';
import {
  errorXmlForTest,
  returnXmlForTest,
  runCommandForTest,
  TEST_ENV_FOR_TEST,
  xmlResponseForTest,
  type RecordedRequestForTest,
  type ResponderForTest,
} from './legacy/recording-transport.js';

const tabs = (text: string): string => text.replaceAll('⇥', '\t');
const AUTH_PARAMS = new Set(['AWSAccessKeyId', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'Signature', 'SecurityToken']);
const actionParams = (recorded: RecordedRequestForTest | undefined): string[] =>
  (recorded?.params ?? []).filter(([name]) => !AUTH_PARAMS.has(name)).map(([name, value]) => `${name}=${value}`);

function describeXml(groupId: string, vpcId: string | undefined): string {
  return `<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2013-02-01/"><requestId>r</requestId><securityGroupInfo><item><ownerId>111122223333</ownerId><groupId>${groupId}</groupId><groupName>g</groupName><groupDescription>d</groupDescription>${vpcId === undefined ? '' : `<vpcId>${vpcId}</vpcId>`}<ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo></DescribeSecurityGroupsResponse>`;
}

/** Answers the pre-check with a group in `vpcId` (Classic when undefined) and `<return>true</return>` otherwise. */
function platformResponder(vpcId: string | undefined): ResponderForTest {
  return (recorded) =>
    recorded.action === 'DescribeSecurityGroups'
      ? xmlResponseForTest(200, describeXml(recorded.params.find(([n]) => n === 'GroupId.1')?.[1] ?? '', vpcId))
      : xmlResponseForTest(200, returnXmlForTest(recorded.action));
}

describe('ec2-authorize by name: one request, echo on stdout (seed examples 1 and 2)', () => {
  it('seed 1', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24']);
    assert.deepEqual(
      [run.status, run.stdout, run.stderr],
      [0, tabs('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n'), ''],
    );
    assert.deepEqual(run.requests.map((r) => r.action), ['AuthorizeSecurityGroupIngress']);
    assert.deepEqual(actionParams(run.requests[0]), [
      'Action=AuthorizeSecurityGroupIngress',
      'Version=2013-02-01',
      'GroupName=websrv',
      'IpPermissions.1.IpProtocol=tcp',
      'IpPermissions.1.FromPort=80',
      'IpPermissions.1.ToPort=80',
      'IpPermissions.1.IpRanges.1.CidrIp=192.0.2.0/24',
    ]);
    assert.ok(run.closed);
  });

  it('seed 2', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-P', 'tcp', '-p', '80', '-u', '999988887777', '-o', 'OtherAccountGroup']);
    assert.equal(
      run.stdout,
      tabs('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥USER⇥999988887777⇥GRPNAME OtherAccountGroup⇥⇥ingress\n'),
    );
    assert.deepEqual(actionParams(run.requests[0]).slice(3), [
      'IpPermissions.1.IpProtocol=tcp',
      'IpPermissions.1.FromPort=80',
      'IpPermissions.1.ToPort=80',
      'IpPermissions.1.Groups.1.GroupName=OtherAccountGroup',
      'IpPermissions.1.Groups.1.UserId=999988887777',
    ]);
  });

  it('signs every request so that SigV2 verification succeeds', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22']);
    const recorded = run.requests[0];
    assert.ok(recorded !== undefined);
    const signature = recorded.params.find(([name]) => name === 'Signature')?.[1];
    const expected = sigV2Signature(
      sigV2StringToSign('POST', '127.0.0.1:5001', '/', recorded.params.map(([n, v]): [string, string] => [n, v])),
      TEST_ENV_FOR_TEST['AWS_SECRET_KEY'] ?? '',
      'HmacSHA256',
    );
    assert.equal(signature, expected);
  });
});

describe('ec2-authorize by ID: DescribeSecurityGroups pre-check first (seed examples 3 and 4)', () => {
  it('seed 3 (VPC group)', async () => {
    const run = await runCommandForTest(authorize, ['sg-eea7b782', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24'], { respond: platformResponder('vpc-1a2b3c4d') });
    assert.equal(run.stdout, tabs('GROUP⇥sg-eea7b782⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n'));
    assert.deepEqual(run.requests.map(actionParams), [
      ['Action=DescribeSecurityGroups', 'Version=2013-02-01', 'GroupId.1=sg-eea7b782'],
      [
        'Action=AuthorizeSecurityGroupIngress',
        'Version=2013-02-01',
        'GroupId=sg-eea7b782',
        'IpPermissions.1.IpProtocol=tcp',
        'IpPermissions.1.FromPort=80',
        'IpPermissions.1.ToPort=80',
        'IpPermissions.1.IpRanges.1.CidrIp=192.0.2.0/24',
      ],
    ]);
  });

  it('seed 4 (egress to a group)', async () => {
    const run = await runCommandForTest(authorize, ['--egress', 'sg-eea7b782', '-P', 'tcp', '-p', '1433', '-o', 'sg-80aebeec'], {
      respond: platformResponder('vpc-1a2b3c4d'),
    });
    assert.equal(run.stdout, tabs('GROUP⇥sg-eea7b782⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO⇥USER⇥⇥⇥ID sg-80aebeec⇥egress\n'));
    assert.deepEqual(actionParams(run.requests[1]), [
      'Action=AuthorizeSecurityGroupEgress',
      'Version=2013-02-01',
      'GroupId=sg-eea7b782',
      'IpPermissions.1.IpProtocol=tcp',
      'IpPermissions.1.FromPort=1433',
      'IpPermissions.1.ToPort=1433',
      'IpPermissions.1.Groups.1.GroupId=sg-80aebeec',
    ]);
  });

  it('api.md §6.1: --egress -P all on a VPC group', async () => {
    const run = await runCommandForTest(authorize, ['sg-5a2b3c4d', '--egress', '-P', 'all', '-s', '0.0.0.0/0'], { respond: platformResponder('vpc-1a2b3c4d') });
    assert.deepEqual(actionParams(run.requests[1]), [
      'Action=AuthorizeSecurityGroupEgress',
      'Version=2013-02-01',
      'GroupId=sg-5a2b3c4d',
      'IpPermissions.1.IpProtocol=-1',
      'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0',
    ]);
    assert.equal(run.stdout, tabs('GROUP⇥sg-5a2b3c4d⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥-1⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress\n'));
  });

  it('an ID whose pre-check shows no vpcId is validated as non-VPC, after the pre-check only', async () => {
    const run = await runCommandForTest(authorize, ['sg-1a2b3c4d', '-P', 'all'], { respond: platformResponder(undefined) });
    assert.deepEqual([run.status, run.stdout], [1, '']);
    assert.equal(run.stderr, 'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)\n');
    assert.deepEqual(run.requests.map((r) => r.action), ['DescribeSecurityGroups']);
  });

  it('a failing pre-check is the error printed', async () => {
    const run = await runCommandForTest(authorize, ['sg-x', '-p', '22'], {
      respond: () => xmlResponseForTest(400, errorXmlForTest('InvalidGroupId.Malformed', 'Invalid id: "sg-x" (expecting "sg-...")')),
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', 'Client.InvalidGroupId.Malformed: Invalid id: "sg-x" (expecting "sg-...")\n']);
  });
});

describe('ec2-authorize usage errors send nothing', () => {
  const rows: { argv: string[]; env?: Record<string, string>; stderr: string }[] = [
    { argv: [], stderr: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { argv: ['websrv', '-p', '22', '--bogus'], stderr: 'Unrecognized option: --bogus (use -h for usage)\n' },
    { argv: ['websrv', '-p', '22'], env: {}, stderr: "Required option '-O, --aws-access-key KEY' missing (-h for usage)\n" },
    { argv: ['websrv', '-p', '22'], env: { AWS_ACCESS_KEY: 'AK' }, stderr: "Required option '-W, --aws-secret-key KEY' missing (-h for usage)\n" },
    { argv: ['websrv', '-P', 'gre'], stderr: 'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)\n' },
    { argv: ['websrv', '-p', '80-'], stderr: "Invalid range specified: '80-' (use m-n)\n" },
    { argv: ['sg-1a2b3c4d', '-p', 'x'], stderr: "Invalid range specified: 'x' (use m-n)\n" },
    { argv: ['websrv', '-o', 'a', '-s', '10.0.0.0/8', '-u', '111122223333'], stderr: 'Specify either source groups or source CIDRs, not both. (-h for usage)\n' },
    { argv: ['websrv', '-p', '22', '--dest-subnet', '10.0.0.0/8'], stderr: 'Specify --dest-subnet for egress requests only. (-h for usage)\n' },
  ];
  for (const row of rows) {
    it(row.argv.join(' ') || '(no arguments)', async () => {
      const run = await runCommandForTest(authorize, row.argv, row.env === undefined ? {} : { env: row.env });
      assert.deepEqual([run.status, run.stdout, run.stderr, run.requests.length], [1, '', row.stderr, 0]);
    });
  }
});

describe('ec2-authorize service errors', () => {
  it('prints Client.<Code>: <Message> for 4xx and nothing on stdout', async () => {
    const message = 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists';
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22'], {
      respond: () => xmlResponseForTest(400, errorXmlForTest('InvalidPermission.Duplicate', message.replaceAll('"', '&quot;'))),
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', `Client.InvalidPermission.Duplicate: ${message}\n`]);
  });

  it('prints Service.<Code>: <Message> for 5xx', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22'], {
      respond: () => xmlResponseForTest(503, errorXmlForTest('RequestLimitExceeded', 'Request limit exceeded.')),
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', 'Service.RequestLimitExceeded: Request limit exceeded.\n']);
  });
});

describe('ec2-authorize general options', () => {
  it('-h prints help and sends nothing, even without credentials', async () => {
    const run = await runCommandForTest(authorize, ['-h'], { env: {} });
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^SYNOPSIS\n {3}ec2-authorize \[GENERAL OPTIONS\] GROUP \[--egress\]/);
    assert.match(run.stdout, /EC2_REGION/);
    assert.deepEqual([run.stderr, run.requests.length], ['', 0]);
  });

  it('-H prints the GROUP header first', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22', '-H']);
    assert.equal(run.stdout, tabs('GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID\nGROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress\n'));
  });

  it('--show-empty-fields prints (nil) and FROM(nil)', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-P', 'udp', '-p', '53', '-s', '10.0.0.0/8', '--show-empty-fields']);
    assert.equal(
      run.stdout,
      tabs('GROUP⇥(nil)⇥(nil)⇥websrv⇥(nil)⇥(nil)\nPERMISSION⇥(nil)⇥websrv⇥ALLOWS⇥udp⇥53⇥53⇥FROM(nil)⇥CIDR⇥10.0.0.0/8⇥ingress\n'),
    );
  });

  it('--debug prints the access key first', async () => {
    const run = await runCommandForTest(authorize, ['--debug', 'websrv', '-p', '22']);
    assert.ok(run.stdout.startsWith('Using AWS acces key: AKIDEXAMPLE\nGROUP\t'));
  });

  it('-T and AWS_DELEGATION_TOKEN send SecurityToken', async () => {
    const fromEnv = await runCommandForTest(authorize, ['websrv', '-p', '22'], { env: { ...TEST_ENV_FOR_TEST, AWS_DELEGATION_TOKEN: 'ENVTOKEN' } });
    assert.equal(fromEnv.requests[0]?.params.find(([n]) => n === 'SecurityToken')?.[1], 'ENVTOKEN');
    const fromOption = await runCommandForTest(authorize, ['websrv', '-p', '22', '-T', 'OPTTOKEN'], { env: { ...TEST_ENV_FOR_TEST, AWS_DELEGATION_TOKEN: 'ENVTOKEN' } });
    assert.equal(fromOption.requests[0]?.params.find(([n]) => n === 'SecurityToken')?.[1], 'OPTTOKEN');
  });

  it('-U overrides EC2_URL for the request and the signature', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22', '-U', 'http://localhost:8773/services/compute']);
    const request = run.requests[0]?.request;
    assert.equal(request?.url.href, 'http://localhost:8773/services/compute');
    assert.deepEqual(request?.headers.find(([name]) => name === 'Host'), ['Host', 'localhost:8773']);
  });

  it('-v prints the wire log of both requests, then the records', async () => {
    const run = await runCommandForTest(authorize, ['-v', 'sg-5a2b3c4d', '-P', 'all'], { respond: platformResponder('vpc-1a2b3c4d') });
    const lines = run.stdout.split('\n');
    const wire = lines.filter((line) => / \[main\] DEBUG org\.apache\.http\.wire - (>>|<<) "/.test(line));
    assert.equal(wire.filter((line) => line.endsWith('>> "POST / HTTP/1.1[\\r][\\n]"')).length, 2);
    assert.equal(wire.filter((line) => line.endsWith('<< "HTTP/1.1 200 OK[\\r][\\n]"')).length, 2);
    assert.deepEqual(lines.slice(wire.length), [tabs('GROUP⇥sg-5a2b3c4d⇥⇥⇥⇥'), tabs('PERMISSION⇥⇥⇥ALLOWS⇥-1⇥⇥⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress'), '']);
  });

  it('reads a - value from stdin after announcing it', async () => {
    const run = await runCommandForTest(authorize, ['websrv', '-p', '22', '-s', '-'], { stdin: '10.0.0.0/8\n192.0.2.0/24\n' });
    assert.equal(
      run.stdout,
      tabs(
        '-- waiting for stdin --\nGROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥10.0.0.0/8⇥ingress\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n',
      ),
    );
  });
});

describe('ec2-revoke', () => {
  it('sends RevokeSecurityGroupIngress and prints what ec2-authorize prints (spec/cli.md §7 example 8)', async () => {
    const argv = ['websrv', '-o', 'other', '-u', '123456789012'];
    const revoked = await runCommandForTest(revoke, argv);
    const authorized = await runCommandForTest(authorize, argv);
    assert.equal(revoked.status, 0);
    assert.equal(revoked.stdout, authorized.stdout);
    assert.deepEqual(revoked.requests.map((r) => r.action), ['RevokeSecurityGroupIngress']);
    assert.deepEqual(actionParams(revoked.requests[0]).slice(1), actionParams(authorized.requests[0]).slice(1));
  });

  it('sends RevokeSecurityGroupEgress after the pre-check', async () => {
    const run = await runCommandForTest(revoke, ['sg-5a2b3c4d', '--egress', '-P', '-1', '-s', '0.0.0.0/0'], { respond: platformResponder('vpc-1a2b3c4d') });
    assert.deepEqual(run.requests.map((r) => r.action), ['DescribeSecurityGroups', 'RevokeSecurityGroupEgress']);
    assert.equal(run.stdout, tabs('GROUP⇥sg-5a2b3c4d⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥-1⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress\n'));
  });

  it('has its own help', async () => {
    const run = await runCommandForTest(revoke, ['--help']);
    assert.match(run.stdout, /^SYNOPSIS\n {3}ec2-revoke \[GENERAL OPTIONS\] GROUP/);
  });
});
