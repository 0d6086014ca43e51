import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { query } from '../harness/query-client.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';
import { collapseTabs, createdGroupId, legacyEnv, legacyUser, runLegacy, tabs, type LegacyRun, type LegacyUser } from './legacy-cli.js';

// Golden end-to-end: the real bin/ec2* executables against a real Stockade server, in an account
// of platform `classic` (EC2-Classic groups, no default VPC). Expected output is exact, with TABs
// written as ⇥ (spec/cli.md §5, §7), and `GRPNAME` for the peer name as in the seed.

const ME = '111122223333';
const THEM = '999988887777';

function ok(stdout: string): Omit<LegacyRun, 'status'> & { status: number } {
  return { status: 0, stdout: tabs(stdout), stderr: '' };
}
function failed(stderr: string): Omit<LegacyRun, 'status'> & { status: number } {
  return { status: 1, stdout: '', stderr };
}

describe('legacy commands, classic account', () => {
  let server: RunningStockade;
  let me: LegacyUser;
  let them: LegacyUser;
  let websrvId: string;

  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'classic', STOCKADE_BOOTSTRAP_ACCOUNT_ID: ME } });
    me = legacyUser(server, server.bootstrap);
    them = legacyUser(server, await server.createAccount({ accountId: THEM, platform: 'classic' }));
  });
  after(() => server.stop());

  test('§7 example 9: ec2addgrp websrv -d "Web Servers"', async () => {
    const run = await me.run('ec2addgrp', 'websrv', '-d', 'Web Servers');
    websrvId = createdGroupId(run);
    assert.deepEqual(run, ok(`GROUP⇥${websrvId}⇥websrv⇥Web Servers\n`));
  });

  test('seed 1: ec2-authorize websrv -P tcp -p 80 -s 192.0.2.0/24', async () => {
    const run = await me.run('ec2-authorize', 'websrv', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24');
    assert.deepEqual(run, ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n'));
    assert.equal(collapseTabs(run.stdout), 'GROUP websrv\nPERMISSION websrv ALLOWS tcp 80 80 FROM CIDR 192.0.2.0/24 ingress\n');
  });

  test('seed 2: ec2-authorize websrv -P tcp -p 80 -u 999988887777 -o OtherAccountGroup', async () => {
    createdGroupId(await them.run('ec2-create-group', 'OtherAccountGroup', '-d', 'theirs'));
    const run = await me.run('ec2-authorize', 'websrv', '-P', 'tcp', '-p', '80', '-u', THEM, '-o', 'OtherAccountGroup');
    assert.deepEqual(run, ok(`GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥USER⇥${THEM}⇥GRPNAME OtherAccountGroup⇥⇥ingress\n`));
    assert.equal(
      collapseTabs(run.stdout),
      'GROUP websrv\nPERMISSION websrv ALLOWS tcp 80 80 FROM USER 999988887777 GRPNAME OtherAccountGroup ingress\n',
    );
  });

  test('§7 example 2: protocol and CIDR defaulted', async () => {
    const run = await me.run('ec2auth', 'websrv', '-p', '443');
    assert.deepEqual(run, ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥443⇥443⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress\n'));
  });

  test('§7 example 13: the same rule again is a duplicate', async () => {
    const run = await me.run('ec2auth', 'websrv', '-p', '443');
    assert.deepEqual(
      run,
      failed('Client.InvalidPermission.Duplicate: the specified rule "peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW" already exists\n'),
    );
  });

  test('§7 example 3: group peer without -P gives tcp, udp and icmp', async () => {
    createdGroupId(await me.run('ec2addgrp', 'other', '-d', 'other'));
    const run = await me.run('ec2auth', 'websrv', '-o', 'other', '-u', ME);
    assert.deepEqual(
      run,
      ok(
        [
          'GROUP⇥⇥⇥websrv⇥⇥',
          `PERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥${ME}⇥GRPNAME other⇥⇥ingress`,
          `PERMISSION⇥⇥websrv⇥ALLOWS⇥udp⇥0⇥65535⇥FROM⇥USER⇥${ME}⇥GRPNAME other⇥⇥ingress`,
          `PERMISSION⇥⇥websrv⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥USER⇥${ME}⇥GRPNAME other⇥⇥ingress`,
          '',
        ].join('\n'),
      ),
    );
  });

  test('§7 example 4: two CIDRs, two lines', async () => {
    const run = await me.run('ec2auth', 'websrv', '-P', 'udp', '-p', '1000-2000', '-s', '10.1.0.0/16', '-s', '10.2.0.0/16');
    assert.deepEqual(
      run,
      ok(
        'GROUP⇥⇥⇥websrv⇥⇥\n' +
          'PERMISSION⇥⇥websrv⇥ALLOWS⇥udp⇥1000⇥2000⇥FROM⇥CIDR⇥10.1.0.0/16⇥ingress\n' +
          'PERMISSION⇥⇥websrv⇥ALLOWS⇥udp⇥1000⇥2000⇥FROM⇥CIDR⇥10.2.0.0/16⇥ingress\n',
      ),
    );
  });

  test('values starting with a dash: -p -1 and -t -1:-1', async () => {
    assert.deepEqual(
      await me.run('ec2auth', 'websrv', '-P', 'tcp', '-p', '-1', '-s', '198.51.100.0/24'),
      ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥CIDR⇥198.51.100.0/24⇥ingress\n'),
    );
    assert.deepEqual(
      await me.run('ec2auth', 'websrv', '-t', '-1:-1', '-P', 'icmp', '-s', '198.51.100.0/24'),
      ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥CIDR⇥198.51.100.0/24⇥ingress\n'),
    );
  });

  test('§7 example 8: ec2revoke prints what ec2auth printed; a missing Classic rule revokes silently', async () => {
    const expected = ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥CIDR⇥198.51.100.0/24⇥ingress\n');
    assert.deepEqual(await me.run('ec2revoke', 'websrv', '-P', 'tcp', '-p', '-1', '-s', '198.51.100.0/24'), expected);
    assert.deepEqual(await me.run('ec2-revoke', 'websrv', '-P', 'tcp', '-p', '-1', '-s', '198.51.100.0/24'), expected);
  });

  test('an sg- target is pre-checked and validated as non-VPC', async () => {
    assert.deepEqual(
      await me.run('ec2auth', websrvId, '-P', 'tcp', '-p', '8080'),
      ok(`GROUP⇥${websrvId}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥8080⇥8080⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress\n`),
    );
    assert.deepEqual(
      await me.run('ec2auth', websrvId, '-P', 'all', '-s', '10.0.0.0/8'),
      failed('Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)\n'),
    );
    assert.deepEqual(await me.run('ec2auth', 'sg-0badf00d', '-p', '22'), failed("Client.InvalidGroup.NotFound: The security group 'sg-0badf00d' does not exist\n"));
  });

  test('§7 example 11 (Classic group) and the GRPNAME peer field', async () => {
    const id = createdGroupId(await me.run('ec2addgrp', 'WebServers', '-d', 'Web Servers'));
    const theirId = createdGroupId(await them.run('ec2addgrp', 'other-acct', '-d', 'theirs'));
    assert.equal((await me.run('ec2auth', 'WebServers', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24')).status, 0);
    assert.equal((await me.run('ec2auth', 'WebServers', '-P', 'tcp', '-p', '0-65535', '-u', THEM, '-o', 'other-acct')).status, 0);
    assert.equal((await me.run('ec2auth', 'WebServers', '-P', 'icmp', '-t', '-1:-1')).status, 0);
    const lines = [
      `GROUP⇥${id}⇥${ME}⇥WebServers⇥Web Servers⇥`,
      `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress`,
      `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥${THEM}⇥GRPNAME other-acct⇥ID ${theirId}⇥ingress`,
      `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress`,
    ];
    assert.deepEqual(await me.run('ec2dgrp', 'WebServers'), ok(`${lines.join('\n')}\n`));
    assert.deepEqual(await me.run('ec2-describe-group', id), ok(`${lines.join('\n')}\n`));
    // -H: one header line first (§5.6).
    assert.deepEqual(await me.run('ec2dgrp', '-H', 'WebServers'), ok(`GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID\n${lines.join('\n')}\n`));
    // --show-empty-fields: (nil), FROM(nil) (§5.7).
    assert.deepEqual(
      await me.run('ec2dgrp', '--show-empty-fields', 'WebServers'),
      ok(
        [
          `GROUP⇥${id}⇥${ME}⇥WebServers⇥Web Servers⇥(nil)`,
          `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥tcp⇥80⇥80⇥FROM(nil)⇥CIDR⇥192.0.2.0/24⇥ingress`,
          `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM(nil)⇥USER⇥${THEM}⇥GRPNAME other-acct⇥ID ${theirId}⇥ingress`,
          `PERMISSION⇥${ME}⇥WebServers⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM(nil)⇥CIDR⇥0.0.0.0/0⇥ingress`,
          '',
        ].join('\n'),
      ),
    );
    // TAG lines come last; --hide-tags drops them (§5.4).
    const tagged = await query(server, { Action: 'CreateTags', 'ResourceId.1': id, 'Tag.1.Key': 'Name', 'Tag.1.Value': 'web tier' });
    assert.equal(tagged.status, 200, tagged.body);
    assert.deepEqual(await me.run('ec2dgrp', 'WebServers'), ok(`${lines.join('\n')}\nTAG⇥GROUP⇥${id}⇥Name⇥web tier\n`));
    assert.deepEqual(await me.run('ec2dgrp', 'WebServers', '--hide-tags'), ok(`${lines.join('\n')}\n`));
  });

  // Issue 13: one permission with group peers and CIDRs prints the group lines first, as the real
  // 1.6.7.1 ec2-describe-group does against the same server.
  test('a permission with a group peer and CIDRs: the USER … GRPNAME line before the CIDR lines', async () => {
    const id = createdGroupId(await me.run('ec2addgrp', 'mixed', '-d', 'mixed peers'));
    const theirId = createdGroupId(await them.run('ec2addgrp', 'mixed-peer', '-d', 'theirs'));
    assert.equal((await me.run('ec2auth', 'mixed', '-P', 'tcp', '-p', '22', '-s', '10.0.0.0/8')).status, 0);
    assert.equal((await me.run('ec2auth', 'mixed', '-P', 'tcp', '-p', '22', '-u', THEM, '-o', 'mixed-peer')).status, 0);
    assert.equal((await me.run('ec2auth', 'mixed', '-P', 'tcp', '-p', '22', '-s', '192.0.2.0/24')).status, 0);
    assert.deepEqual(
      await me.run('ec2-describe-group', 'mixed'),
      ok(
        [
          `GROUP⇥${id}⇥${ME}⇥mixed⇥mixed peers⇥`,
          `PERMISSION⇥${ME}⇥mixed⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥USER⇥${THEM}⇥GRPNAME mixed-peer⇥ID ${theirId}⇥ingress`,
          `PERMISSION⇥${ME}⇥mixed⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥10.0.0.0/8⇥ingress`,
          `PERMISSION⇥${ME}⇥mixed⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress`,
          '',
        ].join('\n'),
      ),
    );
  });

  test('the echo shows the CIDR as sent, describe as stored', async () => {
    const id = createdGroupId(await me.run('ec2addgrp', 'masked', '-d', 'masking'));
    assert.deepEqual(
      await me.run('ec2auth', 'masked', '-p', '22', '-s', '205.192.8.45/24'),
      ok('GROUP⇥⇥⇥masked⇥⇥\nPERMISSION⇥⇥masked⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥205.192.8.45/24⇥ingress\n'),
    );
    assert.deepEqual(
      await me.run('ec2dgrp', 'masked'),
      ok(`GROUP⇥${id}⇥${ME}⇥masked⇥masking⇥\nPERMISSION⇥${ME}⇥masked⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥205.192.8.0/24⇥ingress\n`),
    );
  });

  test('§7 example 12: the Classic default group', async () => {
    const run = await me.run('ec2dgrp', 'default');
    const id = /^GROUP\t(sg-[0-9a-f]{8})\t/.exec(run.stdout)?.[1] ?? assert.fail(run.stdout);
    assert.deepEqual(
      run,
      ok(
        [
          `GROUP⇥${id}⇥${ME}⇥default⇥default group⇥`,
          `PERMISSION⇥${ME}⇥default⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥${ME}⇥GRPNAME default⇥ID ${id}⇥ingress`,
          `PERMISSION⇥${ME}⇥default⇥ALLOWS⇥udp⇥0⇥65535⇥FROM⇥USER⇥${ME}⇥GRPNAME default⇥ID ${id}⇥ingress`,
          `PERMISSION⇥${ME}⇥default⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥USER⇥${ME}⇥GRPNAME default⇥ID ${id}⇥ingress`,
          '',
        ].join('\n'),
      ),
    );
  });

  test('authorize and create headers (-H); --show-empty-fields on an echo', async () => {
    assert.deepEqual(
      await me.run('ec2auth', '-H', 'websrv', '-p', '25'),
      ok('GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID\nGROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥25⇥25⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress\n'),
    );
    assert.deepEqual(
      await me.run('ec2auth', 'websrv', '--show-empty-fields', '-o', 'other', '-u', ME, '-P', 'udp', '-p', '53'),
      ok(`GROUP⇥(nil)⇥(nil)⇥websrv⇥(nil)⇥(nil)\nPERMISSION⇥(nil)⇥websrv⇥ALLOWS⇥udp⇥53⇥53⇥FROM(nil)⇥USER⇥${ME}⇥GRPNAME other⇥(nil)⇥ingress\n`),
    );
    const run = await me.run('ec2-add-group', '-H', 'headed', '-d', 'with header');
    assert.deepEqual(run, ok(`Type⇥Id⇥Name⇥Description\nGROUP⇥${/\t(sg-[0-9a-f]{8})\t/.exec(run.stdout)?.[1] ?? 'missing'}⇥headed⇥with header\n`));
  });

  test('§7 example 10: ec2delgrp prints RETURN true, by name and by ID, with no header', async () => {
    createdGroupId(await me.run('ec2addgrp', 'doomed', '-d', 'x'));
    assert.deepEqual(await me.run('ec2delgrp', 'doomed'), ok('RETURN⇥true\n'));
    const id = createdGroupId(await me.run('ec2addgrp', 'doomed2', '-d', 'x'));
    assert.deepEqual(await me.run('ec2-delete-group', '-H', id), ok('RETURN⇥true\n'));
  });

  test('service errors: Client.<Code>: <Message> on stderr, nothing on stdout, exit 1', async () => {
    const rows: { argv: [Parameters<LegacyUser['run']>[0], ...string[]]; stderr: string }[] = [
      { argv: ['ec2delgrp', 'nosuch'], stderr: "Client.InvalidGroup.NotFound: The security group 'nosuch' does not exist\n" },
      { argv: ['ec2addgrp', 'websrv', '-d', 'again'], stderr: "Client.InvalidGroup.Duplicate: The security group 'websrv' already exists\n" },
      { argv: ['ec2delgrp', 'default'], stderr: "Client.InvalidGroup.Reserved: The security group 'default' is reserved\n" },
      // 1.6.7.1 sends no target for --egress with a name (spec/cli.md §3.2, api.md §5.5).
      { argv: ['ec2auth', 'websrv', '--egress', '-P', 'tcp', '-p', '22'], stderr: 'Client.MissingParameter: The request must contain the parameter groupId\n' },
      // -u without -o sends a permission with no peer (semantics.md §2.2, 2011-era wording).
      { argv: ['ec2auth', 'websrv', '-p', '22', '-u', ME], stderr: 'Client.MissingParameter: Missing source specification: include source security group or CIDR information\n' },
      // Describe sends a 17-hex ID as a name (spec/cli.md §3.1).
      { argv: ['ec2dgrp', 'sg-1234567890abcdef0'], stderr: "Client.InvalidGroup.NotFound: The security group 'sg-1234567890abcdef0' does not exist\n" },
    ];
    for (const row of rows) assert.deepEqual(await me.run(...row.argv), failed(row.stderr), row.argv.join(' '));
  });

  test('credentials the server rejects', async () => {
    const wrongSecret = await runLegacy('ec2dgrp', [], { ...legacyEnv(server.url, server.bootstrap), AWS_SECRET_KEY: 'not-the-secret' });
    assert.deepEqual(
      wrongSecret,
      failed(
        'Client.SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n',
      ),
    );
    const unknownKey = await runLegacy('ec2dgrp', ['-O', 'AKIDUNKNOWN00000', '-W', 'x'], legacyEnv(server.url, server.bootstrap));
    assert.deepEqual(unknownKey, failed('Client.AuthFailure: AWS was not able to validate the provided access credentials\n'));
  });

  test('a VPC of a classic account: ec2addgrp -c, then the seed 4 egress rule', async () => {
    const created = await query(server, { Action: 'CreateVpc', CidrBlock: '10.20.0.0/16' });
    assert.equal(created.status, 200, created.body);
    const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(created.body)?.[1] ?? assert.fail(created.body);
    const app = createdGroupId(await me.run('ec2addgrp', 'app', '-d', 'app tier', '-c', vpcId));
    const sql = createdGroupId(await me.run('ec2addgrp', 'sql', '-d', 'sql tier', '-c', vpcId));
    const run = await me.run('ec2-authorize', '--egress', app, '-P', 'tcp', '-p', '1433', '-o', sql);
    assert.deepEqual(run, ok(`GROUP⇥${app}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO⇥USER⇥⇥⇥ID ${sql}⇥egress\n`));
    assert.equal(
      collapseTabs(run.stdout),
      `GROUP sg-eea7b782\nPERMISSION ALLOWS tcp 1433 1433 TO USER ID sg-80aebeec egress\n`.replace('sg-eea7b782', app).replace('sg-80aebeec', sql),
    );
    // Describe shows the group's VPC in the last field (§5.1).
    assert.equal((await me.run('ec2dgrp', app)).stdout.split('\n')[0], tabs(`GROUP⇥${app}⇥${ME}⇥app⇥app tier⇥${vpcId}`));
  });
});
