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
  readonly tags: readonly Tag[];
  readonly ordinal: number;
}

/** The default subnet's CIDR inside the default VPC (172.31.0.0/16), as in AWS. */
export const DEFAULT_SUBNET_CIDR = '172.31.0.0/20';
