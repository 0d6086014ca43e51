import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AssociateVpcCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

async function createVpc(ec2: EC2Client, CidrBlock: string, AmazonProvidedIpv6CidrBlock?: boolean) {
  return (await ec2.send(new CreateVpcCommand({ CidrBlock, AmazonProvidedIpv6CidrBlock }))).Vpc;
}

async function describeVpc(ec2: EC2Client, vpcId: string) {
  return (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0];
}

const ipv6Fields = (region: string) => ({ NetworkBorderGroup: region, Ipv6Pool: 'Amazon', Ipv6AddressAttribute: 'public', IpSource: 'amazon' });

// Issue 13: AssociateVpcCidrBlock and DisassociateVpcCidrBlock, as Terraform's
// aws_vpc_ipv4_cidr_block_association and Ansible's ec2_vpc_net use them: the answer shows the
// transient state, DescribeVpcs the settled one.
describe('secondary IPv4 blocks of a VPC', () => {
  const session = sdkSession();

  test('associate, describe, use for a subnet, refuse to disassociate while used, disassociate', async () => {
    const { ec2 } = session;
    const vpc = await createVpc(ec2, '10.0.0.0/16');
    const VpcId = vpc?.VpcId ?? '';
    const primary = vpc?.CidrBlockAssociationSet?.[0]?.AssociationId ?? '';
    const answer = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, CidrBlock: '10.1.0.9/16' }));
    const AssociationId = answer.CidrBlockAssociation?.AssociationId ?? '';
    assert.match(AssociationId, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
    assert.deepEqual(
      { VpcId: answer.VpcId, CidrBlockAssociation: answer.CidrBlockAssociation, Ipv6CidrBlockAssociation: answer.Ipv6CidrBlockAssociation },
      { VpcId, CidrBlockAssociation: { AssociationId, CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'associating' } }, Ipv6CidrBlockAssociation: undefined },
    );
    const described = await describeVpc(ec2, VpcId);
    assert.equal(described?.CidrBlock, '10.0.0.0/16');
    assert.deepEqual(described?.CidrBlockAssociationSet, [
      { AssociationId: primary, CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
      { AssociationId, CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'associated' } },
    ]);
    // The main route table routes the new block locally.
    const table = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [VpcId] }] }))).RouteTables?.[0];
    assert.deepEqual(table?.Routes?.map((r) => r.DestinationCidrBlock), ['10.0.0.0/16', '10.1.0.0/16']);
    // A subnet may lie in the secondary block, which then cannot go.
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.1.4.0/24' }))).Subnet?.SubnetId ?? '';
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId }))), {
      code: 'DependencyViolation',
      message: `The vpc CIDR block with association ID ${AssociationId} may not be disassociated. It has subnets.`,
      status: 400,
    });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet }));
    const gone = await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId }));
    assert.deepEqual(
      { VpcId: gone.VpcId, CidrBlockAssociation: gone.CidrBlockAssociation },
      { VpcId, CidrBlockAssociation: { AssociationId, CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'disassociating' } } },
    );
    assert.deepEqual((await describeVpc(ec2, VpcId))?.CidrBlockAssociationSet, [
      { AssociationId: primary, CidrBlock: '10.0.0.0/16', CidrBlockState: { State: 'associated' } },
      { AssociationId, CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'disassociated' } },
    ]);
    const byState = async (state: string) =>
      ((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.state', Values: [state] }, { Name: 'vpc-id', Values: [VpcId] }] }))).Vpcs ?? []).length;
    assert.deepEqual([await byState('disassociated'), await byState('associated')], [1, 1]);
    // A subnet can no longer lie there; the block can be associated again, with a new ID.
    assert.equal((await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.1.4.0/24' })))).code, 'InvalidSubnet.Range');
    const again = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, CidrBlock: '10.1.0.0/16' }))).CidrBlockAssociation?.AssociationId;
    assert.notEqual(again, AssociationId);
    assert.deepEqual((await describeVpc(ec2, VpcId))?.CidrBlockAssociationSet?.map((a) => [a.CidrBlock, a.CidrBlockState?.State]), [
      ['10.0.0.0/16', 'associated'],
      ['10.1.0.0/16', 'associated'],
    ]);
  });

  test('refusals: range, malformed, overlap, the fifth block, the primary block, unknown associations', async () => {
    const { ec2 } = session;
    const vpc = await createVpc(ec2, '10.10.0.0/16');
    const VpcId = vpc?.VpcId ?? '';
    const associate = (input: Omit<ConstructorParameters<typeof AssociateVpcCidrBlockCommand>[0], 'VpcId'>) =>
      ec2Error(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, ...input })));
    assert.deepEqual(await associate({ CidrBlock: '10.20.0.0/15' }), { code: 'InvalidVpc.Range', message: "The CIDR '10.20.0.0/15' is invalid.", status: 400 });
    assert.deepEqual(await associate({ CidrBlock: '10.20.0.0/29' }), { code: 'InvalidVpc.Range', message: "The CIDR '10.20.0.0/29' is invalid.", status: 400 });
    assert.deepEqual(await associate({ CidrBlock: '10.20.0.0' }), {
      code: 'InvalidParameterValue',
      message: 'Value (10.20.0.0) for parameter cidrBlock is invalid. This is not a valid CIDR block.',
      status: 400,
    });
    assert.deepEqual(await associate({ CidrBlock: '10.10.128.0/17' }), {
      code: 'InvalidVpc.Range',
      message: "The CIDR '10.10.128.0/17' conflicts with the CIDR '10.10.0.0/16' of the VPC.",
      status: 400,
    });
    assert.deepEqual(await associate({}), {
      code: 'MissingParameter',
      message: 'The request must contain the parameter cidrBlock or amazonProvidedIpv6CidrBlock',
      status: 400,
    });
    assert.deepEqual(await associate({ CidrBlock: '10.20.0.0/16', AmazonProvidedIpv6CidrBlock: true }), {
      code: 'InvalidParameterCombination',
      message: "The parameter 'cidrBlock' cannot be used with the parameter 'amazonProvidedIpv6CidrBlock'",
      status: 400,
    });
    for (const block of ['10.11.0.0/16', '10.12.0.0/16', '10.13.0.0/16', '10.14.0.0/16']) await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, CidrBlock: block }));
    assert.deepEqual(await associate({ CidrBlock: '10.15.0.0/16' }), {
      code: 'CidrLimitExceeded',
      message: `This network ${VpcId} has met its maximum number of allowed CIDRs: 5`,
      status: 400,
    });
    const primary = vpc?.CidrBlockAssociationSet?.[0]?.AssociationId ?? '';
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primary }))), {
      code: 'OperationNotPermitted',
      message: `The vpc CIDR block with association ID ${primary} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`,
      status: 400,
    });
    const unknown = 'vpc-cidr-assoc-0123456789abcdef0';
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: unknown }))), {
      code: 'InvalidVpcCidrBlockAssociationID.NotFound',
      message: `The vpc CIDR block association ID '${unknown}' does not exist`,
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.30.0.0/16' }))), {
      code: 'InvalidVpcID.NotFound',
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      status: 400,
    });
  });
});

describe('Amazon-provided IPv6 blocks of a VPC', () => {
  const session = sdkSession();

  test('associate one /56, refuse a second, disassociate, associate a new one', async () => {
    const { ec2 } = session;
    const VpcId = (await createVpc(ec2, '10.40.0.0/16'))?.VpcId ?? '';
    const answer = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, AmazonProvidedIpv6CidrBlock: true }));
    const association = answer.Ipv6CidrBlockAssociation;
    const AssociationId = association?.AssociationId ?? '';
    const Ipv6CidrBlock = association?.Ipv6CidrBlock ?? '';
    assert.match(AssociationId, /^vpc-ipv6-cidr-assoc-[0-9a-f]{17}$/);
    // Canonical text (RFC 5952): leading zeros dropped, a zero fourth group compressed away.
    assert.match(Ipv6CidrBlock, /^2600:1f[0-9a-f]{2}:[0-9a-f]{1,4}(:[0-9a-f]{1,2}00)?::\/56$/);
    assert.deepEqual(answer.CidrBlockAssociation, undefined);
    assert.deepEqual(association, { AssociationId, Ipv6CidrBlock, Ipv6CidrBlockState: { State: 'associating' }, ...ipv6Fields('us-east-1') });
    assert.deepEqual((await describeVpc(ec2, VpcId))?.Ipv6CidrBlockAssociationSet, [
      { AssociationId, Ipv6CidrBlock, Ipv6CidrBlockState: { State: 'associated' }, ...ipv6Fields('us-east-1') },
    ]);
    assert.deepEqual(await ec2Error(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, AmazonProvidedIpv6CidrBlock: true }))), {
      code: 'CidrLimitExceeded',
      message: `This network ${VpcId} has met its maximum number of allowed CIDRs: 1`,
      status: 400,
    });
    const gone = (await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId }))).Ipv6CidrBlockAssociation;
    assert.equal(gone?.Ipv6CidrBlockState?.State, 'disassociating');
    assert.deepEqual((await describeVpc(ec2, VpcId))?.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState?.State), ['disassociated']);
    const next = (await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId, AmazonProvidedIpv6CidrBlock: true }))).Ipv6CidrBlockAssociation;
    assert.notEqual(next?.AssociationId, AssociationId);
    assert.deepEqual((await describeVpc(ec2, VpcId))?.Ipv6CidrBlockAssociationSet?.map((a) => [a.AssociationId, a.Ipv6CidrBlockState?.State]), [
      [next?.AssociationId, 'associated'],
    ]);
  });

  test("CreateVpc's block can be disassociated by its association ID", async () => {
    const { ec2 } = session;
    const vpc = await createVpc(ec2, '10.41.0.0/16', true);
    const AssociationId = vpc?.Ipv6CidrBlockAssociationSet?.[0]?.AssociationId ?? '';
    await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId }));
    const described = await describeVpc(ec2, vpc?.VpcId ?? '');
    assert.deepEqual(described?.Ipv6CidrBlockAssociationSet?.map((a) => [a.AssociationId, a.Ipv6CidrBlock, a.Ipv6CidrBlockState?.State]), [
      [AssociationId, vpc?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock, 'disassociated'],
    ]);
    assert.equal((await ec2Error(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId })))).code, 'InvalidVpcCidrBlockAssociationID.NotFound');
  });
});
