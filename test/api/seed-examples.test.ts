import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorCode, errorMessage, query } from '../harness/query-client.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// The three AuthorizeSecurityGroupIngress examples of the seed (shared/seeds/002_…), sent as the
// 2011-12-15 Query requests they are, signed with SigV2 like the tools of that era.

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

/** The seed's response, byte for byte except the request ID. */
function seedResponse(version: string): RegExp {
  return new RegExp(
    `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<AuthorizeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/${version}/"><requestId>${UUID}</requestId><return>true</return></AuthorizeSecurityGroupIngressResponse>$`,
  );
}

async function groupXml(server: RunningStockade, credentials: AccountCredentials, params: Record<string, string>): Promise<string> {
  const response = await query(server, { Action: 'DescribeSecurityGroups', ...params }, { credentials, scheme: 'sigv2' });
  assert.equal(response.status, 200, response.body);
  return response.body;
}

for (const platform of ['classic', 'vpc-only'] as const) {
  describe(`seed API examples, ${platform} account`, () => {
    let server: RunningStockade;
    let me: AccountCredentials;
    let other: AccountCredentials;
    before(async () => {
      server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: platform } });
      me = server.bootstrap;
      other = await server.createAccount({ accountId: '999988887777', platform });
      const created = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'websrv', GroupDescription: 'Web Servers' }, { credentials: me, scheme: 'sigv2' });
      assert.equal(created.status, 200, created.body);
      const theirs = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'OtherAccountGroup', GroupDescription: 'theirs' }, { credentials: other, scheme: 'sigv2' });
      assert.equal(theirs.status, 200, theirs.body);
    });
    after(() => server.stop());

    test('example 1: two CIDR ranges on TCP port 80 to websrv', async () => {
      const response = await query(
        server,
        {
          Action: 'AuthorizeSecurityGroupIngress',
          GroupName: 'websrv',
          'IpPermissions.1.IpProtocol': 'tcp',
          'IpPermissions.1.FromPort': '80',
          'IpPermissions.1.ToPort': '80',
          'IpPermissions.1.IpRanges.1.CidrIp': '192.0.2.0/24',
          'IpPermissions.1.IpRanges.2.CidrIp': '198.51.100.0/24',
        },
        { credentials: me, scheme: 'sigv2' },
      );
      assert.equal(response.status, 200);
      assert.match(response.body, seedResponse('2011-12-15'));
      const xml = await groupXml(server, me, { 'GroupName.1': 'websrv' });
      assert.match(xml, /<ipPermissions><item><ipProtocol>tcp<\/ipProtocol><fromPort>80<\/fromPort><toPort>80<\/toPort><groups\/><ipRanges><item><cidrIp>192\.0\.2\.0\/24<\/cidrIp><\/item><item><cidrIp>198\.51\.100\.0\/24<\/cidrIp><\/item><\/ipRanges><\/item><\/ipPermissions>/);
      // A 2011 response has no elements of later versions (spec/api.md §2).
      assert.doesNotMatch(xml, /ipv6Ranges|prefixListIds|securityGroupArn|description>/);
    });

    test('example 2: TCP port 80 from OtherAccountGroup of account 999988887777', async () => {
      const response = await query(
        server,
        {
          Action: 'AuthorizeSecurityGroupIngress',
          GroupName: 'websrv',
          'IpPermissions.1.IpProtocol': 'tcp',
          'IpPermissions.1.FromPort': '80',
          'IpPermissions.1.ToPort': '80',
          'IpPermissions.1.Groups.1.GroupName': 'OtherAccountGroup',
          'IpPermissions.1.Groups.1.UserId': '999988887777',
        },
        { credentials: me, scheme: 'sigv2' },
      );
      if (platform === 'classic') {
        // EC2-Classic: another account's group by name (spec/semantics.md §4.4).
        assert.equal(response.status, 200, response.body);
        assert.match(response.body, seedResponse('2011-12-15'));
        const theirId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(await groupXml(server, other, { 'GroupName.1': 'OtherAccountGroup' }))?.[1];
        const xml = await groupXml(server, me, { 'GroupName.1': 'websrv' });
        assert.ok(
          xml.includes(`<groups><item><userId>999988887777</userId><groupId>${theirId}</groupId><groupName>OtherAccountGroup</groupName></item></groups>`),
          xml,
        );
      } else {
        // In a VPC, names resolve only among the caller's own default-VPC groups (spec/semantics.md §4.4).
        assert.equal(response.status, 400);
        assert.equal(errorCode(response.body), 'InvalidGroup.NotFound');
        assert.match(errorMessage(response.body) ?? '', /^The security group 'OtherAccountGroup' does not exist in default VPC 'vpc-[0-9a-f]{17}'$/);
      }
    });

    test('example 3: a VPC group grants TCP port 80 to another group of its VPC, by ID', async () => {
      let vpcParam: Record<string, string> = {};
      if (platform === 'classic') {
        const vpc = await query(server, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16', Version: '2016-11-15' }, { credentials: me });
        const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(vpc.body)?.[1] ?? '';
        vpcParam = { VpcId: vpcId };
      }
      const create = async (name: string) => {
        const r = await query(server, { Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: name, ...vpcParam }, { credentials: me, scheme: 'sigv2' });
        assert.equal(r.status, 200, r.body);
        // 8 hex digits in classic accounts, 17 in vpc-only ones (issue 13 item 6).
        const id = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(r.body)?.[1] ?? '';
        assert.equal(id.length, platform === 'classic' ? 11 : 20, id);
        return id;
      };
      const webServers = await create('VpcWebServers');
      const otherGroup = await create('OtherGroupInMyVPC');
      const response = await query(
        server,
        {
          Action: 'AuthorizeSecurityGroupIngress',
          GroupId: webServers,
          'IpPermissions.1.IpProtocol': 'tcp',
          'IpPermissions.1.FromPort': '80',
          'IpPermissions.1.ToPort': '80',
          'IpPermissions.1.Groups.1.GroupId': otherGroup,
          'IpPermissions.1.Groups.1.UserId': me.accountId,
        },
        { credentials: me, scheme: 'sigv2' },
      );
      assert.equal(response.status, 200, response.body);
      assert.match(response.body, seedResponse('2011-12-15'));
      const xml = await groupXml(server, me, { 'GroupId.1': webServers });
      // VPC pairs carry no group name (spec/semantics.md §4.4, field).
      assert.ok(xml.includes(`<groups><item><userId>${me.accountId}</userId><groupId>${otherGroup}</groupId></item></groups>`), xml);
    });
  });
}
