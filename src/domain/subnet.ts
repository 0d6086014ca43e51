import type { Tag } from './tag.js';

/** A subnet: a CIDR of its VPC in one availability zone, where VPC instances get their addresses. */
export interface Subnet {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly availabilityZone: string;
  /** The default subnet of a default VPC, used by launches that name no subnet. */
  readonly defaultForAz: boolean;
  /**
   * The subnet's IPv6 /64 associations (botocore `SubnetIpv6CidrBlockAssociation`), in the order
   * they were made: at most one `associated`, and the blocks disassociated since, which DescribeSubnets
   * keeps showing as `disassociated` (Terraform waits for that state) until another block is
   * associated. Absent on subnets that never had one.
   */
  readonly ipv6CidrBlockAssociations?: readonly SubnetIpv6CidrBlockAssociation[];
  /** ModifySubnetAttribute's `AssignIpv6AddressOnCreation`; absent means false (EC2's default). */
  readonly assignIpv6AddressOnCreation?: boolean;
  /** ModifySubnetAttribute's `MapPublicIpOnLaunch`; absent means EC2's default, true only in a default subnet. */
  readonly mapPublicIpOnLaunch?: boolean;
  readonly tags: readonly Tag[];
  readonly ordinal: number;
}

/**
 * One IPv6 block of a subnet and its association. The transient states (`associating`,
 * `disassociating`) appear only in the answers of the write actions; DescribeSubnets shows these.
 */
export interface SubnetIpv6CidrBlockAssociation {
  readonly associationId: string;
  readonly ipv6CidrBlock: string;
  readonly state: 'associated' | 'disassociated';
}

/**
 * The prefix length of a subnet's IPv6 block: "An IPv6 CIDR block must have a prefix length of /64"
 * (EC2 API reference, AssociateSubnetCidrBlock and CreateSubnet). IPAM pools, which allow other
 * sizes, are not offered.
 */
export const SUBNET_IPV6_PREFIX_LENGTH = 64;

/** The subnet's associated IPv6 block (at most one), or undefined. */
export function subnetIpv6Association(subnet: Subnet): SubnetIpv6CidrBlockAssociation | undefined {
  return subnet.ipv6CidrBlockAssociations?.find((a) => a.state === 'associated');
}

/** Whether instances launched into the subnet get an IPv6 address by default. */
export function assignsIpv6OnCreation(subnet: Subnet): boolean {
  return subnet.assignIpv6AddressOnCreation ?? false;
}

/** Whether instances launched into the subnet get a public IPv4 address by default. */
export function mapsPublicIpOnLaunch(subnet: Subnet): boolean {
  return subnet.mapPublicIpOnLaunch ?? subnet.defaultForAz;
}

/** The default subnet's CIDR inside the default VPC (172.31.0.0/16), as in AWS. */
export const DEFAULT_SUBNET_CIDR = '172.31.0.0/20';
