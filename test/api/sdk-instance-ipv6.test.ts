import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DisassociateSubnetCidrBlockCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { formatIpv6Address, parseIpv6Cidr } from '../../src/domain/cidr.js';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

/** A VPC with an Amazon /56, a subnet with its /64 number `netnum`, and that /64's network as a bigint. */
async function ipv6Subnet(ec2: EC2Client, cidr: string, subnetCidr: string, netnum: number): Promise<{ subnetId: string; associationId: string; network: bigint }> {
  const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr, AmazonProvidedIpv6CidrBlock: true }))).Vpc;
  const block = parseIpv6Cidr(vpc?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock ?? '');
  if (block === undefined) throw new Error('the VPC has no IPv6 block');
  const network = block.network + (BigInt(netnum) << 64n);
  const created = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc?.VpcId, CidrBlock: subnetCidr, Ipv6CidrBlock: `${formatIpv6Address(network)}/64` }))).Subnet;
  return { subnetId: created?.SubnetId ?? '', associationId: created?.Ipv6CidrBlockAssociationSet?.[0]?.AssociationId ?? '', network };
}

const address = (network: bigint, host: number) => formatIpv6Address(network + BigInt(host));
const launch = (ec2: EC2Client, input: Partial<RunInstancesCommandInput>) =>
  ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, ...input }));

// Issue 10: IPv6 addresses of instances, from their subnet's /64, as RunInstances takes them
// (`Ipv6AddressCount`, `Ipv6Address.N`, the same on `NetworkInterface.1`, the subnet's
// assign-on-creation default) and DescribeInstances / DescribeNetworkInterfaces show them.
describe('IPv6 addresses of instances through @aws-sdk/client-ec2', () => {
  const session = sdkSession();

  test('counts, given addresses and the subnet default; shown and filterable; released at termination', async () => {
    const { ec2 } = session;
    const { subnetId, associationId, network } = await ipv6Subnet(ec2, '10.50.0.0/16', '10.50.1.0/24', 2);
    // The first four addresses of the /64 are reserved, as for IPv4.
    const two = await launch(ec2, { SubnetId: subnetId, MinCount: 2, MaxCount: 2, Ipv6AddressCount: 2 });
    assert.deepEqual(two.Instances?.map((i) => i.NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address)), [
      [address(network, 4), address(network, 5)],
      [address(network, 6), address(network, 7)],
    ]);
    assert.deepEqual(two.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0], { Ipv6Address: address(network, 4), IsPrimaryIpv6: false });
    assert.equal(two.Instances?.[0]?.Ipv6Address, address(network, 4));

    // Given on the primary interface, in any spelling: kept in canonical form.
    const wanted = address(network, 0x100);
    const given = await launch(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, Ipv6Addresses: [{ Ipv6Address: wanted.toUpperCase() }] }] });
    const givenId = given.Instances?.[0]?.InstanceId ?? '';
    assert.deepEqual(given.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address), [wanted]);

    // Nothing asked: none, until the subnet assigns one on creation.
    const none = await launch(ec2, { SubnetId: subnetId });
    assert.deepEqual(none.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses, []);
    assert.equal(none.Instances?.[0]?.Ipv6Address, undefined);
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, AssignIpv6AddressOnCreation: { Value: true } }));
    const byDefault = await launch(ec2, { SubnetId: subnetId });
    assert.deepEqual(byDefault.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address), [address(network, 8)]);
    const optedOut = await launch(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, Ipv6AddressCount: 0 }] });
    assert.deepEqual(optedOut.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses, []);

    // DescribeInstances and its filters.
    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [givenId] }))).Reservations?.[0]?.Instances?.[0];
    assert.deepEqual(described?.NetworkInterfaces?.[0]?.Ipv6Addresses, [{ Ipv6Address: wanted, IsPrimaryIpv6: false }]);
    assert.equal(described?.Ipv6Address, wanted);
    for (const Name of ['ipv6-address', 'network-interface.ipv6-address', 'network-interface.ipv6-addresses.ipv6-address']) {
      const found = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name, Values: [wanted] }] }))).Reservations?.flatMap((r) => r.Instances ?? []);
      assert.deepEqual(found?.map((i) => i.InstanceId), [givenId], Name);
    }
    // DescribeNetworkInterfaces and its filter.
    const interfaces = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'ipv6-addresses.ipv6-address', Values: [wanted] }] }))).NetworkInterfaces;
    assert.deepEqual(interfaces?.map((n) => [n.Attachment?.InstanceId, n.Ipv6Addresses, n.Ipv6Address]), [[givenId, [{ Ipv6Address: wanted, IsPrimaryIpv6: false }], wanted]]);

    // A held address is refused; once its instance is terminated it is free again.
    assert.deepEqual(await ec2Error(launch(ec2, { SubnetId: subnetId, Ipv6Addresses: [{ Ipv6Address: wanted }] })), {
      code: 'InvalidIPAddress.InUse',
      message: `Address ${wanted} is in use.`,
      status: 400,
    });
    // The block cannot go while addresses from it are held (and assigning is turned off).
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, AssignIpv6AddressOnCreation: { Value: false } }));
    assert.deepEqual(await ec2Error(ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: associationId }))), {
      code: 'InvalidCidrBlock.InUse',
      message: `The subnet IPv6 CIDR block with association ID ${associationId} may not be disassociated, because IPv6 addresses from it are in use.`,
      status: 400,
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [givenId] }));
    const reused = await launch(ec2, { SubnetId: subnetId, Ipv6Addresses: [{ Ipv6Address: wanted }] });
    assert.deepEqual(reused.Instances?.[0]?.NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address), [wanted]);
    const all = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetId] }, { Name: 'instance-state-name', Values: ['running'] }] })))
      .Reservations?.flatMap((r) => r.Instances ?? [])
      .map((i) => i.InstanceId);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: all?.map((id) => id ?? '') }));
    await ec2.send(new DisassociateSubnetCidrBlockCommand({ AssociationId: associationId }));
  });

  test('refusals: both forms, no IPv6 block, outside the block or reserved, several instances with given addresses', async () => {
    const { ec2 } = session;
    const { subnetId, network } = await ipv6Subnet(ec2, '10.51.0.0/16', '10.51.1.0/24', 1);
    assert.deepEqual(await ec2Error(launch(ec2, { SubnetId: subnetId, Ipv6AddressCount: 1, Ipv6Addresses: [{ Ipv6Address: address(network, 9) }] })), {
      code: 'InvalidParameterCombination',
      message: 'IPv6 addresses and IPv6 address count may not be specified on the same request',
      status: 400,
    });
    for (const host of [1, -1]) {
      const outside = host < 0 ? formatIpv6Address(network - 1n) : address(network, host);
      assert.deepEqual(await ec2Error(launch(ec2, { SubnetId: subnetId, Ipv6Addresses: [{ Ipv6Address: outside }] })), {
        code: 'InvalidParameterValue',
        message: `The IPv6 address ${outside} is not a valid address in the IPv6 CIDR block of subnet '${subnetId}'.`,
        status: 400,
      });
    }
    assert.deepEqual(await ec2Error(launch(ec2, { SubnetId: subnetId, MinCount: 2, MaxCount: 2, Ipv6Addresses: [{ Ipv6Address: address(network, 9) }] })), {
      code: 'InvalidParameterValue',
      message: 'Specific IPv6 addresses can only be given for a launch of one instance.',
      status: 400,
    });
    assert.deepEqual(await ec2Error(launch(ec2, { SubnetId: subnetId, Ipv6AddressCount: 51 })), {
      code: 'InvalidParameterValue',
      message: 'Value (51) for parameter ipv6AddressCount is invalid.',
      status: 400,
    });
    // The default subnet has no IPv6 block.
    assert.deepEqual(await ec2Error(launch(ec2, { Ipv6AddressCount: 1 })), {
      code: 'InvalidParameterValue',
      message: (await defaultSubnetMessage(ec2)),
      status: 400,
    });
  });
});

async function defaultSubnetMessage(ec2: EC2Client): Promise<string> {
  const launched = await launch(ec2, {});
  const subnetId = launched.Instances?.[0]?.SubnetId ?? '';
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [launched.Instances?.[0]?.InstanceId ?? ''] }));
  return `The subnet '${subnetId}' has no IPv6 CIDR block, so no IPv6 address can be assigned in it.`;
}
