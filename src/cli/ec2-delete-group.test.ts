import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main as deleteGroup } from './ec2-delete-group.js';
import { errorXmlForTest, runCommandForTest, xmlResponseForTest } from './legacy/recording-transport.js';

describe('ec2-delete-group', () => {
  const rows: { argv: string[]; target: string }[] = [
    { argv: ['websrv'], target: 'GroupName=websrv' },
    { argv: ['sg-1a2b3c4d'], target: 'GroupId=sg-1a2b3c4d' },
    // Any sg- prefix is an ID here (spec/cli.md §3.1).
    { argv: ['sg-1234567890abcdef0'], target: 'GroupId=sg-1234567890abcdef0' },
    { argv: ['SG-1a2b3c4d'], target: 'GroupName=SG-1a2b3c4d' },
  ];
  for (const row of rows) {
    it(`${row.argv[0]} → ${row.target}`, async () => {
      const run = await runCommandForTest(deleteGroup, row.argv);
      assert.deepEqual([run.status, run.stdout, run.stderr], [0, 'RETURN\ttrue\n', '']);
      const params = run.requests[0]?.params.map(([n, v]) => `${n}=${v}`) ?? [];
      assert.deepEqual(params.slice(0, 3), ['Action=DeleteSecurityGroup', 'Version=2013-02-01', row.target]);
    });
  }

  it('prints RETURN true even when <return> is false, and no header with -H', async () => {
    const run = await runCommandForTest(deleteGroup, ['websrv', '-H'], {
      respond: () => xmlResponseForTest(200, '<DeleteSecurityGroupResponse><return>false</return></DeleteSecurityGroupResponse>'),
    });
    assert.equal(run.stdout, 'RETURN\ttrue\n');
  });

  it('spec/cli.md §7 example 13: not found', async () => {
    const run = await runCommandForTest(deleteGroup, ['nosuch'], {
      respond: () => xmlResponseForTest(400, errorXmlForTest('InvalidGroup.NotFound', "The security group 'nosuch' does not exist")),
    });
    assert.deepEqual([run.status, run.stdout, run.stderr], [1, '', "Client.InvalidGroup.NotFound: The security group 'nosuch' does not exist\n"]);
  });

  it('requires GROUP', async () => {
    const run = await runCommandForTest(deleteGroup, []);
    assert.deepEqual([run.status, run.stderr, run.requests.length], [1, "Required parameter 'GROUP' missing (-h for usage)\n", 0]);
  });
});
