import { stableHex } from './ids.js';
import { associatedIpv4Blocks, type Vpc } from './vpc.js';

/**
 * What EC2 creates with every VPC and Stockade derives from it (issue 13): the main route table,
 * with the VPC's local routes, and the default network ACL, associated with every subnet of the
 * VPC, with EC2's allow-all rule 100 and the final deny (`*`, 32767) in both directions. Read-only:
 * their IDs are stable digests of the VPC's (like the AWS-managed prefix lists'), so every server
 * derives the same ones, and nothing is stored. Network ACLs are shown, not enforced.
 */
export interface MainRouteTable {
  readonly routeTableId: string;
  readonly associationId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  /** The local routes: the VPC's IPv4 block, and its IPv6 block when it has one. */
  readonly routes: readonly ({ readonly family: 'ipv4' | 'ipv6'; readonly destination: string })[];
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
}

/** The main route table of a VPC. */
export function mainRouteTableOf(vpc: Vpc): MainRouteTable {
  return {
    routeTableId: `rtb-${stableHex(`${vpc.vpcId}/main-route-table`, 17)}`,
    associationId: `rtbassoc-${stableHex(`${vpc.vpcId}/main-route-table/association`, 17)}`,
    vpcId: vpc.vpcId,
    ownerId: vpc.ownerId,
    region: vpc.region,
    routes: [
      // One local route per associated IPv4 block, the primary first.
      ...associatedIpv4Blocks(vpc).map((destination) => ({ family: 'ipv4' as const, destination })),
      ...(vpc.ipv6CidrBlock === undefined ? [] : [{ family: 'ipv6' as const, destination: vpc.ipv6CidrBlock }]),
    ],
  };
}

/** The default network ACL of a VPC, associated with `subnetIds` (the VPC's subnets). */
export function defaultNetworkAclOf(vpc: Vpc, subnetIds: readonly string[]): DefaultNetworkAcl {
  const networkAclId = `acl-${stableHex(`${vpc.vpcId}/default-network-acl`, 17)}`;
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
  };
}
