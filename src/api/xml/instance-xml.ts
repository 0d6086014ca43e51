import { INSTANCE_STATE_CODES, primaryNetworkInterfaceId, privateDnsName, type Instance, type InstanceStateName } from '../../domain/instance.js';
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
    `<placement>${element('availabilityZone', instance.availabilityZone)}<groupName/>${element('tenancy', 'default')}</placement>` +
    '<monitoring><state>disabled</state></monitoring>' +
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
    (vpc
      ? ''
      : itemList('networkInterfaceSet', [
          element('networkInterfaceId', primaryNetworkInterfaceId(instance)) +
            element('subnetId', instance.subnetId) +
            element('vpcId', instance.vpcId) +
            element('ownerId', instance.ownerId) +
            element('status', 'in-use') +
            element('privateIpAddress', instance.privateIpAddress) +
            element('sourceDestCheck', true) +
            groupSetXml(view, instance.groupIds) +
            ipv6AddressesSetXml(instance) +
            `<attachment>${element('deviceIndex', 0)}${element('status', 'attached')}</attachment>`,
        ]) + element('sourceDestCheck', true))
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
