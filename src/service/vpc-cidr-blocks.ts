import {
  cidrLimitExceeded,
  invalidVpcCidr,
  missingParameter,
  parameterValueInvalid,
  parametersCannotBeCombined,
  primaryVpcCidrBlock,
  vpcCidrAssociationNotFound,
  vpcCidrBlockInUse,
  vpcCidrBlockRequired,
  vpcCidrConflict,
  vpcRange,
} from '../domain/ec2-errors.js';
import { cidrContainsCidr, parseIpv4Cidr } from '../domain/cidr.js';
import { subnetIpv6Association } from '../domain/subnet.js';
import {
  amazonIpv6BlockFrom,
  associatedIpv4Blocks,
  cidrAssociationIdOf,
  ipv4AssociationsOf,
  ipv6AssociationsOf,
  IPV4_BLOCKS_PER_VPC,
  IPV6_BLOCKS_PER_VPC,
  type Vpc,
  type VpcCidrBlockAssociation,
} from '../domain/vpc.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { ownVpc } from './own-vpc.js';
import type { RequestContext } from './request-context.js';

/** AssociateVpcCidrBlock's parameters (IPAM pools and BYOIP are not offered). */
export interface AssociateVpcCidrBlockRequest {
  readonly vpcId?: string;
  readonly cidrBlock?: string;
  readonly amazonProvidedIpv6CidrBlock?: boolean;
  readonly ipv6CidrBlockNetworkBorderGroup?: string;
}

/** What the two actions answer: the VPC and the association they changed. */
export interface VpcCidrBlockChange {
  readonly vpcId: string;
  readonly association: VpcCidrBlockAssociation;
}

/**
 * Associates a block with one of the caller's VPCs: a secondary IPv4 `CidrBlock` (/16 to /28, not
 * overlapping the VPC's associated blocks, at most IPV4_BLOCKS_PER_VPC with the primary), or with
 * `AmazonProvidedIpv6CidrBlock` an Amazon /56 (at most one). Checks: the VPC (ownVpc), which block
 * (MissingParameter, InvalidParameterCombination), the network border group (the region only),
 * the CIDR (InvalidParameterValue, InvalidVpc.Range), the limit (CidrLimitExceeded). Blocks
 * disassociated earlier are forgotten when a block of their family is associated (so the VPC
 * document stays small; UNCONFIRMED how long EC2 shows them). The association is `associated` at
 * once (the answer says `associating`, as EC2's does).
 */
export function associateVpcCidrBlock(context: RequestContext, request: AssociateVpcCidrBlockRequest): WriteOperation<VpcCidrBlockChange> {
  return (tx) => {
    const vpc = ownVpc(tx.view, context, request.vpcId);
    const ipv6 = request.amazonProvidedIpv6CidrBlock === true;
    if (ipv6 && request.cidrBlock !== undefined) throw parametersCannotBeCombined('cidrBlock', 'amazonProvidedIpv6CidrBlock');
    if (!ipv6 && request.cidrBlock === undefined) throw vpcCidrBlockRequired();
    if (request.ipv6CidrBlockNetworkBorderGroup !== undefined && (!ipv6 || request.ipv6CidrBlockNetworkBorderGroup !== context.region))
      throw parameterValueInvalid('Ipv6CidrBlockNetworkBorderGroup', request.ipv6CidrBlockNetworkBorderGroup);
    let association: VpcCidrBlockAssociation;
    let changed: Vpc;
    if (ipv6) {
      if (ipv6AssociationsOf(vpc).filter((a) => a.state === 'associated').length >= IPV6_BLOCKS_PER_VPC) throw cidrLimitExceeded(vpc.vpcId, IPV6_BLOCKS_PER_VPC);
      const associationId = tx.ids.next('vpc-ipv6-cidr-assoc');
      association = { associationId, family: 'ipv6', cidrBlock: amazonIpv6BlockFrom(associationId.slice('vpc-ipv6-cidr-assoc-'.length)), state: 'associated' };
      changed = { ...withAssociationAdded(vpc, association), ipv6CidrBlock: association.cidrBlock };
    } else {
      const given = request.cidrBlock ?? '';
      const cidr = parseIpv4Cidr(given);
      if (cidr === undefined) throw invalidVpcCidr(given);
      if (cidr.prefixLength < 16 || cidr.prefixLength > 28) throw vpcRange(given);
      const blocks = associatedIpv4Blocks(vpc);
      for (const block of blocks) {
        const other = parseIpv4Cidr(block);
        if (other !== undefined && (cidrContainsCidr(other, cidr) || cidrContainsCidr(cidr, other))) throw vpcCidrConflict(cidr.text, block);
      }
      if (blocks.length >= IPV4_BLOCKS_PER_VPC) throw cidrLimitExceeded(vpc.vpcId, IPV4_BLOCKS_PER_VPC);
      association = { associationId: tx.ids.next('vpc-cidr-assoc'), family: 'ipv4', cidrBlock: cidr.text, state: 'associated' };
      changed = withAssociationAdded(vpc, association);
    }
    tx.emit(vpc.ownerId, vpc.region, { kind: 'VpcCidrBlocksChanged', vpc: changed });
    return { vpcId: vpc.vpcId, association };
  };
}

/**
 * Disassociates a block of one of the caller's VPCs by association ID. Not the primary IPv4 block
 * (OperationNotPermitted), not an IPv4 block that subnets lie in nor an IPv6 block that subnets
 * have /64s of (DependencyViolation, UNCONFIRMED); an unknown ID, another account's, or one already disassociated →
 * InvalidVpcCidrBlockAssociationID.NotFound. The block stays listed as `disassociated` (the
 * answer says `disassociating`). An IPv6 block's removal leaves the groups' `::/0` rules as they
 * are (UNCONFIRMED).
 */
export function disassociateVpcCidrBlock(context: RequestContext, associationId: string | undefined): WriteOperation<VpcCidrBlockChange> {
  return (tx) => {
    if (associationId === undefined) throw missingParameter('associationId');
    const found = findAssociation(tx.view.vpcs.values(), context, associationId);
    if (found === undefined) throw vpcCidrAssociationNotFound(associationId);
    const { vpc, association } = found;
    if (association.associationId === cidrAssociationIdOf(vpc)) throw primaryVpcCidrBlock(associationId);
    if (association.family === 'ipv4') {
      const block = parseIpv4Cidr(association.cidrBlock);
      for (const subnet of tx.view.subnets.values()) {
        const inside = parseIpv4Cidr(subnet.cidrBlock);
        if (subnet.vpcId === vpc.vpcId && block !== undefined && inside !== undefined && cidrContainsCidr(block, inside)) throw vpcCidrBlockInUse(associationId);
      }
    } else {
      // The IPv6 block holds the subnets' /64s: they go first (UNCONFIRMED code and wording, as for IPv4).
      for (const subnet of tx.view.subnets.values())
        if (subnet.vpcId === vpc.vpcId && subnetIpv6Association(subnet) !== undefined) throw vpcCidrBlockInUse(associationId);
    }
    const disassociated: VpcCidrBlockAssociation = { ...association, state: 'disassociated' };
    const others = (vpc.cidrBlockAssociations ?? []).filter((a) => a.associationId !== associationId);
    let changed: Vpc = { ...vpc, cidrBlockAssociations: [...others, disassociated] };
    if (association.family === 'ipv6') {
      const { ipv6CidrBlock: _gone, ...rest } = changed;
      changed = rest;
    }
    tx.emit(vpc.ownerId, vpc.region, { kind: 'VpcCidrBlocksChanged', vpc: changed });
    return { vpcId: vpc.vpcId, association: disassociated };
  };
}

/** The VPC with `association` appended and the disassociated blocks of its family forgotten. */
function withAssociationAdded(vpc: Vpc, association: VpcCidrBlockAssociation): Vpc {
  const kept = (vpc.cidrBlockAssociations ?? []).filter((a) => a.family !== association.family || a.state === 'associated');
  return { ...vpc, cidrBlockAssociations: [...kept, association] };
}

/** The caller's associated block with this association ID, and its VPC, if any. */
function findAssociation(
  vpcs: Iterable<Vpc>,
  context: RequestContext,
  associationId: string,
): { vpc: Vpc; association: VpcCidrBlockAssociation } | undefined {
  for (const vpc of vpcs) {
    if (vpc.ownerId !== context.account.accountId || vpc.region !== context.region) continue;
    for (const association of [...ipv4AssociationsOf(vpc), ...ipv6AssociationsOf(vpc)])
      if (association.associationId === associationId && association.state === 'associated') return { vpc, association };
  }
  return undefined;
}
