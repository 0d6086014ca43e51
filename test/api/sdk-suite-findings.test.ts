import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  ModifySecurityGroupRulesCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

async function group(ec2: EC2Client, GroupName: string, VpcId?: string): Promise<string> {
  return (await ec2.send(new CreateSecurityGroupCommand({ GroupName, Description: GroupName, VpcId }))).GroupId ?? '';
}

async function ruleIds(ec2: EC2Client, groupId: string, egress: boolean): Promise<string[]> {
  const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).SecurityGroupRules ?? [];
  return rules.filter((r) => r.IsEgress === egress).map((r) => r.SecurityGroupRuleId ?? '');
}

// Issue 13, "behaviours an independent suite found off", items (1) to (5), each as the issue words it.
describe('EC2 behaviours an independent suite found off', () => {
  const session = sdkSession();

  test('(1) ModifySecurityGroupRules: a tcp/udp rule needs both ports; an entry needs a peer', async () => {
    const { ec2 } = session;
    const GroupId = await group(ec2, 'modify-checks');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
    const [SecurityGroupRuleId] = await ruleIds(ec2, GroupId, false);
    const modify = (SecurityGroupRule: Record<string, unknown>) =>
      ec2Error(ec2.send(new ModifySecurityGroupRulesCommand({ GroupId, SecurityGroupRules: [{ SecurityGroupRuleId, SecurityGroupRule }] })));
    const ports = { code: 'InvalidParameterValue', message: 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.', status: 400 };
    assert.deepEqual(await modify({ IpProtocol: 'tcp', FromPort: 22, CidrIpv4: '10.0.0.0/8' }), ports);
    assert.deepEqual(await modify({ IpProtocol: 'udp', ToPort: 53, CidrIpv4: '10.0.0.0/8' }), ports);
    assert.deepEqual(await modify({ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }), {
      code: 'MissingParameter',
      message: 'The request must contain exactly one of: cidrIp, cidrIpv6, prefixListId, or referencedGroupId',
      status: 400,
    });
  });

  test('(2) DescribeSecurityGroupRules: a malformed or empty group-id filter value', async () => {
    const { ec2 } = session;
    for (const value of ['web', 'sg-XYZ', ''])
      assert.deepEqual(await ec2Error(ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [value] }] }))), {
        code: 'InvalidGroupId.Malformed',
        message: `The security group ID '${value}' is malformed`,
        status: 400,
      });
  });

  test('(3) UpdateSecurityGroupRuleDescriptionsEgress takes GroupName for a default-VPC group', async () => {
    const { ec2 } = session;
    const GroupId = await group(ec2, 'egress-by-name');
    await ec2.send(new UpdateSecurityGroupRuleDescriptionsEgressCommand({
      GroupName: 'egress-by-name',
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'everything out' }] }],
    }));
    const egress = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId] }))).SecurityGroups?.[0]?.IpPermissionsEgress;
    assert.deepEqual(egress?.[0]?.IpRanges, [{ CidrIp: '0.0.0.0/0', Description: 'everything out' }]);
  });

  test('(4) a peer group in another, unpeered VPC: InvalidGroup.NotFound, different networks', async () => {
    const { ec2 } = session;
    const VpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc?.VpcId;
    const elsewhere = await group(ec2, 'elsewhere', VpcId);
    const GroupId = await group(ec2, 'here');
    const differentNetworks = { code: 'InvalidGroup.NotFound', message: 'You have specified two resources that belong to different networks.', status: 400 };
    const pairs = [{ GroupId: elsewhere }];
    assert.deepEqual(await ec2Error(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, UserIdGroupPairs: pairs }] }))), differentNetworks);
    assert.deepEqual(await ec2Error(ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, UserIdGroupPairs: pairs }] }))), differentNetworks);
    // A group that does not exist keeps its own sentence.
    assert.deepEqual(
      await ec2Error(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, UserIdGroupPairs: [{ GroupId: 'sg-0123456789abcdef0' }] }] }))),
      { code: 'InvalidGroup.NotFound', message: "The security group 'sg-0123456789abcdef0' does not exist", status: 400 },
    );
  });

  test('(5) ip-permission.group-name matches only rules whose peer was given by name (UNCONFIRMED)', async () => {
    const { ec2 } = session;
    const peer = await group(ec2, 'named-peer');
    const byName = await group(ec2, 'by-name');
    const byId = await group(ec2, 'by-id');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: byName, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5, ToPort: 5, UserIdGroupPairs: [{ GroupName: 'named-peer' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: byId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5, ToPort: 5, UserIdGroupPairs: [{ GroupId: peer }] }] }));
    const matching = async (Name: string, value: string) =>
      ((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name, Values: [value] }] }))).SecurityGroups ?? []).map((g) => g.GroupId);
    assert.deepEqual(await matching('ip-permission.group-name', 'named-peer'), [byName]);
    assert.deepEqual((await matching('ip-permission.group-id', peer)).sort(), [byName, byId].sort());
    assert.deepEqual(await matching('egress.ip-permission.group-name', 'named-peer'), []);
  });
});
