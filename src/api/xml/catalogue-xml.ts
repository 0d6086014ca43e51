import type { AvailabilityZone } from '../../domain/availability-zone.js';
import type { Image } from '../../domain/image.js';
import type { InstanceTypeInfo } from '../../domain/instance-type.js';
import { element, escapeXml, itemList } from './xml-text.js';

/** A list of scalars: `<name><item>v</item>…</name>` (botocore lists of strings). */
function values(name: string, items: readonly string[]): string {
  return itemList(name, items.map(escapeXml));
}

/**
 * The renderings of the built-in catalogues (issue 13), in botocore member names: an
 * `InstanceTypeInfo`, an `AvailabilityZone`, an `Image`.
 */
export function instanceTypeXml(t: InstanceTypeInfo): string {
  return (
    element('instanceType', t.instanceType) +
    element('currentGeneration', t.currentGeneration) +
    element('freeTierEligible', t.freeTierEligible) +
    values('supportedUsageClasses', ['on-demand', 'spot']) +
    values('supportedRootDeviceTypes', ['ebs']) +
    values('supportedVirtualizationTypes', ['hvm']) +
    element('bareMetal', false) +
    element('hypervisor', t.hypervisor) +
    `<processorInfo>${values('supportedArchitectures', t.architectures)}${element('sustainedClockSpeedInGhz', t.sustainedClockSpeedGhz)}</processorInfo>` +
    '<vCpuInfo>' +
    element('defaultVCpus', t.defaultVCpus) +
    element('defaultCores', t.defaultCores) +
    element('defaultThreadsPerCore', t.defaultThreadsPerCore) +
    '</vCpuInfo>' +
    `<memoryInfo>${element('sizeInMiB', t.memoryMiB)}</memoryInfo>` +
    element('instanceStorageSupported', false) +
    '<ebsInfo>' +
    element('ebsOptimizedSupport', t.ebsOptimizedSupport) +
    element('encryptionSupport', 'supported') +
    element('nvmeSupport', t.hypervisor === 'nitro' ? 'required' : 'unsupported') +
    '</ebsInfo>' +
    '<networkInfo>' +
    element('networkPerformance', t.networkPerformance) +
    element('maximumNetworkInterfaces', t.maximumNetworkInterfaces) +
    element('maximumNetworkCards', 1) +
    element('defaultNetworkCardIndex', 0) +
    element('ipv4AddressesPerInterface', t.ipv4AddressesPerInterface) +
    element('ipv6AddressesPerInterface', t.ipv6AddressesPerInterface) +
    element('ipv6Supported', t.ipv6AddressesPerInterface > 0) +
    element('enaSupport', t.hypervisor === 'nitro' ? 'required' : 'unsupported') +
    element('efaSupported', false) +
    element('encryptionInTransitSupported', false) +
    '</networkInfo>' +
    `<placementGroupInfo>${values('supportedStrategies', ['partition', 'spread'])}</placementGroupInfo>` +
    element('hibernationSupported', t.hibernationSupported) +
    element('burstablePerformanceSupported', t.burstablePerformanceSupported) +
    element('dedicatedHostsSupported', !t.burstablePerformanceSupported) +
    element('autoRecoverySupported', true) +
    values('supportedBootModes', t.hypervisor === 'nitro' ? ['legacy-bios', 'uefi'] : ['legacy-bios'])
  );
}

export function availabilityZoneXml(z: AvailabilityZone): string {
  return (
    element('optInStatus', 'opt-in-not-required') +
    '<messageSet/>' +
    element('regionName', z.regionName) +
    element('zoneName', z.zoneName) +
    element('zoneId', z.zoneId) +
    element('groupName', z.groupName) +
    element('networkBorderGroup', z.regionName) +
    element('zoneType', 'availability-zone') +
    element('zoneState', 'available')
  );
}

export function imageXml(i: Image): string {
  return (
    element('imageId', i.imageId) +
    element('imageLocation', i.imageLocation) +
    element('imageState', 'available') +
    element('imageOwnerId', i.ownerId) +
    element('creationDate', i.creationDate) +
    element('isPublic', i.isPublic) +
    element('architecture', i.architecture) +
    element('imageType', 'machine') +
    element('platform', i.platform) +
    element('platformDetails', i.platformDetails) +
    element('usageOperation', i.usageOperation) +
    element('imageOwnerAlias', i.imageOwnerAlias) +
    element('name', i.name) +
    element('description', i.description) +
    element('rootDeviceType', 'ebs') +
    element('rootDeviceName', i.rootDeviceName) +
    itemList('blockDeviceMapping', [
      element('deviceName', i.rootDeviceName) +
        '<ebs>' +
        element('snapshotId', i.rootSnapshotId) +
        element('volumeSize', i.rootVolumeSizeGiB) +
        element('deleteOnTermination', true) +
        element('volumeType', 'gp3') +
        element('iops', 3000) +
        element('throughput', 125) +
        element('encrypted', false) +
        '</ebs>',
    ]) +
    element('virtualizationType', 'hvm') +
    '<tagSet/>' +
    element('hypervisor', 'xen') +
    element('enaSupport', true) +
    element('sriovNetSupport', 'simple') +
    element('bootMode', i.bootMode) +
    element('imdsSupport', i.imdsSupport)
  );
}
