import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CreateSubnetCommand, CreateVpcCommand, DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// Issue 13: every VPC has a main route table (its local routes, association.main=true) and a
// default network ACL (rule 100 allow and the final deny, both directions, associated with its
// subnets), read through DescribeRouteTables and DescribeNetworkAcls as Terraform's aws_vpc reads
// them (main_route_table_id, default_network_acl_id).
describe('the main route table and the default network ACL of a VPC', () => {
  const session = sdkSession();

  test('the default VPC: a main route table with the local route, a default ACL on the default subnet', async () => {
    const { ec2 } = session;
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0];
    const vpcId = vpc?.VpcId as string;
    const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables ?? [];
    assert.equal(tables.length, 1);
    const table = tables[0];
    assert.match(table?.RouteTableId ?? '', /^rtb-[0-9a-f]{17}$/);
    assert.deepEqual(table?.Associations?.map((a) => [a.Main, a.RouteTableId, a.AssociationState?.State]), [[true, table?.RouteTableId, 'associated']]);
    assert.deepEqual(table?.Routes, [{ DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    assert.equal(table?.VpcId, vpcId);
    const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls ?? [];
    assert.equal(acls.length, 1);
    const acl = acls[0];
    assert.equal(acl?.IsDefault, true);
    assert.match(acl?.NetworkAclId ?? '', /^acl-[0-9a-f]{17}$/);
    assert.deepEqual(
      acl?.Entries?.map((e) => [e.Egress, e.RuleNumber, e.RuleAction, e.Protocol, e.CidrBlock]),
      [
        [true, 100, 'allow', '-1', '0.0.0.0/0'],
        [true, 32767, 'deny', '-1', '0.0.0.0/0'],
        [false, 100, 'allow', '-1', '0.0.0.0/0'],
        [false, 32767, 'deny', '-1', '0.0.0.0/0'],
      ],
    );
    assert.equal(acl?.Associations?.length, 1, 'the default subnet');
    // By ID, as Terraform reads them back.
    assert.equal((await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [table?.RouteTableId as string] }))).RouteTables?.[0]?.VpcId, vpcId);
    assert.equal((await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [acl?.NetworkAclId as string] }))).NetworkAcls?.[0]?.VpcId, vpcId);
  });

  test('a new VPC with an IPv6 block and a subnet: both families, the subnet associated', async () => {
    const { ec2 } = session;
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc?.VpcId as string;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }))).Subnet?.SubnetId as string;
    const ipv6 = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0]?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock;
    const table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables?.[0];
    assert.deepEqual(table?.Routes?.map((r) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock), ['10.20.0.0/16', ipv6]);
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))).NetworkAcls?.[0];
    assert.equal(acl?.VpcId, vpcId);
    assert.deepEqual(acl?.Associations?.map((a) => [a.SubnetId, a.NetworkAclId]), [[subnetId, acl?.NetworkAclId]]);
    assert.deepEqual(
      acl?.Entries?.filter((e) => e.Ipv6CidrBlock !== undefined).map((e) => [e.Egress, e.RuleNumber, e.RuleAction, e.Ipv6CidrBlock]),
      [
        [true, 101, 'allow', '::/0'],
        [true, 32768, 'deny', '::/0'],
        [false, 101, 'allow', '::/0'],
        [false, 32768, 'deny', '::/0'],
      ],
    );
    // One main route table and one default ACL per VPC.
    assert.equal((await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables?.length, 2);
    assert.equal((await ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls?.length, 2);
  });

  test('unknown IDs are their NotFound codes', async () => {
    const { ec2 } = session;
    assert.deepEqual(await ec2Error(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: ['rtb-0123456789abcdef0'] }))), {
      code: 'InvalidRouteTableID.NotFound',
      message: "The routeTable ID 'rtb-0123456789abcdef0' does not exist",
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0123456789abcdef0'] }))), {
      code: 'InvalidNetworkAclID.NotFound',
      message: "The networkAcl ID 'acl-0123456789abcdef0' does not exist",
      status: 400,
    });
  });
});

// Issue 13: DescribeVpcs takes the association filters EC2 documents (Ansible's ec2_vpc_net and
// Terraform's aws_vpc_ipv4_cidr_block_association look VPCs up by them).
describe('DescribeVpcs association filters', () => {
  const session = sdkSession();

  test('by IPv4 and IPv6 association ID, state, block and pool', async () => {
    const { ec2 } = session;
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc?.VpcId as string;
    const plain = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.31.0.0/16' }))).Vpc?.VpcId as string;
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
    const v4 = vpc?.CidrBlockAssociationSet?.[0]?.AssociationId as string;
    const v6 = vpc?.Ipv6CidrBlockAssociationSet?.[0];
    const ids = async (name: string, value: string) =>
      ((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: name, Values: [value] }] }))).Vpcs ?? []).map((v) => v.VpcId).sort();
    assert.deepEqual(await ids('cidr-block-association.association-id', v4), [vpcId]);
    assert.deepEqual(await ids('ipv6-cidr-block-association.association-id', v6?.AssociationId as string), [vpcId]);
    assert.deepEqual(await ids('ipv6-cidr-block-association.ipv6-cidr-block', v6?.Ipv6CidrBlock as string), [vpcId]);
    assert.deepEqual(await ids('ipv6-cidr-block-association.ipv6-pool', 'Amazon'), [vpcId]);
    assert.deepEqual(await ids('ipv6-cidr-block-association.state', 'associated'), [vpcId]);
    assert.ok((await ids('cidr-block-association.state', 'associated')).includes(plain));
  });
});
