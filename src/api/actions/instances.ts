import type { Instance } from '../../domain/instance.js';
import { describeInstanceAttribute, describeInstanceCreditSpecifications, modifyInstanceAttribute } from '../../service/instance-attributes.js';
import { describeInstances, terminateInstances } from '../../service/instances.js';
import { runInstances } from '../../service/run-instances.js';
import { invalidParameterValue } from '../../domain/ec2-errors.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { integer, list, string, struct, boolean } from '../query-shape.js';
import { instanceAttributeXml, instanceStateXml, reservationXml } from '../xml/instance-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

const networkInterfaceShape = struct({
  DeviceIndex: integer,
  SubnetId: string,
  SecurityGroupId: list(string),
  PrivateIpAddress: string,
  AssociatePublicIpAddress: boolean,
  DeleteOnTermination: boolean,
  Ipv6AddressCount: integer,
  // The model's queryName (locationName ipv6AddressesSet is for XML).
  Ipv6Addresses: list(struct({ Ipv6Address: string })),
  Description: string,
  NetworkCardIndex: integer,
  InterfaceType: string,
});

/** `Placement.*` (botocore `Placement`): the zone, tenancy and placement group are kept. */
const placementShape = struct({
  AvailabilityZone: string,
  AvailabilityZoneId: string,
  Affinity: string,
  GroupName: string,
  GroupId: string,
  PartitionNumber: integer,
  HostId: string,
  Tenancy: string,
  SpreadDomain: string,
  HostResourceGroupArn: string,
});

/** `BlockDeviceMapping.N.*`: accepted; volumes are not modelled (issue 13). */
const blockDeviceMappingShape = struct({
  DeviceName: string,
  VirtualName: string,
  NoDevice: string,
  Ebs: struct({
    DeleteOnTermination: boolean,
    Iops: integer,
    SnapshotId: string,
    VolumeSize: integer,
    VolumeType: string,
    KmsKeyId: string,
    Throughput: integer,
    Encrypted: boolean,
  }),
});

/** RunInstances (spec/api.md §5.14): answered with the instances pending (code 0). */
export const runInstancesAction = ec2WriteAction(
  struct({
    ...common,
    ImageId: string,
    MinCount: integer,
    MaxCount: integer,
    InstanceType: string,
    KeyName: string,
    SecurityGroup: list(string),
    SecurityGroupId: list(string),
    SubnetId: string,
    PrivateIpAddress: string,
    Placement: placementShape,
    NetworkInterface: list(networkInterfaceShape),
    TagSpecification: list(tagSpecificationShape),
    ClientToken: string,
    UserData: string,
    Ipv6AddressCount: integer,
    Ipv6Address: list(struct({ Ipv6Address: string })),
    // Issue 13: the other members Terraform's aws provider (5.100) sends for an aws_instance (its
    // RunInstancesInput). Those Stockade does not model (block devices, CPU options, IAM instance
    // profile, capacity reservations, enclave, maintenance and private-DNS options, launch
    // templates, kernel and RAM disk) are accepted and not kept.
    CreditSpecification: struct({ CpuCredits: string }),
    DisableApiTermination: boolean,
    DisableApiStop: boolean,
    EbsOptimized: boolean,
    HibernationOptions: struct({ Configured: boolean }),
    Monitoring: struct({ Enabled: boolean }),
    InstanceInitiatedShutdownBehavior: string,
    MetadataOptions: struct({
      HttpTokens: string,
      HttpPutResponseHopLimit: integer,
      HttpEndpoint: string,
      HttpProtocolIpv6: string,
      InstanceMetadataTags: string,
    }),
    BlockDeviceMapping: list(blockDeviceMappingShape),
    CpuOptions: struct({ CoreCount: integer, ThreadsPerCore: integer, AmdSevSnp: string }),
    CapacityReservationSpecification: struct({
      CapacityReservationPreference: string,
      CapacityReservationTarget: struct({ CapacityReservationId: string, CapacityReservationResourceGroupArn: string }),
    }),
    EnclaveOptions: struct({ Enabled: boolean }),
    IamInstanceProfile: struct({ Arn: string, Name: string }),
    MaintenanceOptions: struct({ AutoRecovery: string }),
    PrivateDnsNameOptions: struct({ HostnameType: string, EnableResourceNameDnsARecord: boolean, EnableResourceNameDnsAAAARecord: boolean }),
    LaunchTemplate: struct({ LaunchTemplateId: string, LaunchTemplateName: string, Version: string }),
    KernelId: string,
    RamdiskId: string,
    AdditionalInfo: string,
  }),
  async ({ queue, context, view }, input) => {
    // The primary interface may carry the subnet, groups and address instead (device index 0).
    const primary = input.networkInterface.find((n) => (n.deviceIndex ?? 0) === 0);
    if (input.networkInterface.length > 1) throw invalidParameterValue('Only one network interface (device index 0) is supported');
    const subnetId = input.subnetId ?? primary?.subnetId;
    const privateIpAddress = input.privateIpAddress ?? primary?.privateIpAddress;
    const availabilityZone = input.placement?.availabilityZone ?? input.placement?.availabilityZoneId;
    // IPv6 addresses of the primary interface, given on the request or on the interface (issue 10).
    const ipv6AddressCount = input.ipv6AddressCount ?? primary?.ipv6AddressCount;
    const ipv6Addresses = [...input.ipv6Address, ...(primary?.ipv6Addresses ?? [])].map((a) => a.ipv6Address ?? '');
    const reservation = await queue.submit(
      runInstances(context, {
        ...(input.imageId === undefined ? {} : { imageId: input.imageId }),
        ...(input.minCount === undefined ? {} : { minCount: input.minCount }),
        ...(input.maxCount === undefined ? {} : { maxCount: input.maxCount }),
        ...(input.instanceType === undefined ? {} : { instanceType: input.instanceType }),
        securityGroupNames: input.securityGroup,
        securityGroupIds: [...input.securityGroupId, ...(primary?.securityGroupId ?? [])],
        ...(subnetId === undefined ? {} : { subnetId }),
        ...(privateIpAddress === undefined ? {} : { privateIpAddress }),
        ...(availabilityZone === undefined ? {} : { availabilityZone }),
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
        ...(ipv6AddressCount === undefined ? {} : { ipv6AddressCount }),
        ipv6Addresses,
        attributes: {
          disableApiTermination: input.disableApiTermination,
          disableApiStop: input.disableApiStop,
          instanceInitiatedShutdownBehavior: input.instanceInitiatedShutdownBehavior,
          ebsOptimized: input.ebsOptimized,
          userData: input.userData,
          keyName: input.keyName,
          monitoring: input.monitoring?.enabled,
          hibernationConfigured: input.hibernationOptions?.configured,
          cpuCredits: input.creditSpecification?.cpuCredits,
          metadataOptions: input.metadataOptions,
          tenancy: input.placement?.tenancy,
          placementGroupName: input.placement?.groupName,
        },
      }),
    );
    return reservationXml(view, reservation.reservationId, reservation.ownerId, reservation.instances, () => 'pending');
  },
);

/** DescribeInstances (spec/api.md §5.14): instances grouped by reservation. */
export const describeInstancesAction = ec2Action(
  struct({ ...common, ...paging, InstanceId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeInstances(view, context, { instanceIds: input.instanceId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    const reservations = new Map<string, Instance[]>();
    for (const instance of page.items) {
      const list = reservations.get(instance.reservationId) ?? [];
      list.push(instance);
      reservations.set(instance.reservationId, list);
    }
    return (
      itemList(
        'reservationSet',
        [...reservations].map(([id, instances]) => reservationXml(view, id, instances[0]?.ownerId ?? '', instances)),
      ) + element('nextToken', page.nextToken)
    );
  },
);

/** TerminateInstances (spec/api.md §5.14). */
export const terminateInstancesAction = ec2WriteAction(struct({ ...common, InstanceId: list(string) }), async ({ queue, context }, input) => {
  const changes = await queue.submit(terminateInstances(context, input.instanceId));
  return itemList(
    'instancesSet',
    changes.map((c) => element('instanceId', c.instanceId) + instanceStateXml('currentState', c.current) + instanceStateXml('previousState', c.previous)),
  );
});

const attributeValue = struct({ Value: string });
const booleanAttributeValue = struct({ Value: boolean });

/**
 * ModifyInstanceAttribute: `GroupId.N`, the `X.Value` forms (`DisableApiTermination.Value`,
 * `InstanceType.Value` …) or `Attribute` with `Value`; one attribute per call
 * (service/instance-attributes.ts).
 */
export const modifyInstanceAttributeAction = ec2WriteAction(
  struct({
    ...common,
    InstanceId: string,
    GroupId: list(string),
    Attribute: string,
    Value: string,
    DisableApiTermination: booleanAttributeValue,
    DisableApiStop: booleanAttributeValue,
    SourceDestCheck: booleanAttributeValue,
    EbsOptimized: booleanAttributeValue,
    EnaSupport: booleanAttributeValue,
    InstanceInitiatedShutdownBehavior: attributeValue,
    InstanceType: attributeValue,
    UserData: attributeValue,
    Kernel: attributeValue,
    Ramdisk: attributeValue,
    SriovNetSupport: attributeValue,
  }),
  async ({ queue, context }, input) => {
    const given: [string, string | boolean | undefined][] = [
      ['disableApiTermination', input.disableApiTermination?.value],
      ['disableApiStop', input.disableApiStop?.value],
      ['sourceDestCheck', input.sourceDestCheck?.value],
      ['ebsOptimized', input.ebsOptimized?.value],
      ['enaSupport', input.enaSupport?.value],
      ['instanceInitiatedShutdownBehavior', input.instanceInitiatedShutdownBehavior?.value],
      ['instanceType', input.instanceType?.value],
      // Blob: base64 on the wire, kept as it came.
      ['userData', input.userData?.value],
      ['kernel', input.kernel?.value],
      ['ramdisk', input.ramdisk?.value],
      ['sriovNetSupport', input.sriovNetSupport?.value],
      ...(input.attribute === undefined ? [] : [[input.attribute, input.value ?? ''] as [string, string]]),
    ];
    const changes = given.flatMap(([attribute, value]) => (value === undefined ? [] : [{ attribute, value: String(value) }]));
    await queue.submit(modifyInstanceAttribute(context, input.instanceId, input.groupId, changes));
    return element('return', true);
  },
);

/** DescribeInstanceAttribute: every attribute of botocore's `InstanceAttributeName` (issue 13). */
export const describeInstanceAttributeAction = ec2Action(
  struct({ ...common, InstanceId: string, Attribute: string }),
  ({ view, context }, input) => {
    const { instance, attribute } = describeInstanceAttribute(view, context, input);
    return element('instanceId', instance.instanceId) + instanceAttributeXml(view, instance, attribute);
  },
);

/** DescribeInstanceCreditSpecifications: the credit option of burstable instances (issue 13). */
export const describeInstanceCreditSpecificationsAction = ec2Action(
  struct({ ...common, ...paging, InstanceId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeInstanceCreditSpecifications(view, context, {
      instanceIds: input.instanceId,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    return (
      itemList(
        'instanceCreditSpecificationSet',
        page.items.map((c) => element('instanceId', c.instanceId) + element('cpuCredits', c.cpuCredits)),
      ) + element('nextToken', page.nextToken)
    );
  },
);
