import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { query } from '../harness/query-client.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';
import { collapseTabs, createdGroupId, legacyUser, tabs, type LegacyRun, type LegacyUser } from './legacy-cli.js';

// Golden end-to-end: the real bin/ec2* executables against a real Stockade server, in an account
// of platform `vpc-only` (a default VPC; names resolve inside it). Exact output, TABs as ⇥.
//
// Group IDs here have today's 17 hex digits (issue 13 item 6). ec2-authorize, ec2-revoke and
// ec2-delete-group take them as IDs; the 1.6.7.1 ec2-describe-group takes only `sg-` + 8 hex as an
// ID and sends anything else as a name (spec/semantics.md §11, [observed-cli]), so
// `ec2dgrp sg-<17 hex>` asks for a group *named* so and is refused as EC2 refuses that request.
// A user of the old tool finds such a group by name or with `-F group-id=…`.

const ME = '111122223333';

function ok(stdout: string): Omit<LegacyRun, 'status'> & { status: number } {
  return { status: 0, stdout: tabs(stdout), stderr: '' };
}
function failed(stderr: string): Omit<LegacyRun, 'status'> & { status: number } {
  return { status: 1, stdout: '', stderr };
}

describe('legacy commands, vpc-only account', () => {
  let server: RunningStockade;
  let me: LegacyUser;
  let defaultVpcId: string;
  let web: string;
  let db: string;

  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'vpc-only', STOCKADE_BOOTSTRAP_ACCOUNT_ID: ME } });
    me = legacyUser(server, server.bootstrap);
    const vpcs = await query(server, { Action: 'DescribeVpcs' });
    defaultVpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(vpcs.body)?.[1] ?? assert.fail(vpcs.body);
    web = createdGroupId(await me.run('ec2addgrp', 'web', '-d', 'web tier'));
    db = createdGroupId(await me.run('ec2addgrp', 'db', '-d', 'db tier'));
  });
  after(() => server.stop());

  test('seed 1 by name: the name resolves in the default VPC and is validated as non-VPC', async () => {
    createdGroupId(await me.run('ec2-create-group', 'websrv', '-d', 'Web Servers'));
    const run = await me.run('ec2-authorize', 'websrv', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24');
    assert.deepEqual(run, ok('GROUP⇥⇥⇥websrv⇥⇥\nPERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n'));
    assert.equal(collapseTabs(run.stdout), 'GROUP websrv\nPERMISSION websrv ALLOWS tcp 80 80 FROM CIDR 192.0.2.0/24 ingress\n');
  });

  test('seed 3: ec2-authorize sg-… -P tcp -p 80 -s 192.0.2.0/24', async () => {
    const run = await me.run('ec2-authorize', web, '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24');
    assert.deepEqual(run, ok(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n`));
    assert.equal(collapseTabs(run.stdout), `GROUP ${web}\nPERMISSION ALLOWS tcp 80 80 FROM CIDR 192.0.2.0/24 ingress\n`);
  });

  test('seed 4: ec2-authorize --egress sg-… -P tcp -p 1433 -o sg-…', async () => {
    const run = await me.run('ec2-authorize', '--egress', web, '-P', 'tcp', '-p', '1433', '-o', db);
    assert.deepEqual(run, ok(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO⇥USER⇥⇥⇥ID ${db}⇥egress\n`));
    assert.equal(collapseTabs(run.stdout), `GROUP ${web}\nPERMISSION ALLOWS tcp 1433 1433 TO USER ID ${db} egress\n`);
  });

  test('§7 example 5: a group peer by ID, no -u', async () => {
    assert.deepEqual(
      await me.run('ec2auth', web, '-P', 'tcp', '-p', '3306', '-o', db),
      ok(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥3306⇥3306⇥FROM⇥USER⇥⇥⇥ID ${db}⇥ingress\n`),
    );
  });

  test('§7 example 6: the same peer for egress', async () => {
    assert.deepEqual(
      await me.run('ec2auth', web, '--egress', '-P', 'tcp', '-p', '3306', '-o', db),
      ok(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥3306⇥3306⇥TO⇥USER⇥⇥⇥ID ${db}⇥egress\n`),
    );
  });

  test('§7 example 7: -P all is sent as -1 and echoed as -1', async () => {
    assert.deepEqual(
      await me.run('ec2auth', web, '-P', 'all', '-s', '10.5.0.0/16'),
      ok(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥-1⇥⇥⇥FROM⇥CIDR⇥10.5.0.0/16⇥ingress\n`),
    );
  });

  test('VPC-only client rules after the pre-check', async () => {
    assert.deepEqual(await me.run('ec2auth', web, '-p', '22'), failed("Required option '-P, --protocol PROTOCOL' missing (-h for usage)\n"));
    assert.deepEqual(await me.run('ec2auth', web, '-P', '-1', '-p', '22'), failed("Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)\n"));
    // Unknown names are sent verbatim; the service refuses them (semantics.md §3.1).
    assert.deepEqual(await me.run('ec2auth', web, '-P', 'GRE'), failed("Client.InvalidParameterValue: Invalid value 'gre' for IP protocol. Unknown protocol.\n"));
  });

  test('§7 example 11 (VPC group): all, numbers, icmp, default egress, tags', async () => {
    const id = createdGroupId(await me.run('ec2addgrp', 'vpc-sg', '-d', 'VPC group'));
    for (const argv of [
      [id, '-P', '-1', '-o', id],
      [id, '-P', '50', '-s', '10.0.0.0/16'],
      [id, '-P', 'icmp', '-t', '8:0', '-s', '10.1.0.0/16'],
      [id, '--egress', '-P', 'tcp', '-p', '3306', '-o', db],
    ]) {
      const run = await me.run('ec2auth', ...argv);
      assert.equal(run.status, 0, run.stderr);
    }
    const tagged = await query(server, { Action: 'CreateTags', 'ResourceId.1': id, 'Tag.1.Key': 'Name', 'Tag.1.Value': 'my vpc sg' });
    assert.equal(tagged.status, 200, tagged.body);
    const lines = [
      `GROUP⇥${id}⇥${ME}⇥vpc-sg⇥VPC group⇥${defaultVpcId}`,
      `PERMISSION⇥${ME}⇥vpc-sg⇥ALLOWS⇥all⇥⇥⇥FROM⇥USER⇥${ME}⇥⇥ID ${id}⇥ingress`,
      `PERMISSION⇥${ME}⇥vpc-sg⇥ALLOWS⇥50⇥⇥⇥FROM⇥CIDR⇥10.0.0.0/16⇥ingress`,
      `PERMISSION⇥${ME}⇥vpc-sg⇥ALLOWS⇥icmp⇥8⇥0⇥FROM⇥CIDR⇥10.1.0.0/16⇥ingress`,
      `PERMISSION⇥${ME}⇥vpc-sg⇥ALLOWS⇥all⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress`,
      `PERMISSION⇥${ME}⇥vpc-sg⇥ALLOWS⇥tcp⇥3306⇥3306⇥TO⇥USER⇥${ME}⇥⇥ID ${db}⇥egress`,
      `TAG⇥GROUP⇥${id}⇥Name⇥my vpc sg`,
    ];
    assert.deepEqual(await me.run('ec2dgrp', 'vpc-sg'), ok(`${lines.join('\n')}\n`));
    assert.deepEqual(await me.run('ec2dgrp', '-F', `group-id=${id}`), ok(`${lines.join('\n')}\n`));
    assert.deepEqual(
      await me.run('ec2dgrp', id),
      failed(`Client.InvalidGroup.NotFound: The security group '${id}' does not exist in default VPC '${defaultVpcId}'\n`),
    );
    assert.deepEqual(await me.run('ec2dgrp', 'vpc-sg', '-H', '--hide-tags'), ok(`GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID\n${lines.slice(0, -1).join('\n')}\n`));
    assert.deepEqual(
      await me.run('ec2dgrp', '-F', 'group-name=vpc-sg', '-F', 'ip-permission.protocol=50', '--show-empty-fields'),
      ok(
        `${lines
          .map((line) => line.replaceAll('⇥⇥⇥', '⇥(nil)⇥(nil)⇥').replaceAll('⇥⇥', '⇥(nil)⇥').replace(/⇥(FROM|TO)⇥/, '⇥$1(nil)⇥'))
          .join('\n')}\n`,
      ),
    );
  });

  test('the default VPC group', async () => {
    const run = await me.run('ec2dgrp', '-F', `vpc-id=${defaultVpcId}`, '-F', 'group-name=default');
    const id = /^GROUP\t(sg-[0-9a-f]{17})\t/.exec(run.stdout)?.[1] ?? assert.fail(run.stdout + run.stderr);
    assert.deepEqual(
      run,
      ok(
        `GROUP⇥${id}⇥${ME}⇥default⇥default VPC security group⇥${defaultVpcId}\n` +
          `PERMISSION⇥${ME}⇥default⇥ALLOWS⇥all⇥⇥⇥FROM⇥USER⇥${ME}⇥⇥ID ${id}⇥ingress\n` +
          `PERMISSION⇥${ME}⇥default⇥ALLOWS⇥all⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress\n`,
      ),
    );
    assert.deepEqual(await me.run('ec2delgrp', 'default'), failed(`Client.CannotDelete: the specified group: "${id}" name: "default" cannot be deleted by a user\n`));
  });

  test('ec2revoke: egress by ID, and a missing rule in the default VPC succeeds', async () => {
    const id = createdGroupId(await me.run('ec2addgrp', 'closed', '-d', 'no egress'));
    const expected = ok(`GROUP⇥${id}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥-1⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress\n`);
    assert.deepEqual(await me.run('ec2revoke', id, '--egress', '-P', '-1', '-s', '0.0.0.0/0'), expected);
    assert.deepEqual(await me.run('ec2revoke', id, '--egress', '-P', '-1', '-s', '0.0.0.0/0'), expected);
    assert.deepEqual(await me.run('ec2dgrp', 'closed'), ok(`GROUP⇥${id}⇥${ME}⇥closed⇥no egress⇥${defaultVpcId}\n`));
  });

  test('service errors of VPC-only accounts', async () => {
    const rows: { argv: [Parameters<LegacyUser['run']>[0], ...string[]]; stderr: string }[] = [
      { argv: ['ec2delgrp', 'nosuch'], stderr: `Client.InvalidGroup.NotFound: The security group 'nosuch' does not exist in default VPC '${defaultVpcId}'\n` },
      { argv: ['ec2dgrp', 'nosuch'], stderr: `Client.InvalidGroup.NotFound: The security group 'nosuch' does not exist in default VPC '${defaultVpcId}'\n` },
      { argv: ['ec2addgrp', 'web', '-d', 'again'], stderr: `Client.InvalidGroup.Duplicate: The security group 'web' already exists for VPC '${defaultVpcId}'\n` },
      { argv: ['ec2auth', 'web', '--egress', '-P', 'tcp', '-p', '22'], stderr: 'Client.MissingParameter: The request must contain the parameter groupId\n' },
      { argv: ['ec2auth', web, '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24'], stderr: `Client.InvalidPermission.Duplicate: the specified rule "peer: 192.0.2.0/24, TCP, from port: 80, to port: 80, ALLOW" already exists\n` },
      // db is referenced by web's rules (semantics.md §7).
      { argv: ['ec2delgrp', db], stderr: `Client.DependencyViolation: resource ${db} has a dependent object\n` },
    ];
    for (const row of rows) assert.deepEqual(await me.run(...row.argv), failed(row.stderr), row.argv.join(' '));
  });
});
