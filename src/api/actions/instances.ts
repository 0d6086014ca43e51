import type { Instance } from '../../domain/instance.js';
import {
  describeInstances,
  modifyInstanceGroups,
  ownInstance,
  terminateInstances,
} from '../../service/instances.js';
import { runInstances } from '../../service/run-instances.js';
import { invalidParameterValue } from '../../domain/ec2-errors.js';
import { ec2Action } from '../action.js';
import { integer, list, string, struct, boolean } from '../query-shape.js';
import { groupSetXml, instanceStateXml, reservationXml } from '../xml/instance-xml.js';
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
});

/** RunInstances (spec/api.md §5.14): answered with the instances pending (code 0). */
export const runInstancesAction = ec2Action(
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
    Placement: struct({ AvailabilityZone: string, Tenancy: string }),
    NetworkInterface: list(networkInterfaceShape),
    TagSpecification: list(tagSpecificationShape),
    ClientToken: string,
    UserData: string,
    Ipv6AddressCount: integer,
    Ipv6Address: list(struct({ Ipv6Address: string })),
  }),
  async ({ queue, context, view }, input) => {
    // The primary interface may carry the subnet, groups and address instead (device index 0).
    const primary = input.networkInterface.find((n) => (n.deviceIndex ?? 0) === 0);
    if (input.networkInterface.length > 1) throw invalidParameterValue('Only one network interface (device index 0) is supported');
    const subnetId = input.subnetId ?? primary?.subnetId;
    const privateIpAddress = input.privateIpAddress ?? primary?.privateIpAddress;
    const availabilityZone = input.placement?.availabilityZone;
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
export const terminateInstancesAction = ec2Action(struct({ ...common, InstanceId: list(string) }), async ({ queue, context }, input) => {
  const changes = await queue.submit(terminateInstances(context, input.instanceId));
  return itemList(
    'instancesSet',
    changes.map((c) => element('instanceId', c.instanceId) + instanceStateXml('currentState', c.current) + instanceStateXml('previousState', c.previous)),
  );
});

/** ModifyInstanceAttribute: the `GroupId.N` form, which replaces a VPC instance's groups. */
export const modifyInstanceAttributeAction = ec2Action(
  struct({ ...common, InstanceId: string, GroupId: list(string) }),
  async ({ queue, context }, input) => {
    await queue.submit(modifyInstanceGroups(context, input.instanceId, input.groupId));
    return element('return', true);
  },
);

/** DescribeInstanceAttribute for `groupSet` and `instanceType` (spec/api.md §5.14, optional). */
export const describeInstanceAttributeAction = ec2Action(
  struct({ ...common, InstanceId: string, Attribute: string }),
  ({ view, context }, input) => {
    const instance = ownInstance(view, context, input.instanceId ?? '');
    const head = element('instanceId', instance.instanceId);
    switch (input.attribute) {
      case 'groupSet':
        return head + groupSetXml(view, instance.groupIds);
      case 'instanceType':
        return `${head}<instanceType>${element('value', instance.instanceType)}</instanceType>`;
      default:
        throw invalidParameterValue(`Value (${input.attribute ?? ''}) for parameter attribute is invalid. Supported: groupSet, instanceType.`);
    }
  },
);
