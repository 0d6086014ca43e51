import {
  emptyGroupIdInList,
  groupIdMalformed,
  groupIdNotFound,
  groupNameNotFound,
  groupNameWithSubnet,
  groupNotFoundInVpc,
  invalidParameterValue,
  invalidParameterValueFor,
  ipAddressInUse,
  ipv6AddressesAndCount,
  ipv6AddressesForOneInstance,
  ipv6AddressNotInSubnet,
  invalidInstanceType,
  placementZoneMismatch,
  unknownAvailabilityZone,
  missingParameter,
  parameterValueInvalid,
  subnetHasNoIpv6Block,
  noDefaultVpc,
  securityGroupsPerInstanceLimitExceeded,
  securityGroupsPerInterfaceLimitExceeded,
  vpcGroupInClassicLaunch,
} from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import { defaultAvailabilityZone, findAvailabilityZone } from '../domain/availability-zone.js';
import type { Instance } from '../domain/instance.js';
import { launchAttributesOf, type LaunchAttributesRequest } from '../domain/instance-attributes.js';
import { findInstanceType } from '../domain/instance-type.js';
import { allocatePrivateAddress, CLASSIC_PRIVATE_POOL, isAssignableAddress } from '../domain/private-address.js';
import { DEFAULT_GROUP_NAME, type SecurityGroup } from '../domain/security-group.js';
import { assignsIpv6OnCreation, subnetIpv6Association, type Subnet } from '../domain/subnet.js';
import { parseIpv6Cidr } from '../domain/cidr.js';
import { allocateIpv6Address, assignableIpv6Address } from '../domain/ipv6-address.js';
import { validateTags } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { addressScope, type ReadView } from '../state/view.js';
import { placeInstances } from './hosts.js';
import { tagsFromSpecificationsOf, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { ownSubnet } from './subnets.js';
import { defaultVpcIdOf } from './target-group.js';

/** RunInstances' parameters, kept to placement and security groups (spec/api.md §5.14). */
export interface RunInstancesRequest {
  readonly imageId?: string;
  readonly minCount?: number;
  readonly maxCount?: number;
  readonly instanceType?: string;
  readonly securityGroupNames: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly subnetId?: string;
  readonly privateIpAddress?: string;
  readonly availabilityZone?: string;
  readonly clientToken?: string;
  readonly tagSpecifications: readonly TagSpecification[];
  /** `Ipv6AddressCount` (or the primary interface's): how many IPv6 addresses each instance gets. */
  readonly ipv6AddressCount?: number;
  /** `Ipv6Address.N.Ipv6Address` (or the primary interface's): these IPv6 addresses, one launch of one instance. */
  readonly ipv6Addresses?: readonly string[];
  /** Termination protection, user data, metadata options … (issue 13). */
  readonly attributes: LaunchAttributesRequest;
}

/** What RunInstances answers: the reservation and its instances, as launched. */
export interface Reservation {
  readonly reservationId: string;
  readonly ownerId: string;
  readonly instances: readonly Instance[];
}

// Classic instances could hold up to 500 groups (spec/semantics.md §8).
const CLASSIC_GROUPS_PER_INSTANCE = 500;
// One launch starts at most this many instances (AWS's default On-Demand limit of the era).
const MAX_INSTANCES_PER_LAUNCH = 20;

/**
 * Launches instances into EC2-Classic or a subnet, with their security groups resolved as
 * spec/api.md §5.14 says: Classic launches take Classic groups by name or ID (default: the Classic
 * `default`); VPC launches take groups of the subnet's VPC by ID (names only in the default VPC;
 * default: the VPC's `default`), at most `groupsPerInterface`. Private addresses are the lowest
 * free ones of the subnet (or the Classic pool), or the one asked for. A repeated ClientToken
 * returns the first launch.
 */
export function runInstances(context: RequestContext, request: RunInstancesRequest): WriteOperation<Reservation> {
  return (tx) => {
    const { view } = tx;
    const { accountId } = context.account;
    if (request.imageId === undefined) throw missingParameter('ImageId');
    if (request.minCount === undefined) throw missingParameter('MinCount');
    if (request.maxCount === undefined) throw missingParameter('MaxCount');
    if (request.clientToken !== undefined) {
      const earlier = [...view.instances.values()].filter((i) => i.ownerId === accountId && i.clientToken === request.clientToken);
      const first = earlier[0];
      if (first !== undefined) return { reservationId: first.reservationId, ownerId: accountId, instances: earlier };
    }
    // Any well-formed AMI ID is accepted (spec/api.md §5.14): there are no images to look up.
    if (!/^ami-[0-9a-f]+$/.test(request.imageId))
      throw invalidParameterValueFor('imageId', request.imageId, 'Expected an ID of the form ami-….');
    if (request.minCount < 1 || request.minCount > request.maxCount)
      throw invalidParameterValue(`Value (${request.minCount}) for parameter minCount is invalid. Expected a value between 1 and maxCount.`);
    const count = Math.min(request.maxCount, MAX_INSTANCES_PER_LAUNCH);
    if (request.minCount > count) throw invalidParameterValue(`Value (${request.minCount}) for parameter minCount is invalid. At most ${MAX_INSTANCES_PER_LAUNCH} instances per launch.`);

    const instanceType = request.instanceType ?? (context.account.platform === 'classic' && request.subnetId === undefined ? 'm1.small' : 't2.micro');
    const typeInfo = findInstanceType(instanceType);
    if (typeInfo === undefined) throw invalidInstanceType(instanceType);

    const subnet = placementSubnet(view, context, request);
    const groups = subnet === undefined ? classicGroups(view, context, request) : vpcGroups(view, context, request, subnet);
    const availabilityZone = launchZone(context, request, subnet);
    // The instance's own tags, and those of its volumes and primary interface (issue 13).
    const taggable = tagsFromSpecificationsOf(request.tagSpecifications, ['instance', 'volume', 'network-interface']);
    const tags = taggable.get('instance') ?? [];
    const volumeTags = taggable.get('volume') ?? [];
    const networkInterfaceTags = taggable.get('network-interface') ?? [];
    for (const t of [tags, volumeTags, networkInterfaceTags]) validateTags(t);
    const attributes = launchAttributesOf(request.attributes, typeInfo.defaultCpuCredits, { volumeTags, networkInterfaceTags });

    const scope = addressScope({ region: context.region, ...(subnet === undefined ? {} : { subnetId: subnet.subnetId }) });
    const pool = subnet?.cidrBlock ?? CLASSIC_PRIVATE_POOL;
    const used = new Set(view.addressesInUse(scope));
    const addresses: string[] = [];
    if (request.privateIpAddress !== undefined) {
      if (count > 1) throw invalidParameterValue('The private IP address can only be given for a launch of one instance');
      if (!isAssignableAddress(pool, request.privateIpAddress) || used.has(request.privateIpAddress))
        throw invalidParameterValue(`Address ${request.privateIpAddress} is not available in ${subnet?.subnetId ?? 'EC2-Classic'}`);
      addresses.push(request.privateIpAddress);
    } else {
      for (let i = 0; i < count; i++) {
        const address = allocatePrivateAddress(pool, used);
        // UNCONFIRMED: AWS answers InsufficientFreeAddressesInSubnet, not in our catalogue yet.
        if (address === undefined) throw invalidParameterValue(`There are not enough free addresses in subnet '${subnet?.subnetId ?? 'EC2-Classic'}' to satisfy the requested number of instances.`);
        used.add(address);
        addresses.push(address);
      }
    }
    const ipv6 = ipv6AddressesOf(view, subnet, request, addresses.length);
    const reservationId = tx.ids.next('r');
    const launchTime = tx.now.toISOString();
    const hostNames = placeInstances(view, addresses.length);
    const instances: Instance[] = addresses.map((privateIpAddress, amiLaunchIndex) => ({
      instanceId: tx.ids.next('i'),
      reservationId,
      ownerId: accountId,
      region: context.region,
      imageId: request.imageId ?? '',
      instanceType,
      // Answered as pending (code 0) and running right after (spec/api.md §5.14, recommended).
      state: 'running',
      ...(subnet === undefined ? {} : { vpcId: subnet.vpcId, subnetId: subnet.subnetId }),
      availabilityZone,
      privateIpAddress,
      ...(ipv6[amiLaunchIndex]?.length ? { ipv6Addresses: ipv6[amiLaunchIndex] } : {}),
      groupIds: groups.map((g) => g.groupId),
      launchTime,
      amiLaunchIndex,
      ...(request.clientToken === undefined ? {} : { clientToken: request.clientToken }),
      tags,
      ordinal: view.nextOrdinal(),
      ...optionalHost(hostNames[amiLaunchIndex]),
      attributes,
    }));
    tx.emit(accountId, context.region, { kind: 'InstancesLaunched', instances });
    return { reservationId, ownerId: accountId, instances };
  };
}

// The most IPv6 addresses one interface may have (EC2's largest instance types allow 50 per
// interface; per-type limits are not modelled). UNCONFIRMED answer above it.
const MAX_IPV6_ADDRESSES_PER_INTERFACE = 50;

/**
 * The IPv6 addresses of each of `count` instances (issue 10): the ones asked for
 * (`Ipv6Addresses`, a launch of one instance), else `Ipv6AddressCount` lowest free ones of the
 * subnet's /64, else one if the subnet assigns IPv6 addresses on creation, else none. Throws
 * InvalidParameterCombination (both forms), InvalidParameterValue (count out of range, addresses
 * for several instances, no IPv6 block, an address outside it or reserved), InvalidIPAddress.InUse
 * (held by another instance of the subnet, or asked twice).
 */
function ipv6AddressesOf(view: ReadView, subnet: Subnet | undefined, request: RunInstancesRequest, count: number): string[][] {
  const asked = request.ipv6Addresses ?? [];
  if (request.ipv6AddressCount !== undefined && asked.length > 0) throw ipv6AddressesAndCount();
  if (request.ipv6AddressCount !== undefined && (request.ipv6AddressCount < 0 || request.ipv6AddressCount > MAX_IPV6_ADDRESSES_PER_INTERFACE))
    throw parameterValueInvalid('ipv6AddressCount', request.ipv6AddressCount);
  // The subnet's default applies only when the request says nothing (EC2 API reference,
  // ModifySubnetAttribute: "AssignIpv6AddressOnCreation ... the network interface ... receives an IPv6 address").
  const perInstance = asked.length > 0 ? asked.length : (request.ipv6AddressCount ?? (subnet !== undefined && assignsIpv6OnCreation(subnet) ? 1 : 0));
  if (perInstance === 0) return [];
  const association = subnet === undefined ? undefined : subnetIpv6Association(subnet);
  const block = association === undefined ? undefined : parseIpv6Cidr(association.ipv6CidrBlock);
  if (subnet === undefined || block === undefined) throw subnetHasNoIpv6Block(subnet?.subnetId ?? 'EC2-Classic');
  const used = new Set(view.ipv6AddressesInUse(subnet.subnetId));
  if (asked.length > 0) {
    if (count > 1) throw ipv6AddressesForOneInstance();
    const chosen: string[] = [];
    for (const text of asked) {
      const address = assignableIpv6Address(block, text);
      if (address === undefined) throw ipv6AddressNotInSubnet(text, subnet.subnetId);
      if (used.has(address)) throw ipAddressInUse(address);
      used.add(address);
      chosen.push(address);
    }
    return [chosen];
  }
  const all: string[][] = [];
  for (let i = 0; i < count; i++) {
    const chosen: string[] = [];
    for (let j = 0; j < perInstance; j++) {
      const address = allocateIpv6Address(block, used);
      if (address === undefined) throw subnetHasNoIpv6Block(subnet.subnetId);
      used.add(address);
      chosen.push(address);
    }
    all.push(chosen);
  }
  return all;
}

/**
 * The launch's zone: the subnet's, or for a Classic launch the one asked for (default: the region's
 * first). A zone that is not the region's → InvalidParameterValue; one that is not the subnet's →
 * InvalidParameterValue (UNCONFIRMED wording, issue 13).
 */
function launchZone(context: RequestContext, request: RunInstancesRequest, subnet: Subnet | undefined): string {
  const asked = request.availabilityZone === undefined || request.availabilityZone === '' ? undefined : request.availabilityZone;
  if (asked !== undefined && findAvailabilityZone(context.region, asked) === undefined) throw unknownAvailabilityZone(asked);
  if (subnet === undefined) return asked ?? defaultAvailabilityZone(context.region).zoneName;
  if (asked !== undefined && asked !== subnet.availabilityZone) throw placementZoneMismatch(asked, subnet.subnetId);
  return subnet.availabilityZone;
}

/** The subnet of a VPC launch, or undefined for an EC2-Classic launch (spec/api.md §5.14). */
function placementSubnet(view: ReadView, context: RequestContext, request: RunInstancesRequest): Subnet | undefined {
  if (request.subnetId !== undefined) return ownSubnet(view, context, request.subnetId);
  if (context.account.platform === 'classic') return undefined;
  const defaultVpcId = defaultVpcIdOf(view, context);
  if (defaultVpcId === undefined) throw noDefaultVpc();
  for (const subnet of view.subnets.values()) if (subnet.vpcId === defaultVpcId && subnet.defaultForAz) return subnet;
  throw noDefaultVpc();
}

function classicGroups(view: ReadView, context: RequestContext, request: RunInstancesRequest): SecurityGroup[] {
  const { accountId } = context.account;
  const chosen = new Map<string, SecurityGroup>();
  for (const id of request.securityGroupIds) {
    if (id === '') throw emptyGroupIdInList();
    if (!isResourceId('sg', id)) throw groupIdMalformed(id);
    const group = view.groups.get(id);
    if (group === undefined || group.ownerId !== accountId || group.region !== context.region) throw groupIdNotFound(id);
    // A VPC group in a Classic launch (spec/semantics.md §8, field).
    if (group.vpcId !== undefined) throw vpcGroupInClassicLaunch();
    chosen.set(group.groupId, group);
  }
  for (const name of request.securityGroupNames) {
    const group = view.groupByName(accountId, context.region, undefined, name);
    if (group === undefined) throw groupNameNotFound(name);
    chosen.set(group.groupId, group);
  }
  if (chosen.size === 0) {
    // No groups: the Classic default group (spec/semantics.md §8).
    const fallback = view.groupByName(accountId, context.region, undefined, DEFAULT_GROUP_NAME);
    if (fallback === undefined) throw groupNameNotFound(DEFAULT_GROUP_NAME);
    chosen.set(fallback.groupId, fallback);
  }
  if (chosen.size > CLASSIC_GROUPS_PER_INSTANCE) throw securityGroupsPerInstanceLimitExceeded();
  return [...chosen.values()];
}

function vpcGroups(view: ReadView, context: RequestContext, request: RunInstancesRequest, subnet: Subnet): SecurityGroup[] {
  const { accountId } = context.account;
  // Names with an explicit subnet are refused (spec/semantics.md §8, field).
  if (request.securityGroupNames.length > 0 && request.subnetId !== undefined) throw groupNameWithSubnet();
  const chosen = new Map<string, SecurityGroup>();
  for (const id of request.securityGroupIds) {
    if (id === '') throw emptyGroupIdInList();
    if (!isResourceId('sg', id)) throw groupIdMalformed(id);
    const group = view.groups.get(id);
    if (group === undefined || group.ownerId !== accountId || group.vpcId !== subnet.vpcId) throw groupNotFoundInVpc(id, subnet.vpcId);
    chosen.set(group.groupId, group);
  }
  for (const name of request.securityGroupNames) {
    const group = view.groupByName(accountId, context.region, subnet.vpcId, name);
    if (group === undefined) throw groupNotFoundInVpc(name, subnet.vpcId);
    chosen.set(group.groupId, group);
  }
  if (chosen.size === 0) {
    const fallback = view.groupByName(accountId, context.region, subnet.vpcId, DEFAULT_GROUP_NAME);
    if (fallback === undefined) throw groupNotFoundInVpc(DEFAULT_GROUP_NAME, subnet.vpcId);
    chosen.set(fallback.groupId, fallback);
  }
  if (chosen.size > context.quotas.groupsPerInterface) throw securityGroupsPerInterfaceLimitExceeded();
  return [...chosen.values()];
}

/** The instance's `hostName` field, absent when no host is registered (issue 5). */
function optionalHost(hostName: string | undefined): { hostName?: string } {
  return hostName === undefined ? {} : { hostName };
}
