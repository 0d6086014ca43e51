import { stableHex } from './ids.js';
import { associatedIpv4Blocks, type Vpc } from './vpc.js';
import type { Tag } from './tag.js';

/**
 * What EC2 creates with every VPC and Stockade derives from it (issue 13): the main route table,
 * with the VPC's local routes, and the default network ACL, associated with every subnet of the
 * VPC, with EC2's allow-all rule 100 and the final deny (`*`, 32767) in both directions. Read-only:
 * their IDs are stable digests of the VPC's (like the AWS-managed prefix lists'), so every server
 * derives the same ones, and only their tags are stored (RouteTableTags, NetworkAclTags). Network
 * ACLs are shown, not enforced.
 */
export interface MainRouteTable {
  readonly routeTableId: string;
  readonly associationId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  /** The local routes: the VPC's IPv4 block, and its IPv6 block when it has one. */
  readonly routes: readonly ({ readonly family: 'ipv4' | 'ipv6'; readonly destination: string })[];
  readonly tags: readonly Tag[];
}

/** One entry of a network ACL (botocore `NetworkAclEntry`): all protocols, one CIDR. */
export interface NetworkAclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly ruleAction: 'allow' | 'deny';
  readonly family: 'ipv4' | 'ipv6';
  readonly cidr: string;
}

export interface DefaultNetworkAcl {
  readonly networkAclId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly associations: readonly { readonly associationId: string; readonly subnetId: string }[];
  readonly entries: readonly NetworkAclEntry[];
  readonly tags: readonly Tag[];
}

/**
 * The stored part of a VPC's main route table or default network ACL: its tags (issue 13: CreateTags
 * on `rtb-` and `acl-` IDs). One of each exists for every VPC, created and deleted with it by the
 * view; everything else about them stays derived.
 */
export interface RouteTableTags {
  readonly routeTableId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly tags: readonly Tag[];
}

export interface NetworkAclTags {
  readonly networkAclId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly tags: readonly Tag[];
}

/** The ID of a VPC's main route table: a stable digest of the VPC's. */
export function mainRouteTableIdOf(vpcId: string): string {
  return `rtb-${stableHex(`${vpcId}/main-route-table`, 17)}`;
}

/** The ID of a VPC's default network ACL: a stable digest of the VPC's. */
export function defaultNetworkAclIdOf(vpcId: string): string {
  return `acl-${stableHex(`${vpcId}/default-network-acl`, 17)}`;
}

/** The main route table of a VPC, with its stored tags. */
export function mainRouteTableOf(vpc: Vpc, tags: readonly Tag[] = []): MainRouteTable {
  return {
    routeTableId: mainRouteTableIdOf(vpc.vpcId),
    associationId: `rtbassoc-${stableHex(`${vpc.vpcId}/main-route-table/association`, 17)}`,
    vpcId: vpc.vpcId,
    ownerId: vpc.ownerId,
    region: vpc.region,
    routes: [
      // One local route per associated IPv4 block, the primary first.
      ...associatedIpv4Blocks(vpc).map((destination) => ({ family: 'ipv4' as const, destination })),
      ...(vpc.ipv6CidrBlock === undefined ? [] : [{ family: 'ipv6' as const, destination: vpc.ipv6CidrBlock }]),
    ],
    tags,
  };
}

/** The default network ACL of a VPC, associated with `subnetIds` (the VPC's subnets), with its stored tags. */
export function defaultNetworkAclOf(vpc: Vpc, subnetIds: readonly string[], tags: readonly Tag[] = []): DefaultNetworkAcl {
  const networkAclId = defaultNetworkAclIdOf(vpc.vpcId);
  const families: { family: 'ipv4' | 'ipv6'; cidr: string }[] = [
    { family: 'ipv4', cidr: '0.0.0.0/0' },
    ...(vpc.ipv6CidrBlock === undefined ? [] : [{ family: 'ipv6' as const, cidr: '::/0' }]),
  ];
  // EC2 lists egress entries first, each direction by rule number; IPv6 rules are 101 and 32768.
  const entries: NetworkAclEntry[] = [];
  for (const egress of [true, false]) {
    for (const { family, cidr } of families) entries.push({ ruleNumber: family === 'ipv4' ? 100 : 101, egress, ruleAction: 'allow', family, cidr });
    for (const { family, cidr } of families) entries.push({ ruleNumber: family === 'ipv4' ? 32767 : 32768, egress, ruleAction: 'deny', family, cidr });
  }
  return {
    networkAclId,
    vpcId: vpc.vpcId,
    ownerId: vpc.ownerId,
    region: vpc.region,
    associations: subnetIds.map((subnetId) => ({ associationId: `aclassoc-${stableHex(`${networkAclId}/${subnetId}`, 17)}`, subnetId })),
    entries,
    tags,
  };
}
