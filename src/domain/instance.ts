import type { InstanceAttributes } from './instance-attributes.js';
import type { Tag } from './tag.js';

/** Instance states and their codes (spec/api.md §5.14). */
export const INSTANCE_STATE_CODES = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
} as const;
export type InstanceStateName = keyof typeof INSTANCE_STATE_CODES;

/**
 * An instance, kept to what security groups need: where it is (EC2-Classic, or a subnet of a VPC),
 * its private address, and its groups (those of its primary network interface in a VPC).
 */
export interface Instance {
  readonly instanceId: string;
  readonly reservationId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly state: InstanceStateName;
  /** Absent for EC2-Classic instances. */
  readonly vpcId?: string;
  readonly subnetId?: string;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  /**
   * The IPv6 addresses of its primary network interface (issue 10), from its subnet's IPv6 block;
   * absent when it has none (EC2-Classic, or a subnet without IPv6).
   */
  readonly ipv6Addresses?: readonly string[];
  /** The instance's security groups, in the order given at launch or by ModifyInstanceAttribute. */
  readonly groupIds: readonly string[];
  readonly launchTime: string;
  readonly amiLaunchIndex: number;
  readonly clientToken?: string;
  readonly tags: readonly Tag[];
  readonly ordinal: number;
  /** The registered host it was placed on at launch; absent when no host was registered (issue 5). */
  readonly hostName?: string;
  /** Revision of the last change of its own groups or state (issue 10; see `desiredRevision`). */
  readonly policyRevision?: number;
  /** What the launch set beyond placement and groups (issue 13); absent on older instances. */
  readonly attributes?: InstanceAttributes;
}

/**
 * The ID of a VPC instance's primary network interface. It is derived from the instance ID rather
 * than stored: the interface lives and dies with its instance (DeleteOnTermination), so the two
 * IDs stay paired across restarts without a record of their own.
 */
export function primaryNetworkInterfaceId(instance: Instance): string {
  return instance.instanceId.replace('i-', 'eni-');
}

/** The attachment ID of the primary network interface, derived the same way. */
export function primaryAttachmentId(instance: Instance): string {
  return instance.instanceId.replace('i-', 'eni-attach-');
}

/** A stable, locally administered MAC address for the primary network interface. */
export function primaryMacAddress(instance: Instance): string {
  const hex = instance.instanceId.slice(-10).padStart(10, '0');
  return `02:${hex.match(/../g)?.join(':') ?? ''}`;
}

/**
 * The private DNS name EC2 gives the instance's private address: `ec2.internal` in us-east-1,
 * `<region>.compute.internal` elsewhere (EC2's documented hostname forms).
 */
export function privateDnsName(instance: Instance): string {
  const domain = instance.region === 'us-east-1' ? 'ec2.internal' : `${instance.region}.compute.internal`;
  return `ip-${instance.privateIpAddress.replace(/\./g, '-')}.${domain}`;
}

/**
 * Every private address of the instance, IPv4 first then IPv6: what a rule naming one of its
 * groups as a peer admits (spec/semantics.md §4: a group peer stands for its members' private
 * addresses; with IPv6, for both families, as EC2 does for instances with IPv6 addresses).
 */
export function privateAddressesOf(instance: Instance): readonly string[] {
  return instance.ipv6Addresses === undefined || instance.ipv6Addresses.length === 0 ? [instance.privateIpAddress] : [instance.privateIpAddress, ...instance.ipv6Addresses];
}

/**
 * Reports whether the instance still holds its groups: a terminated instance does not (spec/
 * semantics.md §8; UNCONFIRMED whether shutting-down counts, we release only at terminated).
 */
export function holdsGroups(instance: Instance): boolean {
  return instance.state !== 'terminated';
}

/** The groups the instance holds now: none once terminated, or when there is no such instance. */
export function heldGroupsOf(instance: Instance | undefined): readonly string[] {
  return instance !== undefined && holdsGroups(instance) ? instance.groupIds : [];
}
