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
}

/** The CIDR of every default VPC, as in AWS (172.31.0.0/16). */
export const DEFAULT_VPC_CIDR = '172.31.0.0/16';
