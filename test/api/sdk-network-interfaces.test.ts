import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// DescribeNetworkInterfaces, as clients use it before deleting a group: Terraform's
// aws_security_group delete lists the interfaces with `group-id` (and Lambda's with a description
// pattern) and fails if the call does. Each VPC instance has its primary interface.
describe('DescribeNetworkInterfaces through @aws-sdk/client-ec2', () => {
  const session = sdkSession();
  let groupId: string;
  let instanceId: string;
  before(async () => {
    groupId = (await session.ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier' }))).GroupId ?? '';
    const launched = await session.ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [groupId] }));
    instanceId = launched.Instances?.[0]?.InstanceId ?? '';
  });

  test("a VPC instance's primary interface, found by its group, as DescribeInstances names it", async () => {
    const { ec2, server } = session;
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0];
    const interfaces = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).NetworkInterfaces ?? [];
    assert.equal(interfaces.length, 1);
    const eni = interfaces[0];
    assert.equal(eni?.NetworkInterfaceId, instance?.NetworkInterfaces?.[0]?.NetworkInterfaceId);
    assert.match(eni?.NetworkInterfaceId ?? '', /^eni-[0-9a-f]{17}$/);
    assert.match(eni?.MacAddress ?? '', /^02(:[0-9a-f]{2}){5}$/);
    assert.ok(eni?.Attachment?.AttachTime instanceof Date);
    const privateDnsName = `ip-${(instance?.PrivateIpAddress ?? '').replace(/\./g, '-')}.ec2.internal`;
    assert.deepEqual(
      { ...eni, MacAddress: undefined, Attachment: { ...eni?.Attachment, AttachTime: undefined, AttachmentId: undefined } },
      {
        NetworkInterfaceId: eni?.NetworkInterfaceId,
        SubnetId: instance?.SubnetId,
        VpcId: instance?.VpcId,
        AvailabilityZone: instance?.Placement?.AvailabilityZone,
        Description: '',
        OwnerId: server.bootstrap.accountId,
        RequesterManaged: false,
        Status: 'in-use',
        MacAddress: undefined,
        PrivateIpAddress: instance?.PrivateIpAddress,
        PrivateDnsName: privateDnsName,
        SourceDestCheck: true,
        Groups: [{ GroupId: groupId, GroupName: 'web' }],
        Attachment: {
          AttachmentId: undefined,
          AttachTime: undefined,
          InstanceId: instanceId,
          InstanceOwnerId: server.bootstrap.accountId,
          DeviceIndex: 0,
          NetworkCardIndex: 0,
          Status: 'attached',
          DeleteOnTermination: true,
        },
        TagSet: [],
        PrivateIpAddresses: [{ PrivateIpAddress: instance?.PrivateIpAddress, PrivateDnsName: privateDnsName, Primary: true }],
        Ipv6Addresses: [],
        InterfaceType: 'interface',
      },
    );
    assert.match(eni?.Attachment?.AttachmentId ?? '', /^eni-attach-[0-9a-f]{17}$/);
  });

  test('filters and IDs: Terraform\'s Lambda probe finds nothing; unknown and malformed IDs are EC2 errors', async () => {
    const { ec2 } = session;
    const lambda = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }, { Name: 'description', Values: ['AWS Lambda VPC ENI*'] }] }),
    );
    assert.deepEqual(lambda.NetworkInterfaces, []);
    const byInstance = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }));
    const eniId = byInstance.NetworkInterfaces?.[0]?.NetworkInterfaceId ?? '';
    const byId = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));
    assert.deepEqual(byId.NetworkInterfaces?.map((n) => n.NetworkInterfaceId), [eniId]);
    assert.deepEqual(await ec2Error(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] }))), {
      code: 'InvalidNetworkInterfaceID.NotFound',
      message: "The networkInterface ID 'eni-0123456789abcdef0' does not exist",
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-xyz'] }))), {
      code: 'InvalidNetworkInterfaceID.Malformed',
      message: 'Invalid id: "eni-xyz" (expecting "eni-...")',
      status: 400,
    });
    const combined = await ec2Error(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId], MaxResults: 5 })));
    assert.equal(combined.code, 'InvalidParameterCombination');
  });

  test("Terraform's delete: the group is in use until its instance is terminated, then has no interfaces and goes", async () => {
    const { ec2 } = session;
    // A VPC group attached to an instance's interface (spec/errors.md §3.2, DependencyViolation).
    assert.deepEqual(await ec2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }))), {
      code: 'DependencyViolation',
      message: `resource ${groupId} has a dependent object`,
      status: 400,
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const left = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
    assert.deepEqual(left.NetworkInterfaces, []);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  });
});
