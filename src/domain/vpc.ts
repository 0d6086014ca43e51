import { parseIpv6Cidr } from './cidr.js';
import type { Tag } from './tag.js';

/** A VPC (botocore `Vpc`), kept to the fields security groups and instances need. */
export interface Vpc {
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  readonly instanceTenancy: 'default' | 'dedicated';
  /** The Amazon-provided IPv6 block associated now, if any (CreateVpc's or AssociateVpcCidrBlock's). */
  readonly ipv6CidrBlock?: string;
  /**
   * The blocks AssociateVpcCidrBlock added (IPv4 secondaries, IPv6) and every block
   * DisassociateVpcCidrBlock removed, in the order they were associated. The primary IPv4 block,
   * and the IPv6 block CreateVpc gave while it stays associated, are not listed: their
   * associations are derived from the VPC (`ipv4AssociationsOf`, `ipv6AssociationsOf`).
   */
  readonly cidrBlockAssociations?: readonly VpcCidrBlockAssociation[];
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

/**
 * One block of a VPC and its association (botocore `VpcCidrBlockAssociation`,
 * `VpcIpv6CidrBlockAssociation`). The transient states (`associating`, `disassociating`) are
 * shown only by the answers of the two actions; DescribeVpcs shows these.
 */
export interface VpcCidrBlockAssociation {
  readonly associationId: string;
  readonly family: 'ipv4' | 'ipv6';
  readonly cidrBlock: string;
  readonly state: 'associated' | 'disassociated';
}

/** How many IPv4 blocks a VPC may have, the primary included (EC2's default quota, adjustable there). */
export const IPV4_BLOCKS_PER_VPC = 5;
/** How many Amazon-provided IPv6 blocks a VPC may have: one per network border group, and one group here. */
export const IPV6_BLOCKS_PER_VPC = 1;

/** The ID of the association of a VPC's primary IPv4 block (derived from the VPC's ID). */
export function cidrAssociationIdOf(vpc: Vpc): string {
  return vpc.vpcId.replace('vpc-', 'vpc-cidr-assoc-');
}

/** The ID of the association of a VPC's IPv6 block, if it has one. */
export function ipv6AssociationIdOf(vpc: Vpc): string | undefined {
  return ipv6AssociationsOf(vpc).find((a) => a.state === 'associated')?.associationId;
}

/** The IPv4 associations of a VPC, as DescribeVpcs lists them: the primary first, then the others. */
export function ipv4AssociationsOf(vpc: Vpc): VpcCidrBlockAssociation[] {
  const primary: VpcCidrBlockAssociation = { associationId: cidrAssociationIdOf(vpc), family: 'ipv4', cidrBlock: vpc.cidrBlock, state: 'associated' };
  return [primary, ...(vpc.cidrBlockAssociations ?? []).filter((a) => a.family === 'ipv4')];
}

/**
 * The IPv6 associations of a VPC: CreateVpc's block while it is associated (its association ID is
 * derived from the VPC's), then the listed ones.
 */
export function ipv6AssociationsOf(vpc: Vpc): VpcCidrBlockAssociation[] {
  const listed = (vpc.cidrBlockAssociations ?? []).filter((a) => a.family === 'ipv6');
  const fromCreate: VpcCidrBlockAssociation[] =
    vpc.ipv6CidrBlock !== undefined && !listed.some((a) => a.state === 'associated')
      ? [{ associationId: vpc.vpcId.replace('vpc-', 'vpc-ipv6-cidr-assoc-'), family: 'ipv6', cidrBlock: vpc.ipv6CidrBlock, state: 'associated' }]
      : [];
  return [...fromCreate, ...listed];
}

/** The IPv4 blocks associated with a VPC now: where its subnets may lie. */
export function associatedIpv4Blocks(vpc: Vpc): string[] {
  return ipv4AssociationsOf(vpc)
    .filter((a) => a.state === 'associated')
    .map((a) => a.cidrBlock);
}

/**
 * An Amazon-provided /56 (spec/api.md §5.13), drawn from 2600:1f00::/24 and derived from `hex` (at
 * least 8 hex digits of a fresh ID), so that it is stable in the log and differs between blocks.
 */
export function amazonIpv6BlockFrom(hex: string): string {
  const text = `2600:1f${hex.slice(0, 2)}:${hex.slice(2, 6)}:${hex.slice(6, 8)}00::/56`;
  // In RFC 5952 form (no leading zeros in a group), as EC2 writes blocks and as Terraform's
  // cidrsubnet() writes the /64s it derives from this one.
  return parseIpv6Cidr(text)?.text ?? text;
}

/** The CIDR of every default VPC, as in AWS (172.31.0.0/16). */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
