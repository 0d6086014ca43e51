import {
  primaryAttachmentId,
  primaryMacAddress,
  primaryNetworkInterfaceId,
  privateDnsName,
  type Instance,
} from '../../domain/instance.js';
import { attributesOf } from '../../domain/instance-attributes.js';
import type { ReadView } from '../../state/view.js';
import { groupSetXml } from './instance-xml.js';
import { element, itemList } from './xml-text.js';

/**
 * A `NetworkInterface` item (botocore model names) for the primary interface of a VPC instance:
 * attached at device index 0 since launch, deleted with the instance, one private address.
 */
export function networkInterfaceXml(view: ReadView, instance: Instance): string {
  const dnsName = privateDnsName(instance);
  return (
    element('networkInterfaceId', primaryNetworkInterfaceId(instance)) +
    element('subnetId', instance.subnetId) +
    element('vpcId', instance.vpcId) +
    element('availabilityZone', instance.availabilityZone) +
    '<description/>' +
    element('ownerId', instance.ownerId) +
    element('requesterManaged', false) +
    element('status', 'in-use') +
    element('macAddress', primaryMacAddress(instance)) +
    element('privateIpAddress', instance.privateIpAddress) +
    element('privateDnsName', dnsName) +
    element('sourceDestCheck', attributesOf(instance).sourceDestCheck) +
    groupSetXml(view, instance.groupIds) +
    '<attachment>' +
    element('attachmentId', primaryAttachmentId(instance)) +
    element('instanceId', instance.instanceId) +
    element('instanceOwnerId', instance.ownerId) +
    element('deviceIndex', 0) +
    element('networkCardIndex', 0) +
    element('status', 'attached') +
    element('attachTime', instance.launchTime) +
    element('deleteOnTermination', true) +
    '</attachment>' +
    itemList('tagSet', attributesOf(instance).networkInterfaceTags.map((t) => element('key', t.key) + element('value', t.value))) +
    itemList('privateIpAddressesSet', [
      element('privateIpAddress', instance.privateIpAddress) + element('privateDnsName', dnsName) + element('primary', true),
    ]) +
    itemList(
      'ipv6AddressesSet',
      (instance.ipv6Addresses ?? []).map((a) => element('ipv6Address', a) + element('isPrimaryIpv6', false)),
    ) +
    element('ipv6Address', instance.ipv6Addresses?.[0]) +
    element('interfaceType', 'interface')
  );
}
