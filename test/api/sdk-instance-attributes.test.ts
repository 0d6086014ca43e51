import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCreditSpecificationsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  type InstanceAttributeName,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// Issue 13: instances as Terraform's aws provider creates and reads them, and the catalogues its
// data sources read (aws_ami, aws_availability_zones) — through @aws-sdk/client-ec2.
describe('instance attributes, credit specifications, instance types, zones and images', () => {
  const session = sdkSession();

  test('RunInstances keeps what Terraform sends and reports it back', async () => {
    const { ec2 } = session;
    const userData = Buffer.from('#!/bin/sh\necho hello\n').toString('base64');
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0123456789abcdef0',
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't3.micro',
        KeyName: 'deployer',
        ClientToken: 'terraform-1',
        CreditSpecification: { CpuCredits: 'standard' },
        DisableApiTermination: true,
        DisableApiStop: false,
        EbsOptimized: true,
        HibernationOptions: { Configured: false },
        Monitoring: { Enabled: true },
        InstanceInitiatedShutdownBehavior: 'terminate',
        UserData: userData,
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled', InstanceMetadataTags: 'enabled' },
        Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default', GroupName: '' },
        CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
        MaintenanceOptions: { AutoRecovery: 'default' },
        PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
        EnclaveOptions: { Enabled: false },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true } }],
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'web-root' }] },
          { ResourceType: 'network-interface', Tags: [{ Key: 'Name', Value: 'web-eni' }] },
        ],
      }),
    );
    const instance = launched.Instances?.[0];
    const id = instance?.InstanceId ?? '';
    assert.equal(instance?.InstanceType, 't3.micro');
    assert.equal(instance?.KeyName, 'deployer');
    assert.equal(instance?.EbsOptimized, true);
    assert.deepEqual(instance?.Monitoring, { State: 'enabled' });
    assert.deepEqual(instance?.HibernationOptions, { Configured: false });
    assert.deepEqual(instance?.MetadataOptions, {
      State: 'applied',
      HttpTokens: 'required',
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'enabled',
    });
    assert.deepEqual(instance?.Placement, { AvailabilityZone: 'us-east-1a', AvailabilityZoneId: 'use1-az1', GroupName: '', Tenancy: 'default' });
    assert.deepEqual(instance?.CpuOptions, { CoreCount: 1, ThreadsPerCore: 2 });
    assert.deepEqual(instance?.Tags, [{ Key: 'Name', Value: 'web' }]);

    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];
    assert.equal(described?.State?.Name, 'running');
    assert.deepEqual(described?.MetadataOptions?.HttpTokens, 'required');
    assert.equal(described?.RootDeviceName, '/dev/xvda');
    // DescribeInstances' filters on what the launch set.
    const filtered = async (Name: string, value: string) =>
      ((await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name, Values: [value] }] }))).Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
    assert.deepEqual(await filtered('key-name', 'deployer'), [id]);
    assert.deepEqual(await filtered('monitoring-state', 'enabled'), [id]);
    assert.deepEqual(await filtered('metadata-options.http-tokens', 'required'), [id]);
    assert.deepEqual(await filtered('metadata-options.http-endpoint', 'enabled'), [id]);
    assert.deepEqual(await filtered('hibernation-options.configured', 'false'), [id]);
    assert.deepEqual(await filtered('tenancy', 'default'), [id]);
    assert.deepEqual(await filtered('tenancy', 'dedicated'), []);
    assert.deepEqual(await filtered('key-name', 'other'), []);
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }))).NetworkInterfaces?.[0];
    assert.deepEqual(eni?.TagSet, [{ Key: 'Name', Value: 'web-eni' }]);

    const attribute = async (Attribute: InstanceAttributeName) =>
      ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute }));
    assert.deepEqual((await attribute('disableApiTermination')).DisableApiTermination, { Value: true });
    assert.deepEqual((await attribute('disableApiStop')).DisableApiStop, { Value: false });
    assert.deepEqual((await attribute('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior, { Value: 'terminate' });
    assert.deepEqual((await attribute('userData')).UserData, { Value: userData });
    assert.deepEqual((await attribute('ebsOptimized')).EbsOptimized, { Value: true });
    assert.deepEqual((await attribute('instanceType')).InstanceType, { Value: 't3.micro' });
    assert.deepEqual((await attribute('sourceDestCheck')).SourceDestCheck, { Value: true });
    assert.deepEqual((await attribute('rootDeviceName')).RootDeviceName, { Value: '/dev/xvda' });
    assert.deepEqual((await attribute('enaSupport')).EnaSupport, { Value: true });
    assert.deepEqual((await attribute('sriovNetSupport')).SriovNetSupport, { Value: 'simple' });
    assert.deepEqual((await attribute('enclaveOptions')).EnclaveOptions, { Enabled: false });
    assert.deepEqual((await attribute('blockDeviceMapping')).BlockDeviceMappings, []);
    assert.deepEqual((await attribute('productCodes')).ProductCodes, []);
    // No kernel of its own (HVM): an empty element, as EC2 answers.
    assert.deepEqual((await attribute('kernel')).KernelId, {});
    assert.equal((await attribute('groupSet')).Groups?.length, 1);
    assert.deepEqual(await ec2Error(ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'colour' as InstanceAttributeName }))), {
      code: 'InvalidParameterValue',
      message: 'Value (colour) for parameter attribute is invalid. Unknown attribute.',
      status: 400,
    });

    // The credit option asked for (T3's default is unlimited).
    const credits = await ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [id] }));
    assert.deepEqual(credits.InstanceCreditSpecifications, [{ InstanceId: id, CpuCredits: 'standard' }]);

    // Termination protection holds until it is lifted with the `X.Value` form.
    assert.deepEqual(await ec2Error(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))), {
      code: 'OperationNotPermitted',
      message: `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
      status: 400,
    });
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'stop' } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, SourceDestCheck: { Value: false } }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiStop', Value: 'false' }));
    assert.deepEqual((await attribute('disableApiTermination')).DisableApiTermination, { Value: false });
    assert.deepEqual((await attribute('disableApiStop')).DisableApiStop, { Value: false });
    assert.deepEqual((await attribute('instanceInitiatedShutdownBehavior')).InstanceInitiatedShutdownBehavior, { Value: 'stop' });
    assert.deepEqual((await attribute('sourceDestCheck')).SourceDestCheck, { Value: false });

    // Refusals: two attributes at once, a running instance's type, a bad shutdown behaviour.
    assert.deepEqual(
      await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true }, DisableApiTermination: { Value: true } }))),
      { code: 'InvalidParameterCombination', message: 'Fields for multiple attribute types specified: disableApiTermination, disableApiStop', status: 400 },
    );
    assert.deepEqual(await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't3.small' } }))), {
      code: 'IncorrectInstanceState',
      message: `The instance '${id}' is not in the 'stopped' state.`,
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceInitiatedShutdownBehavior: { Value: 'hibernate' } }))), {
      code: 'InvalidParameterValue',
      message: 'Value (hibernate) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.',
      status: 400,
    });

    // The primary interface's groups, as Terraform changes vpc_security_group_ids.
    const other = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'other', Description: 'other' }))).GroupId ?? '';
    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni?.NetworkInterfaceId ?? '', Groups: [other] }));
    assert.deepEqual((await attribute('groupSet')).Groups, [{ GroupId: other, GroupName: 'other' }]);
    assert.deepEqual(await ec2Error(ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: 'eni-0000000000000000f', Groups: [other] }))), {
      code: 'InvalidNetworkInterfaceID.NotFound',
      message: "The networkInterface ID 'eni-0000000000000000f' does not exist",
      status: 400,
    });

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true } }))), {
      code: 'InvalidParameterValue',
      message: `The instance '${id}' is not in a state from which it can be modified`,
      status: 400,
    });
  });

  test('launch refusals: an unknown instance type, a zone outside the region or the subnet', async () => {
    const { ec2 } = session;
    assert.deepEqual(await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 'x9.huge' as 't2.micro' }))), {
      code: 'InvalidParameterValue',
      message: "Invalid value 'x9.huge' for InstanceType.",
      status: 400,
    });
    assert.deepEqual(
      await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1z' } }))),
      { code: 'InvalidParameterValue', message: 'Invalid availability zone: [us-east-1z]', status: 400 },
    );
    assert.deepEqual(
      await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, MetadataOptions: { HttpTokens: 'sometimes' as 'required' } }))),
      { code: 'InvalidParameterValue', message: 'Value (sometimes) for parameter HttpTokens is invalid. Valid values are optional, required.', status: 400 },
    );
    // A type that earns no credits has no credit specification.
    const m5 = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, InstanceType: 'm5.large' }))).Instances?.[0]?.InstanceId ?? '';
    assert.deepEqual(await ec2Error(ec2.send(new DescribeInstanceCreditSpecificationsCommand({ InstanceIds: [m5] }))), {
      code: 'UnsupportedOperation',
      message: `The instance ID '${m5}' is not supported. The only supported instance type families are T2, T3, T3a and T4g.`,
      status: 400,
    });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [m5] }));
  });

  test('DescribeInstanceTypes: the catalogue, burstable or not, and unknown names', async () => {
    const { ec2 } = session;
    const types = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t3.micro', 'm5.large'] }));
    const t3 = types.InstanceTypes?.find((t) => t.InstanceType === 't3.micro');
    assert.equal(t3?.BurstablePerformanceSupported, true);
    assert.deepEqual(t3?.VCpuInfo, { DefaultVCpus: 2, DefaultCores: 1, DefaultThreadsPerCore: 2 });
    assert.deepEqual(t3?.MemoryInfo, { SizeInMiB: 1024 });
    assert.deepEqual(t3?.ProcessorInfo?.SupportedArchitectures, ['x86_64']);
    assert.equal(types.InstanceTypes?.find((t) => t.InstanceType === 'm5.large')?.BurstablePerformanceSupported, false);
    const burstable = await ec2.send(new DescribeInstanceTypesCommand({ Filters: [{ Name: 'burstable-performance-supported', Values: ['true'] }], MaxResults: 100 }));
    assert.ok((burstable.InstanceTypes ?? []).every((t) => /^t[234]/.test(t.InstanceType ?? '')));
    assert.equal(burstable.InstanceTypes?.length, 28);
    assert.deepEqual(await ec2Error(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['x9.huge' as 't2.micro'] }))), {
      code: 'InvalidInstanceType',
      message: 'The following supplied instance types do not exist: [x9.huge]',
      status: 400,
    });
  });

  test('DescribeAvailabilityZones: the zones the default subnet and CreateSubnet use', async () => {
    const { ec2 } = session;
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'opt-in-status', Values: ['opt-in-not-required', 'opted-in'] }] }))).AvailabilityZones ?? [];
    assert.deepEqual(zones.map((z) => [z.ZoneName, z.ZoneId, z.State]), [
      ['us-east-1a', 'use1-az1', 'available'],
      ['us-east-1b', 'use1-az2', 'available'],
      ['us-east-1c', 'use1-az3', 'available'],
      ['us-east-1d', 'use1-az4', 'available'],
      ['us-east-1e', 'use1-az5', 'available'],
      ['us-east-1f', 'use1-az6', 'available'],
    ]);
    const defaultSubnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] }))).Subnets?.[0];
    assert.deepEqual([defaultSubnet?.AvailabilityZone, defaultSubnet?.AvailabilityZoneId], ['us-east-1a', 'use1-az1']);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc?.VpcId ?? '';
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.1.0/24', AvailabilityZoneId: 'use1-az3' }))).Subnet;
    assert.deepEqual([subnet?.AvailabilityZone, subnet?.AvailabilityZoneId], ['us-east-1c', 'use1-az3']);
    const byZoneId = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone-id', Values: ['use1-az3'] }] }));
    assert.deepEqual(byZoneId.Subnets?.map((s) => s.SubnetId), [subnet?.SubnetId]);
    assert.deepEqual(await ec2Error(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.2.0/24', AvailabilityZone: 'us-east-1z' }))), {
      code: 'InvalidParameterValue',
      message:
        'Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f.',
      status: 400,
    });
    const one = await ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1b'] }));
    assert.deepEqual(one.AvailabilityZones?.map((z) => z.ZoneName), ['us-east-1b']);
    assert.deepEqual(await ec2Error(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1z'] }))), {
      code: 'InvalidParameterValue',
      message: 'Invalid availability zone: [us-east-1z]',
      status: 400,
    });
  });

  test('DescribeImages: the most recent public image by owner and name, and images launches used', async () => {
    const { ec2 } = session;
    // data "aws_ami" { most_recent = true, owners = ["amazon"], filter { name = "name", values = ["al2023-ami-2023.*-x86_64"] } }
    const found = await ec2.send(
      new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }], IncludeDeprecated: false }),
    );
    const images = found.Images ?? [];
    assert.deepEqual(images.map((i) => [i.Name, i.CreationDate, i.OwnerId, i.ImageOwnerAlias]), [
      ['al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64', '2024-12-12T19:03:06.000Z', '137112412989', 'amazon'],
      ['al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64', '2025-01-15T20:27:41.000Z', '137112412989', 'amazon'],
    ]);
    const newest = images[1];
    assert.match(newest?.ImageId ?? '', /^ami-[0-9a-f]{17}$/);
    assert.equal(newest?.State, 'available');
    assert.equal(newest?.RootDeviceName, '/dev/xvda');
    assert.equal(newest?.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize, 8);
    const ubuntu = await ec2.send(new DescribeImagesCommand({ Owners: ['099720109477'], Filters: [{ Name: 'name', Values: ['ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*'] }] }));
    assert.equal(ubuntu.Images?.length, 2);

    // Any AMI ID a launch used is describable by ID, as the launching account's own image.
    await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0aaaabbbbccccdddd', MinCount: 1, MaxCount: 1 }));
    const own = (await ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0aaaabbbbccccdddd'] }))).Images?.[0];
    assert.deepEqual([own?.ImageId, own?.OwnerId, own?.Public], ['ami-0aaaabbbbccccdddd', session.server.bootstrap.accountId, false]);
    // The earlier tests' launches used two other IDs.
    const self = (await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images ?? [];
    assert.deepEqual(self.map((i) => i.ImageId), ['ami-0123456789abcdef0', 'ami-12345678', 'ami-0aaaabbbbccccdddd']);
    assert.deepEqual(await ec2Error(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000000f'] }))), {
      code: 'InvalidAMIID.NotFound',
      message: "The image id '[ami-0000000000000000f]' does not exist",
      status: 400,
    });
    assert.deepEqual(await ec2Error(ec2.send(new DescribeImagesCommand({ ImageIds: ['image-1'] }))), {
      code: 'InvalidAMIID.Malformed',
      message: 'Invalid id: "image-1" (expecting "ami-...")',
      status: 400,
    });
  });
});
