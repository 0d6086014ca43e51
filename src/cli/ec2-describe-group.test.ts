import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main as describeGroup } from './ec2-describe-group.js';
import { runCommandForTest, xmlResponseForTest, type RecordedRequestForTest } from './legacy/recording-transport.js';

const tabs = (text: string): string => text.replaceAll('⇥', '\t');
const AUTH_PARAMS = new Set(['AWSAccessKeyId', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'Signature']);
const actionParams = (recorded: RecordedRequestForTest | undefined): string[] =>
  (recorded?.params ?? []).filter(([name]) => !AUTH_PARAMS.has(name)).slice(2).map(([name, value]) => `${name}=${value}`);

const EMPTY = '<DescribeSecurityGroupsResponse><requestId>r</requestId><securityGroupInfo/></DescribeSecurityGroupsResponse>';
const respondEmpty = () => xmlResponseForTest(200, EMPTY);

describe('ec2-describe-group requests (spec/cli.md §3.1, §4)', () => {
  const rows: { argv: string[]; params: string[] }[] = [
    { argv: [], params: [] },
    { argv: ['sg-1a2b3c4d', 'websrv'], params: ['GroupId.1=sg-1a2b3c4d', 'GroupName.1=websrv'] },
    // Only sg- + 8 lower-case hex is an ID for describe.
    {
      argv: ['sg-1234567890abcdef0', 'SG-12345678', 'sg-1A2B3C4D', 'sg-00000001'],
      params: ['GroupName.1=sg-1234567890abcdef0', 'GroupName.2=SG-12345678', 'GroupName.3=sg-1A2B3C4D', 'GroupId.1=sg-00000001'],
    },
    // §4's merging example.
    {
      argv: ['-F', 'ip-permission.from-port=22', '-F', 'group-name=web*', '-F', 'group-name=db'],
      params: ['Filter.1.Name=ip-permission.from-port', 'Filter.1.Value.1=22', 'Filter.2.Name=group-name', 'Filter.2.Value.1=web*', 'Filter.2.Value.2=db'],
    },
    { argv: ['web', '--filter', 'vpc-id=vpc-1'], params: ['GroupName.1=web', 'Filter.1.Name=vpc-id', 'Filter.1.Value.1=vpc-1'] },
  ];
  for (const row of rows) {
    it(row.argv.join(' ') || '(all groups)', async () => {
      const run = await runCommandForTest(describeGroup, row.argv, { respond: respondEmpty });
      assert.deepEqual([run.status, run.stdout, run.stderr], [0, '', '']);
      assert.deepEqual(run.requests.map((r) => r.action), ['DescribeSecurityGroups']);
      assert.deepEqual(actionParams(run.requests[0]), row.params);
    });
  }

  it('rejects a filter without =', async () => {
    const run = await runCommandForTest(describeGroup, ['-F', 'group-name'], { respond: respondEmpty });
    assert.deepEqual([run.status, run.stderr, run.requests.length], [1, "Invalid argument for option '-F, --filter FILTER': 'group-name' (-h for usage)\n", 0]);
  });
});

// spec/cli.md §7 example 12 (real AWS Classic default group), as a 2013-02-01 response.
const DEFAULT_GROUP = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2013-02-01/">
  <requestId>r</requestId>
  <securityGroupInfo>
    <item>
      <ownerId>693041077886</ownerId><groupId>sg-33d1045a</groupId><groupName>default</groupName><groupDescription>default group</groupDescription>
      <ipPermissions>
        ${['tcp:0:65535', 'udp:0:65535', 'icmp:-1:-1']
          .map((spec) => spec.split(':'))
          .map(
            ([protocol, from, to]) =>
              `<item><ipProtocol>${protocol}</ipProtocol><fromPort>${from}</fromPort><toPort>${to}</toPort><groups><item><userId>693041077886</userId><groupId>sg-33d1045a</groupId><groupName>default</groupName></item></groups><ipRanges/></item>`,
          )
          .join('')}
      </ipPermissions>
      <ipPermissionsEgress/>
      <tagSet><item><key>env</key><value>prod</value></item></tagSet>
    </item>
  </securityGroupInfo>
</DescribeSecurityGroupsResponse>`;

describe('ec2-describe-group output', () => {
  it('spec/cli.md §7 example 12, with its trailing empty VpcID and GRPNAME', async () => {
    const run = await runCommandForTest(describeGroup, [], { respond: () => xmlResponseForTest(200, DEFAULT_GROUP) });
    assert.equal(
      run.stdout,
      tabs(
        [
          'GROUP⇥sg-33d1045a⇥693041077886⇥default⇥default group⇥',
          'PERMISSION⇥693041077886⇥default⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥693041077886⇥GRPNAME default⇥ID sg-33d1045a⇥ingress',
          'PERMISSION⇥693041077886⇥default⇥ALLOWS⇥udp⇥0⇥65535⇥FROM⇥USER⇥693041077886⇥GRPNAME default⇥ID sg-33d1045a⇥ingress',
          'PERMISSION⇥693041077886⇥default⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥USER⇥693041077886⇥GRPNAME default⇥ID sg-33d1045a⇥ingress',
          'TAG⇥GROUP⇥sg-33d1045a⇥env⇥prod',
          '',
        ].join('\n'),
      ),
    );
  });

  it('-H adds the header line; --hide-tags drops TAG lines', async () => {
    const run = await runCommandForTest(describeGroup, ['-H', '--hide-tags'], { respond: () => xmlResponseForTest(200, DEFAULT_GROUP) });
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], tabs('GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID'));
    assert.equal(lines.length, 6);
    assert.ok(!run.stdout.includes('TAG'));
  });

  it('reports a body that is not a describe response', async () => {
    const run = await runCommandForTest(describeGroup, [], { respond: () => xmlResponseForTest(200, 'hello') });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^Unknown problem connecting to host: 'http:\/\/127\.0\.0\.1:5001'\nUnable to unmarshall response \(.+\)\n$/);
  });
});
