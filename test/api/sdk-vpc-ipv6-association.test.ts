import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateVpcCommand, DeleteVpcCommand, DescribeVpcsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';

// The botocore model's `VpcIpv6CidrBlockAssociation` carries the pool, border group, source and
// address kind of an IPv6 block; an Amazon-provided block (spec/api.md §5.13) has pool `Amazon`,
// which is what clients such as Terraform test to tell it from a BYOIP or IPAM block.
describe('IPv6 block associations of a VPC through @aws-sdk/client-ec2', () => {
  let server: RunningStockade;
  let ec2: EC2Client;
  before(async () => {
    server = await startStockade();
    ec2 = ec2Client(server, server.bootstrap, 'eu-west-1');
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
  });

  test('an Amazon-provided block reports pool Amazon and the region as border group', async () => {
    const created = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc;
    const vpcId = created?.VpcId ?? '';
    const expected = (association: { AssociationId?: string; Ipv6CidrBlock?: string } | undefined) => ({
      AssociationId: association?.AssociationId,
      Ipv6CidrBlock: association?.Ipv6CidrBlock,
      Ipv6CidrBlockState: { State: 'associated' },
      NetworkBorderGroup: 'eu-west-1',
      Ipv6Pool: 'Amazon',
      Ipv6AddressAttribute: 'public',
      IpSource: 'amazon',
    });
    const onCreate = created?.Ipv6CidrBlockAssociationSet;
    assert.equal(onCreate?.length, 1);
    assert.match(onCreate?.[0]?.Ipv6CidrBlock ?? '', /\/56$/);
    assert.deepEqual(onCreate, [expected(onCreate?.[0])]);

    const described = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs?.[0]?.Ipv6CidrBlockAssociationSet;
    assert.deepEqual(described, [expected(onCreate?.[0])]);
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  test('a VPC without IPv6 has an empty association set', async () => {
    const created = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc;
    assert.deepEqual(created?.Ipv6CidrBlockAssociationSet, []);
    await ec2.send(new DeleteVpcCommand({ VpcId: created?.VpcId ?? '' }));
  });
});
