import { INSTANCE_STATE_CODES, primaryNetworkInterfaceId, privateDnsName, type Instance, type InstanceStateName } from '../../domain/instance.js';
import { findAvailabilityZone } from '../../domain/availability-zone.js';
import { attributesOf, type InstanceAttributeName } from '../../domain/instance-attributes.js';
import { findInstanceType } from '../../domain/instance-type.js';
import type { ReadView } from '../../state/view.js';
import { tagSetXml } from './security-group-xml.js';
import { element, itemList } from './xml-text.js';

/** `<name><code>…</code><name>…</name></name>` for an instance state. */
export function instanceStateXml(name: string, state: InstanceStateName): string {
  return `<${name}>${element('code', INSTANCE_STATE_CODES[state])}${element('name', state)}</${name}>`;
}

/** `groupSet` items: each group's ID and (current) name. */
export function groupSetXml(view: ReadView, groupIds: readonly string[]): string {
  return itemList(
    'groupSet',
    groupIds.map((id) => element('groupId', id) + element('groupName', view.groups.get(id)?.groupName)),
  );
}

/**
 * An instance item (spec/api.md §5.14): at least the fields the spec lists, plus the primary
 * network interface of VPC instances, which carries the groups in today's clients.
 */
export function instanceXml(view: ReadView, instance: Instance, shownState: InstanceStateName = instance.state): string {
  const vpc = instance.vpcId === undefined;
  return (
    element('instanceId', instance.instanceId) +
    element('imageId', instance.imageId) +
    instanceStateXml('instanceState', shownState) +
    element('privateDnsName', privateDnsName(instance)) +
    '<dnsName/>' +
    element('amiLaunchIndex', instance.amiLaunchIndex) +
    '<productCodes/>' +
    element('instanceType', instance.instanceType) +
    element('launchTime', instance.launchTime) +
    placementXml(instance) +
    element('keyName', attributesOf(instance).keyName) +
    `<monitoring>${element('state', attributesOf(instance).monitoring ? 'enabled' : 'disabled')}</monitoring>` +
    element('subnetId', instance.subnetId) +
    element('vpcId', instance.vpcId) +
    element('privateIpAddress', instance.privateIpAddress) +
    // The instance's first IPv6 address (botocore `Instance.Ipv6Address`, 2016-11-15 model).
    // UNCONFIRMED whether EC2 fills it without EnablePrimaryIpv6; clients read the interface's set.
    element('ipv6Address', instance.ipv6Addresses?.[0]) +
    groupSetXml(view, instance.groupIds) +
    element('architecture', 'x86_64') +
    element('rootDeviceType', 'ebs') +
    '<blockDeviceMapping/>' +
    element('virtualizationType', 'hvm') +
    tagSetXml(instance.tags, true) +
    element('hypervisor', 'xen') +
    launchAttributesXml(instance) +
    (vpc
      ? ''
      : itemList('networkInterfaceSet', [
          element('networkInterfaceId', primaryNetworkInterfaceId(instance)) +
            element('subnetId', instance.subnetId) +
            element('vpcId', instance.vpcId) +
            element('ownerId', instance.ownerId) +
            element('status', 'in-use') +
            element('privateIpAddress', instance.privateIpAddress) +
            element('sourceDestCheck', attributesOf(instance).sourceDestCheck) +
            groupSetXml(view, instance.groupIds) +
            ipv6AddressesSetXml(instance) +
            `<attachment>${element('deviceIndex', 0)}${element('status', 'attached')}</attachment>`,
        ]) + element('sourceDestCheck', attributesOf(instance).sourceDestCheck))
  );
}

/**
 * `ipv6AddressesSet` items of an instance's primary interface (botocore `InstanceIpv6Address`): none
 * is the primary IPv6 address, since EnablePrimaryIpv6 is not offered.
 */
export function ipv6AddressesSetXml(instance: Instance): string {
  return itemList('ipv6AddressesSet', (instance.ipv6Addresses ?? []).map((a) => element('ipv6Address', a) + element('isPrimaryIpv6', false)));
}

/** A reservation item: ID, owner, Classic groups (VPC launches show none, UNCONFIRMED), instances. */
export function reservationXml(view: ReadView, reservationId: string, ownerId: string, instances: readonly Instance[], shown?: (i: Instance) => InstanceStateName): string {
  const first = instances[0];
  const classicGroups = first !== undefined && first.vpcId === undefined ? first.groupIds : [];
  return (
    element('reservationId', reservationId) +
    element('ownerId', ownerId) +
    groupSetXml(view, classicGroups) +
    itemList('instancesSet', instances.map((i) => instanceXml(view, i, shown?.(i))))
  );
}

/** `<placement>`: the zone, its ID, the tenancy and placement group the launch asked for. */
function placementXml(instance: Instance): string {
  const attributes = attributesOf(instance);
  return (
    '<placement>' +
    element('availabilityZone', instance.availabilityZone) +
    element('availabilityZoneId', findAvailabilityZone(instance.region, instance.availabilityZone)?.zoneId) +
    (attributes.placementGroupName === undefined ? '<groupName/>' : element('groupName', attributes.placementGroupName)) +
    element('tenancy', attributes.tenancy) +
    '</placement>'
  );
}

/**
 * What the launch set beyond placement and groups (issue 13), in botocore `Instance` member names:
 * Terraform's aws_instance reads each of these back after creating the instance.
 */
function launchAttributesXml(instance: Instance): string {
  const attributes = attributesOf(instance);
  const type = findInstanceType(instance.instanceType);
  const m = attributes.metadataOptions;
  return (
    element('ebsOptimized', attributes.ebsOptimized) +
    element('enaSupport', true) +
    element('rootDeviceName', '/dev/xvda') +
    (type === undefined ? '' : `<cpuOptions>${element('coreCount', type.defaultCores)}${element('threadsPerCore', type.defaultThreadsPerCore)}</cpuOptions>`) +
    '<capacityReservationSpecification><capacityReservationPreference>open</capacityReservationPreference></capacityReservationSpecification>' +
    `<hibernationOptions>${element('configured', attributes.hibernationConfigured)}</hibernationOptions>` +
    '<metadataOptions>' +
    element('state', 'applied') +
    element('httpTokens', m.httpTokens) +
    element('httpPutResponseHopLimit', m.httpPutResponseHopLimit) +
    element('httpEndpoint', m.httpEndpoint) +
    element('httpProtocolIpv6', m.httpProtocolIpv6) +
    element('instanceMetadataTags', m.instanceMetadataTags) +
    '</metadataOptions>' +
    '<enclaveOptions><enabled>false</enabled></enclaveOptions>' +
    element('platformDetails', 'Linux/UNIX') +
    element('usageOperation', 'RunInstances') +
    element('usageOperationUpdateTime', instance.launchTime) +
    '<privateDnsNameOptions><hostnameType>ip-name</hostnameType><enableResourceNameDnsARecord>false</enableResourceNameDnsARecord><enableResourceNameDnsAAAARecord>false</enableResourceNameDnsAAAARecord></privateDnsNameOptions>' +
    '<maintenanceOptions><autoRecovery>default</autoRecovery></maintenanceOptions>' +
    element('currentInstanceBootMode', 'legacy-bios')
  );
}

/**
 * The body of a DescribeInstanceAttribute answer after `instanceId` (botocore `InstanceAttribute`):
 * `<name><value>…</value></name>` for scalar attributes, empty where the instance has nothing (no
 * kernel, RAM disk, volumes or product codes are modelled).
 */
export function instanceAttributeXml(view: ReadView, instance: Instance, attribute: InstanceAttributeName): string {
  const a = attributesOf(instance);
  const value = (v: string | boolean) => `<${attribute}>${element('value', v)}</${attribute}>`;
  switch (attribute) {
    case 'instanceType':
      return value(instance.instanceType);
    case 'kernel':
    case 'ramdisk':
    case 'blockDeviceMapping':
    case 'productCodes':
      return `<${attribute}/>`;
    case 'userData':
      return a.userData === undefined ? '<userData/>' : value(a.userData);
    case 'disableApiTermination':
      return value(a.disableApiTermination);
    case 'disableApiStop':
      return value(a.disableApiStop);
    case 'instanceInitiatedShutdownBehavior':
      return value(a.instanceInitiatedShutdownBehavior);
    case 'rootDeviceName':
      return value('/dev/xvda');
    case 'sourceDestCheck':
      return value(a.sourceDestCheck);
    case 'groupSet':
      return groupSetXml(view, instance.groupIds);
    case 'ebsOptimized':
      return value(a.ebsOptimized);
    case 'sriovNetSupport':
      return value('simple');
    case 'enaSupport':
      return value(true);
    case 'enclaveOptions':
      return '<enclaveOptions><enabled>false</enabled></enclaveOptions>';
    default: {
      const unreachable: never = attribute;
      return unreachable;
    }
  }
}
