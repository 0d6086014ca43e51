import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AssociateSubnetCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DisassociateSubnetCidrBlockCommand,
  DisassociateVpcCidrBlockCommand,
  ModifySubnetAttributeCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { formatIpv6Address, parseIpv6Cidr } from '../../src/domain/cidr.js';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

/** A VPC with an Amazon /56, and that block. */
async function ipv6Vpc(ec2: EC2Client, CidrBlock: string): Promise<{ vpcId: string; block: string; associationId: string }> {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock, AmazonProvidedIpv6CidrBlock: true }))).Vpc;
  const association = vpc?.Ipv6CidrBlockAssociationSet?.[0];
  return { vpcId: vpc?.VpcId ?? '', block: association?.Ipv6CidrBlock ?? '', associationId: association?.AssociationId ?? '' };
}

/** Terraform's `cidrsubnet(block, newbits, netnum)` for IPv6, written as Go's net package writes it. */
function cidrsubnet(block: string, newbits: number, netnum: number): string {
  const cidr = parseIpv6Cidr(block);
  if (cidr === undefined) throw new Error(`not an IPv6 block: ${block}`);
  const prefixLength = cidr.prefixLength + newbits;
  return `${formatIpv6Address(cidr.network + (BigInt(netnum) << BigInt(128 - prefixLength)))}/${prefixLength}`;
}

async function subnet(ec2: EC2Client, subnetId: string) {
  return (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets?.[0];
}

// CreateSubnet's Ipv6CidrBlock, DescribeSubnets' IPv6 fields and filters, as Terraform's aws_subnet
// uses them with `ipv6_cidr_block = cidrsubnet(aws_vpc.x.ipv6_cidr_block, 8, 1)`.
describe('IPv6 subnets through @aws-sdk/client-ec2', () => {
  const session = sdkSession();
  // A VPC quota of five per region: each test works in its own region.
  const regional = (region: string) => ec2Client(session.server, session.server.bootstrap, region);

  test('a /64 of the VPC block is associated at once, shown with its association and filterable', async () => {
    const { ec2 } = session;
    const { vpcId, block } = await ipv6Vpc(ec2, '10.40.0.0/16');
    assert.match(block, /\/56$/);
    const wanted = cidrsubnet(block, 8, 1);
    const created = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24', Ipv6CidrBlock: wanted }))).Subnet;
    const associationId = created?.Ipv6CidrBlockAssociationSet?.[0]?.AssociationId ?? '';
    assert.match(associationId, /^subnet-cidr-assoc-[0-9a-f]{17}$/);
    const association = { AssociationId: associationId, Ipv6CidrBlock: wanted, Ipv6CidrBlockState: { State: 'associated' }, Ipv6AddressAttribute: 'public', IpSource: 'amazon' };
    assert.deepEqual(created?.Ipv6CidrBlockAssociationSet, [association]);
    assert.equal(created?.AssignIpv6AddressOnCreation, false);
    assert.equal(created?.Ipv6Native, false);

    const described = await subnet(ec2, created?.SubnetId ?? '');
    assert.deepEqual(described?.Ipv6CidrBlockAssociationSet, [association]);
    // What Terraform's aws_subnet reads besides (its `arn`, `enable_dns64`, `private_dns_hostname_type_on_launch`).
    assert.equal(described?.SubnetArn, `arn:aws:ec2:us-east-1:${session.server.bootstrap.accountId}:subnet/${created?.SubnetId}`);
    assert.equal(described?.EnableDns64, false);
    assert.deepEqual(described?.PrivateDnsNameOptionsOnLaunch, {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    });
    assert.equal(described?.AssignIpv6AddressOnCreation, false);
    assert.equal(described?.MapPublicIpOnLaunch, false);

    // Terraform's waiter finds the association through this filter.
    const byFilter = async (Name: string, value: string) =>
      ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name, Values: [value] }] }))).Subnets ?? []).map((s) => s.SubnetId);
    assert.deepEqual(await byFilter('ipv6-cidr-block-association.association-id', associationId), [created?.SubnetId]);
    assert.deepEqual(await byFilter('ipv6-cidr-block-association.ipv6-cidr-block', wanted), [created?.SubnetId]);
    assert.ok((await byFilter('ipv6-cidr-block-association.state', 'associated')).includes(created?.SubnetId));
    assert.deepEqual(await byFilter('ipv6-cidr-block-association.state', 'disassociated'), []);
  });

  test('blocks that are no /64 of the VPC block, or taken, are refused with EC2 codes', async () => {
    const ec2 = regional('eu-west-1');
    const { vpcId, block } = await ipv6Vpc(ec2, '10.41.0.0/16');
    const create = (CidrBlock: string, Ipv6CidrBlock: string) => ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock, Ipv6CidrBlock })));
    const sixty = cidrsubnet(block, 4, 1);
    assert.deepEqual(await create('10.41.1.0/24', sixty), { code: 'InvalidParameterValue', message: `invalid value for parameter ipv6-cidr-block: ${sixty}`, status: 400 });
    assert.deepEqual(await create('10.41.1.0/24', 'not-a-block'), { code: 'InvalidParameterValue', message: 'invalid value for parameter ipv6-cidr-block: not-a-block', status: 400 });
    assert.deepEqual(await create('10.41.1.0/24', '2001:db8::/64'), { code: 'InvalidSubnet.Range', message: "The IPv6 CIDR '2001:db8::/64' is invalid.", status: 400 });
    const first = cidrsubnet(block, 8, 3);
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.41.1.0/24', Ipv6CidrBlock: first }));
    assert.deepEqual(await create('10.41.2.0/24', first), { code: 'InvalidSubnet.Conflict', message: `The IPv6 CIDR '${first}' conflicts with another subnet`, status: 400 });
    // IPv4 overlaps and blocks outside the VPC have the same codes.
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.41.1.128/25' }))), {
      code: 'InvalidSubnet.Conflict',
      message: "The CIDR '10.41.1.128/25' conflicts with another subnet",
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.99.0.0/24' }))), {
      code: 'InvalidSubnet.Range',
      message: "The CIDR '10.99.0.0/24' is invalid.",
      status: 400,
    });
    // A VPC without IPv6 has no block to take a /64 from.
    const plain = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.42.0.0/16' }))).Vpc?.VpcId ?? '';
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: plain, CidrBlock: '10.42.1.0/24', Ipv6CidrBlock: '2600:1f00:1::/64' }))), {
      code: 'InvalidSubnet.Range',
      message: "The IPv6 CIDR '2600:1f00:1::/64' is invalid.",
      status: 400,
    });
  });

  test('Ipv6Native is checked as EC2 checks it, and IPv6-only subnets are refused', async () => {
    const ec2 = regional('eu-west-2');
    const { vpcId, block } = await ipv6Vpc(ec2, '10.43.0.0/16');
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.43.1.0/24', Ipv6CidrBlock: cidrsubnet(block, 8, 1), Ipv6Native: true }))), {
      code: 'InvalidParameterCombination',
      message: 'When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.',
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, Ipv6Native: true }))), {
      code: 'MissingParameter',
      message: "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.",
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, Ipv6CidrBlock: cidrsubnet(block, 8, 1), Ipv6Native: true }))), {
      code: 'InvalidParameterValue',
      message: 'IPv6-only subnets (ipv6Native) are not supported by this server.',
      status: 400,
    });
  });

  test('associate, modify, disassociate: Terraform adding and changing a subnet block', async () => {
    const ec2 = regional('eu-central-1');
    const { vpcId, block, associationId: vpcAssociationId } = await ipv6Vpc(ec2, '10.44.0.0/16');
    const SubnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.44.1.0/24' }))).Subnet?.SubnetId ?? '';
    assert.deepEqual((await subnet(ec2, SubnetId))?.Ipv6CidrBlockAssociationSet, []);
    // Assigning on creation needs a block first (field wording).
    assert.deepEqual(await ec2Error(ec2.send(new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: true } }))), {
      code: 'InvalidParameterValue',
      message: `Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (${SubnetId}) has an IPv6 CIDR block associated with it.`,
      status: 400,
    });
    const wanted = cidrsubnet(block, 8, 7);
    const associated = await ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId, Ipv6CidrBlock: wanted }));
    const AssociationId = associated.Ipv6CidrBlockAssociation?.AssociationId ?? '';
    assert.equal(associated.SubnetId, SubnetId);
    assert.deepEqual(associated.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState, { State: 'associating' });
    assert.equal(associated.Ipv6CidrBlockAssociation?.Ipv6CidrBlock, wanted);
    assert.deepEqual((await subnet(ec2, SubnetId))?.Ipv6CidrBlockAssociationSet?.map((a) => [a.AssociationId, a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [
      [AssociationId, wanted, 'associated'],
    ]);
    // One block per subnet.
    assert.deepEqual(await ec2Error(ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId, Ipv6CidrBlock: cidrsubnet(block, 8, 8) }))), {
      code: 'CidrLimitExceeded',
      message: `This network ${SubnetId} has met its maximum number of allowed CIDRs: 1`,
      status: 400,
    });

    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: true } }));
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    const modified = await subnet(ec2, SubnetId);
    assert.deepEqual([modified?.AssignIpv6AddressOnCreation, modified?.MapPublicIpOnLaunch], [true, true]);
    const byAssign = ((await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'assign-ipv6-address-on-creation', Values: ['true'] }] }))).Subnets ?? []).map((s) => s.SubnetId);
    assert.deepEqual(byAssign, [SubnetId]);
    assert.deepEqual(
      await ec2Error(ec2.send(new ModifySubnetAttributeCommand({ SubnetId, MapPublicIpOnLaunch: { Value: false }, AssignIpv6AddressOnCreation: { Value: false } }))),
      { code: 'InvalidParameterCombination', message: 'Only one subnet attribute can be modified at a time.', status: 400 },
    );
    // The VPC's block holds the subnet's: it cannot go first.
    assert.equal((await ec2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: vpcAssociationId })))).code, 'DependencyViolation');
    // Not while new instances would take addresses from it (field wording).
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId }))), {
      code: 'InvalidCidrBlock.InUse',
      message: `The subnet IPv6 CIDR block with association ID ${AssociationId} may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.`,
      status: 400,
    });
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId, AssignIpv6AddressOnCreation: { Value: false } }));
    const disassociated = await ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId }));
    assert.deepEqual(
      [disassociated.SubnetId, disassociated.Ipv6CidrBlockAssociation?.AssociationId, disassociated.Ipv6CidrBlockAssociation?.Ipv6CidrBlockState?.State],
      [SubnetId, AssociationId, 'disassociating'],
    );
    // Shown as disassociated, which Terraform's waiter takes as gone; then a new block can come.
    assert.deepEqual((await subnet(ec2, SubnetId))?.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState?.State), ['disassociated']);
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId }))), {
      code: 'InvalidSubnetCidrBlockAssociationID.NotFound',
      message: `The subnet CIDR block with association ID '${AssociationId}' does not exist`,
      status: 400,
    });
    const again = await ec2.send(new AssociateSubnetCidrBlockCommand({ SubnetId, Ipv6CidrBlock: cidrsubnet(block, 8, 9) }));
    assert.deepEqual((await subnet(ec2, SubnetId))?.Ipv6CidrBlockAssociationSet?.map((a) => [a.AssociationId, a.Ipv6CidrBlockState?.State]), [
      [again.Ipv6CidrBlockAssociation?.AssociationId, 'associated'],
    ]);
    // Once the subnets are gone, the VPC's block can go.
    await ec2.send(new DeleteSubnetCommand({ SubnetId }));
    await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: vpcAssociationId }));
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
    assert.deepEqual(vpc?.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState?.State), ['disassociated']);
  });
});
