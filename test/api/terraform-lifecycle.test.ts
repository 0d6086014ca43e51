import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DeleteVpcCommand,
  ModifySecurityGroupRulesCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// The calls Terraform's aws provider makes, in its order, for
//   data "aws_vpc" "default" { default = true }
//   resource "aws_security_group" "web" { vpc_id = data.aws_vpc.default.id; ingress {…}; egress {…} }
// through `apply` and `destroy` (vpc_data_source.go and vpc_security_group.go of the provider).
// Each call must succeed, or fail with exactly the code Terraform tolerates. The `aws_vpc`
// resource's reads of the main route table and default network ACL are not served (the provider
// logs a warning and goes on).
describe('a Terraform apply and destroy of a security group, call by call', () => {
  const session = sdkSession();

  test('data source, create, default-egress revoke, rules, read, delete, wait for NotFound', async () => {
    const { ec2 } = session;
    // data "aws_vpc": DescribeVpcs with the `isDefault` filter, then three attributes.
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs?.[0];
    const vpcId = vpc?.VpcId ?? '';
    for (const Attribute of ['enableDnsHostnames', 'enableDnsSupport', 'enableNetworkAddressUsageMetrics'] as const)
      await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }));

    // Create with tags, then wait until DescribeSecurityGroups finds it.
    const groupId = (
      await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: 'web',
          Description: 'Managed by Terraform',
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: 'web' }] }],
        }),
      )
    ).GroupId ?? '';
    assert.equal((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.length, 1);

    // Terraform removes the default egress rule: IPv4 must succeed; IPv6 may answer
    // InvalidPermission.NotFound or list it as unknown, both of which Terraform tolerates.
    await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', FromPort: 0, ToPort: 0, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    const v6 = await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', FromPort: 0, ToPort: 0, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }),
    );
    assert.equal(v6.UnknownIpPermissions?.length, 1);

    // The configured rules, then the read Terraform does after every apply.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }] }],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', FromPort: 0, ToPort: 0, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }),
    );
    const read = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    assert.deepEqual(read?.Tags, [{ Key: 'Name', Value: 'web' }]);
    assert.deepEqual(read?.IpPermissions, [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    // `-1` keeps no ports (spec/semantics.md §3.2), which is why Terraform asks for 0/0 with it.
    assert.deepEqual(read?.IpPermissionsEgress, [{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [] }]);

    // destroy: lingering interfaces (none), delete, then wait until the group is gone.
    const interfaces = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
    assert.deepEqual(interfaces.NetworkInterfaces, []);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    const gone = await ec2Error(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
    assert.equal(gone.code, 'InvalidGroup.NotFound');
  });

  test('resource "aws_vpc" with enable_dns_hostnames, a group in it, and destroy', async () => {
    const { ec2 } = session;
    const vpcId = (
      await ec2.send(
        new CreateVpcCommand({
          CidrBlock: '10.20.0.0/16',
          InstanceTenancy: 'default',
          TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'main' }] }],
        }),
      )
    ).Vpc?.VpcId ?? '';
    assert.equal((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0]?.State, 'available');
    // enable_dns_hostnames = true: set, then wait until it reads back.
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }));
    assert.equal(hostnames.EnableDnsHostnames?.Value, true);
    // The read also looks up the VPC's default group (a warning only if it fails).
    const defaults = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }),
    );
    assert.equal(defaults.SecurityGroups?.length, 1);

    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'Managed by Terraform', VpcId: vpcId }))).GroupId ?? '';
    // destroy, in dependency order: the group, then the VPC, then the wait for NotFound.
    assert.deepEqual((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).NetworkInterfaces, []);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    assert.equal((await ec2Error(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })))).code, 'InvalidVpcID.NotFound');
  });

  test('resource "aws_vpc_security_group_ingress_rule": create with tags, read, update in place, retag, delete', async () => {
    const { ec2 } = session;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'rules', Description: 'Managed by Terraform' }))).GroupId ?? '';
    const created = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
        TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: [{ Key: 'Name', Value: 'http' }] }],
      }),
    );
    const ruleId = created.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    const read = async () => (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }))).SecurityGroupRules?.[0];
    const first = await read();
    assert.deepEqual([first?.GroupId, first?.IsEgress, first?.IpProtocol, first?.FromPort, first?.ToPort, first?.CidrIpv4], [groupId, false, 'tcp', 80, 80, '10.0.0.0/8']);
    assert.deepEqual(first?.Tags, [{ Key: 'Name', Value: 'http' }]);

    // An in-place update keeps the rule ID.
    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: groupId,
        SecurityGroupRules: [{ SecurityGroupRuleId: ruleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIpv4: '10.0.0.0/8', Description: 'alt http' } }],
      }),
    );
    await ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: 'Name', Value: 'alt-http' }] }));
    const updated = await read();
    assert.deepEqual([updated?.SecurityGroupRuleId, updated?.FromPort, updated?.ToPort, updated?.Description], [ruleId, 8080, 8080, 'alt http']);
    assert.deepEqual(updated?.Tags, [{ Key: 'Name', Value: 'alt-http' }]);

    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [ruleId] }));
    assert.equal((await ec2Error(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] })))).code, 'InvalidSecurityGroupRuleId.NotFound');
  });
});
