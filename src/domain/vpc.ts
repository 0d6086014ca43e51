import type { Tag } from './tag.js';

/** A VPC (botocore `Vpc`), kept to the fields security groups and instances need. */
export interface Vpc {
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  readonly instanceTenancy: 'default' | 'dedicated';
  readonly ipv6CidrBlock?: string;
  readonly dhcpOptionsId: string;
  readonly tags: readonly Tag[];
  readonly ordinal: number;
  /** Attributes set by ModifyVpcAttribute; the others have EC2's defaults (`vpcAttribute`). */
  readonly attributes?: Readonly<Partial<Record<VpcAttributeName, boolean>>>;
}

/** The VPC attributes of DescribeVpcAttribute and ModifyVpcAttribute (botocore `VpcAttributeName`). */
export const VPC_ATTRIBUTE_NAMES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const;
export type VpcAttributeName = (typeof VPC_ATTRIBUTE_NAMES)[number];

/**
 * An attribute's value: as last set, else EC2's default for a new VPC: DNS resolution on, DNS
 * hostnames on in a default VPC only, usage metrics off.
 */
export function vpcAttribute(vpc: Vpc, name: VpcAttributeName): boolean {
  const set = vpc.attributes?.[name];
  if (set !== undefined) return set;
  switch (name) {
    case 'enableDnsSupport':
      return true;
    case 'enableDnsHostnames':
      return vpc.isDefault;
    case 'enableNetworkAddressUsageMetrics':
      return false;
  }
}

/** The ID of the association of a VPC's primary IPv4 block (derived from the VPC's ID). */
export function cidrAssociationIdOf(vpc: Vpc): string {
  return vpc.vpcId.replace('vpc-', 'vpc-cidr-assoc-');
}

/** The ID of the association of a VPC's IPv6 block, if it has one. */
export function ipv6AssociationIdOf(vpc: Vpc): string | undefined {
  return vpc.ipv6CidrBlock === undefined ? undefined : vpc.vpcId.replace('vpc-', 'vpc-ipv6-cidr-assoc-');
}

/** The CIDR of every default VPC, as in AWS (172.31.0.0/16). */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
