import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main as createGroup } from './ec2-create-group.js';
import { errorXmlForTest, runCommandForTest, xmlResponseForTest, type RecordedRequestForTest } from './legacy/recording-transport.js';

const tabs = (text: string): string => text.replaceAll('⇥', '\t');
const AUTH_PARAMS = new Set(['AWSAccessKeyId', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'Signature']);
const actionParams = (recorded: RecordedRequestForTest | undefined): string[] =>
  (recorded?.params ?? []).filter(([name]) => !AUTH_PARAMS.has(name)).map(([name, value]) => `${name}=${value}`);
const created = (groupId: string) => () =>
  xmlResponseForTest(
    200,
    `<CreateSecurityGroupResponse xmlns="http://ec2.amazonaws.com/doc/2013-02-01/"><requestId>r</requestId><return>true</return><groupId>${groupId}</groupId></CreateSecurityGroupResponse>`,
  );

describe('ec2-create-group', () => {
  it('spec/cli.md §7 example 9', async () => {
    const run = await runCommandForTest(createGroup, ['websrv', '-d', 'Web Servers'], { respond: created('sg-1a2b3c4d') });
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, tabs('GROUP⇥sg-1a2b3c4d⇥websrv⇥Web Servers\n'), '']);
    assert.deepEqual(actionParams(run.requests[0]), ['Action=CreateSecurityGroup', 'Version=2013-02-01', 'GroupName=websrv', 'GroupDescription=Web Servers']);
  });

  it('sends VpcId from -c and prints the create header with -H', async () => {
    const run = await runCommandForTest(createGroup, ['-H', '-c', 'vpc-1a2b3c4d', 'db', '--description', 'Databases'], { respond: created('sg-00c0ffee') });
    assert.equal(run.stdout, tabs('Type⇥Id⇥Name⇥Description\nGROUP⇥sg-00c0ffee⇥db⇥Databases\n'));
    assert.deepEqual(actionParams(run.requests[0]).slice(2), ['GroupName=db', 'GroupDescription=Databases', 'VpcId=vpc-1a2b3c4d']);
  });

  it('accepts a description starting with a dash', async () => {
    const run = await runCommandForTest(createGroup, ['g', '-d', '-- internal --'], { respond: created('sg-00c0ffee') });
    assert.equal(run.stdout, tabs('GROUP⇥sg-00c0ffee⇥g⇥-- internal --\n'));
  });

  const usageRows: { argv: string[]; stderr: string }[] = [
    { argv: ['websrv'], stderr: "Required option '-d, --description GROUP-DESCRIPTION' missing (-h for usage)\n" },
    { argv: ['-d', 'x'], stderr: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { argv: ['a', 'b', '-d', 'x'], stderr: "Unexpected parameter 'b' encountered (-h for usage)\n" },
    { argv: ['a', '-d', 'x', '--egress'], stderr: 'Unrecognized option: --egress (use -h for usage)\n' },
  ];
  for (const row of usageRows) {
    it(`usage: ${row.argv.join(' ')}`, async () => {
      const run = await runCommandForTest(createGroup, row.argv);
      assert.deepEqual([run.status, run.stdout, run.stderr, run.requests.length], [1, '', row.stderr, 0]);
    });
  }

  it('prints the service error', async () => {
    const run = await runCommandForTest(createGroup, ['websrv', '-d', 'x'], {
      respond: () => xmlResponseForTest(400, errorXmlForTest('InvalidGroup.Duplicate', "The security group 'websrv' already exists")),
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', "Client.InvalidGroup.Duplicate: The security group 'websrv' already exists\n"]);
  });

  it('needs groupId in the response', async () => {
    const run = await runCommandForTest(createGroup, ['websrv', '-d', 'x'], {
      respond: () => xmlResponseForTest(200, '<CreateSecurityGroupResponse><return>true</return></CreateSecurityGroupResponse>'),
    });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, "Unknown problem connecting to host: 'http://127.0.0.1:5001'\nUnable to unmarshall response (no CreateSecurityGroupResponse/groupId element)\n");
  });
});
