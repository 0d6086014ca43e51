import {
  assignIpv6WithoutBlock,
  cidrLimitExceeded,
  dependencyViolation,
  invalidVpcCidr,
  ipv6NativeWithIpv4,
  ipv6NativeWithoutBlock,
  ipv6OnlySubnetUnsupported,
  invalidAvailabilityZone,
  missingParameter,
  oneSubnetAttributeAtATime,
  subnetCidrAssociationNotFound,
  subnetConflict,
  subnetIpv6BlockAssignsOnCreation,
  subnetIpv6BlockHasAddresses,
  subnetIpv6CidrInvalid,
  subnetIpv6Conflict,
  subnetIpv6Range,
  subnetNotFound,
  subnetRange,
  vpcNotFound,
} from '../domain/ec2-errors.js';
import { availabilityZonesOf, defaultAvailabilityZone, findAvailabilityZone } from '../domain/availability-zone.js';
import { cidrContainsCidr, parseIpv4Cidr, parseIpv6Cidr } from '../domain/cidr.js';
import { isResourceId } from '../domain/ids.js';
import {
  assignsIpv6OnCreation,
  mapsPublicIpOnLaunch,
  SUBNET_IPV6_PREFIX_LENGTH,
  subnetIpv6Association,
  type Subnet,
  type SubnetIpv6CidrBlockAssociation,
} from '../domain/subnet.js';
import { associatedIpv4Blocks, ipv6AssociationsOf, type Vpc } from '../domain/vpc.js';
import { validateTags } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import { tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';

/** CreateSubnet's parameters (IPAM pools and Outposts are not offered). */
export interface CreateSubnetRequest {
  readonly vpcId?: string;
  readonly cidrBlock?: string;
  readonly ipv6CidrBlock?: string;
  readonly ipv6Native?: boolean;
  readonly availabilityZone?: string;
  /** The zone by its ID (`use1-az1`), as Terraform may give it. */
  readonly availabilityZoneId?: string;
  readonly tagSpecifications: readonly TagSpecification[];
}

/**
 * CreateSubnet (spec/api.md §5.13): an IPv4 block inside one of the VPC's IPv4 blocks, /16 to /28
 * (InvalidSubnet.Range), overlapping no other subnet of the VPC (InvalidSubnet.Conflict); and, with
 * `Ipv6CidrBlock`, a /64 inside the VPC's associated Amazon /56, overlapping no other subnet's
 * (subnetIpv6Block). `Ipv6Native` is checked as EC2 checks it, then refused: IPv6-only subnets are
 * not built (ec2-errors.ts, ipv6OnlySubnetUnsupported). The IPv6 association is `associated` at
 * once; the answer says so too (UNCONFIRMED: EC2 may answer `associating`, which Terraform waits
 * out through DescribeSubnets).
 */
export function createSubnet(context: RequestContext, request: CreateSubnetRequest): WriteOperation<Subnet> {
  return (tx) => {
    if (request.vpcId === undefined) throw missingParameter('vpcId');
    if (request.ipv6Native === true) {
      if (request.cidrBlock !== undefined) throw ipv6NativeWithIpv4();
      if (request.ipv6CidrBlock === undefined) throw ipv6NativeWithoutBlock();
    }
    const vpc = tx.view.vpcs.get(request.vpcId);
    if (vpc === undefined || vpc.ownerId !== context.account.accountId || vpc.region !== context.region) throw vpcNotFound(request.vpcId);
    if (request.ipv6Native === true) throw ipv6OnlySubnetUnsupported();
    if (request.cidrBlock === undefined) throw missingParameter('cidrBlock');
    const cidr = parseIpv4Cidr(request.cidrBlock);
    // Inside one of the VPC's associated IPv4 blocks, the primary or a secondary one.
    const inVpc = (c: NonNullable<typeof cidr>) =>
      associatedIpv4Blocks(vpc).some((block) => {
        const vpcCidr = parseIpv4Cidr(block);
        return vpcCidr !== undefined && cidrContainsCidr(vpcCidr, c);
      });
    if (cidr === undefined) throw invalidVpcCidr(request.cidrBlock);
    if (cidr.prefixLength < 16 || cidr.prefixLength > 28 || !inVpc(cidr)) throw subnetRange(request.cidrBlock);
    const inVpcSubnets = [...tx.view.subnets.values()].filter((other) => other.vpcId === vpc.vpcId);
    for (const other of inVpcSubnets) {
      const o = parseIpv4Cidr(other.cidrBlock);
      if (o !== undefined && (cidrContainsCidr(o, cidr) || cidrContainsCidr(cidr, o))) throw subnetConflict(request.cidrBlock);
    }
    const ipv6Block = request.ipv6CidrBlock === undefined ? undefined : subnetIpv6Block(vpc, inVpcSubnets, request.ipv6CidrBlock);
    const zone = subnetZone(context, request);
    const tags = tagsFromSpecifications(request.tagSpecifications, 'subnet');
    validateTags(tags);
    const subnet: Subnet = {
      subnetId: tx.ids.next('subnet'),
      vpcId: vpc.vpcId,
      ownerId: vpc.ownerId,
      region: vpc.region,
      cidrBlock: cidr.text,
      availabilityZone: zone,
      defaultForAz: false,
      ...(ipv6Block === undefined
        ? {}
        : { ipv6CidrBlockAssociations: [{ associationId: tx.ids.next('subnet-cidr-assoc'), ipv6CidrBlock: ipv6Block, state: 'associated' as const }] }),
      tags,
      ordinal: tx.view.nextOrdinal(),
    };
    tx.emit(vpc.ownerId, vpc.region, { kind: 'SubnetCreated', subnet });
    return subnet;
  };
}

/**
 * Checks an IPv6 block asked for a subnet of `vpc` and returns its canonical text: an IPv6 /64
 * (InvalidParameterValue otherwise), inside the VPC's associated IPv6 block (InvalidSubnet.Range,
 * also when the VPC has none), overlapping no block of the VPC's other subnets
 * (InvalidSubnet.Conflict). `others` are the VPC's subnets, the one being changed excluded.
 */
function subnetIpv6Block(vpc: Vpc, others: readonly Subnet[], given: string): string {
  const cidr = parseIpv6Cidr(given);
  if (cidr === undefined || cidr.prefixLength !== SUBNET_IPV6_PREFIX_LENGTH) throw subnetIpv6CidrInvalid(given);
  const vpcBlock = ipv6AssociationsOf(vpc).find((a) => a.state === 'associated');
  const vpcCidr = vpcBlock === undefined ? undefined : parseIpv6Cidr(vpcBlock.cidrBlock);
  if (vpcCidr === undefined || !cidrContainsCidr(vpcCidr, cidr)) throw subnetIpv6Range(cidr.text);
  for (const other of others) {
    const taken = subnetIpv6Association(other);
    const o = taken === undefined ? undefined : parseIpv6Cidr(taken.ipv6CidrBlock);
    if (o !== undefined && (cidrContainsCidr(o, cidr) || cidrContainsCidr(cidr, o))) throw subnetIpv6Conflict(cidr.text);
  }
  return cidr.text;
}

/** What AssociateSubnetCidrBlock and DisassociateSubnetCidrBlock answer: the subnet and the association they changed. */
export interface SubnetCidrBlockChange {
  readonly subnetId: string;
  readonly association: SubnetIpv6CidrBlockAssociation;
}

/**
 * AssociateSubnetCidrBlock: gives one of the caller's subnets an IPv6 /64 (checked as CreateSubnet
 * checks it). A subnet has one IPv6 block at most: a second → CidrLimitExceeded (UNCONFIRMED code;
 * EC2's documentation: "You can only associate a single IPv6 CIDR block with your subnet").
 * Disassociated blocks are forgotten when a new one comes, as a VPC's are (vpc-cidr-blocks.ts).
 */
export function associateSubnetCidrBlock(
  context: RequestContext,
  request: { readonly subnetId?: string; readonly ipv6CidrBlock?: string },
): WriteOperation<SubnetCidrBlockChange> {
  return (tx) => {
    if (request.subnetId === undefined) throw missingParameter('subnetId');
    const subnet = ownSubnet(tx.view, context, request.subnetId);
    if (request.ipv6CidrBlock === undefined) throw missingParameter('ipv6CidrBlock');
    const vpc = tx.view.vpcs.get(subnet.vpcId);
    if (vpc === undefined) throw vpcNotFound(subnet.vpcId);
    if (subnetIpv6Association(subnet) !== undefined) throw cidrLimitExceeded(subnet.subnetId, 1);
    const others = [...tx.view.subnets.values()].filter((s) => s.vpcId === vpc.vpcId && s.subnetId !== subnet.subnetId);
    const block = subnetIpv6Block(vpc, others, request.ipv6CidrBlock);
    const association: SubnetIpv6CidrBlockAssociation = { associationId: tx.ids.next('subnet-cidr-assoc'), ipv6CidrBlock: block, state: 'associated' };
    tx.emit(subnet.ownerId, subnet.region, { kind: 'SubnetModified', subnet: { ...subnet, ipv6CidrBlockAssociations: [association] } });
    return { subnetId: subnet.subnetId, association };
  };
}

/**
 * DisassociateSubnetCidrBlock: removes a subnet's IPv6 block by association ID. Refused with
 * InvalidCidrBlock.InUse while the subnet assigns IPv6 addresses on creation (field) or while
 * instances hold addresses from it (UNCONFIRMED wording); an unknown, foreign or already
 * disassociated ID → InvalidSubnetCidrBlockAssociationID.NotFound. The block stays listed as
 * `disassociated`.
 */
export function disassociateSubnetCidrBlock(context: RequestContext, associationId: string | undefined): WriteOperation<SubnetCidrBlockChange> {
  return (tx) => {
    if (associationId === undefined) throw missingParameter('associationId');
    let subnet: Subnet | undefined;
    for (const candidate of tx.view.subnets.values()) {
      if (candidate.ownerId !== context.account.accountId || candidate.region !== context.region) continue;
      if (subnetIpv6Association(candidate)?.associationId === associationId) subnet = candidate;
    }
    const association = subnet === undefined ? undefined : subnetIpv6Association(subnet);
    if (subnet === undefined || association === undefined) throw subnetCidrAssociationNotFound(associationId);
    if (assignsIpv6OnCreation(subnet)) throw subnetIpv6BlockAssignsOnCreation(associationId);
    if (tx.view.ipv6AddressesInUse(subnet.subnetId).size > 0) throw subnetIpv6BlockHasAddresses(associationId);
    const disassociated: SubnetIpv6CidrBlockAssociation = { ...association, state: 'disassociated' };
    const associations = (subnet.ipv6CidrBlockAssociations ?? []).map((a) => (a.associationId === associationId ? disassociated : a));
    tx.emit(subnet.ownerId, subnet.region, { kind: 'SubnetModified', subnet: { ...subnet, ipv6CidrBlockAssociations: associations } });
    return { subnetId: subnet.subnetId, association: disassociated };
  };
}

/** ModifySubnetAttribute's attributes that Stockade keeps (each an `X.Value` boolean on the wire). */
export interface SubnetAttributeChange {
  readonly assignIpv6AddressOnCreation?: boolean;
  readonly mapPublicIpOnLaunch?: boolean;
}

/**
 * ModifySubnetAttribute: one attribute per call (InvalidParameterCombination otherwise, UNCONFIRMED;
 * none → MissingParameter). `AssignIpv6AddressOnCreation` true needs an IPv6 block (field wording,
 * assignIpv6WithoutBlock). `MapPublicIpOnLaunch` is kept and shown; no public addresses exist here.
 */
export function modifySubnetAttribute(
  context: RequestContext,
  subnetId: string | undefined,
  change: SubnetAttributeChange,
): WriteOperation<void> {
  return (tx) => {
    if (subnetId === undefined) throw missingParameter('subnetId');
    const subnet = ownSubnet(tx.view, context, subnetId);
    const given = Object.entries(change).filter(([, value]) => value !== undefined);
    if (given.length === 0) throw missingParameter('attribute');
    if (given.length > 1) throw oneSubnetAttributeAtATime();
    if (change.assignIpv6AddressOnCreation === true && subnetIpv6Association(subnet) === undefined) throw assignIpv6WithoutBlock(subnet.subnetId);
    tx.emit(subnet.ownerId, subnet.region, { kind: 'SubnetModified', subnet: { ...subnet, ...change } });
  };
}

/**
 * The zone of a new subnet: by name or zone ID, one of the region's (domain/availability-zone.ts);
 * neither → the region's first. Another zone → InvalidParameterValue listing the region's zones
 * (wording UNCONFIRMED).
 */
function subnetZone(context: RequestContext, request: { availabilityZone?: string; availabilityZoneId?: string }): string {
  const asked = request.availabilityZone ?? request.availabilityZoneId;
  if (asked === undefined) return defaultAvailabilityZone(context.region).zoneName;
  const zone = findAvailabilityZone(context.region, asked);
  if (zone === undefined) throw invalidAvailabilityZone(asked, availabilityZonesOf(context.region).map((z) => z.zoneName));
  return zone.zoneName;
}

/** DeleteSubnet: refused while an instance that is not terminated lives in it. */
export function deleteSubnet(context: RequestContext, subnetId: string | undefined): WriteOperation<void> {
  return (tx) => {
    if (subnetId === undefined) throw missingParameter('subnetId');
    const subnet = ownSubnet(tx.view, context, subnetId);
    if (tx.view.addressesInUse(subnet.subnetId).size > 0) throw dependencyViolation(subnetId);
    tx.emit(subnet.ownerId, subnet.region, { kind: 'SubnetDeleted', subnetId });
  };
}

/** The caller's subnet with this ID in the region. Throws InvalidSubnetID.NotFound. */
export function ownSubnet(view: ReadView, context: RequestContext, subnetId: string): Subnet {
  const subnet = isResourceId('subnet', subnetId) ? view.subnets.get(subnetId) : undefined;
  if (subnet === undefined || subnet.ownerId !== context.account.accountId || subnet.region !== context.region)
    throw subnetNotFound(subnetId);
  return subnet;
}

/** DescribeSubnets: the caller's subnets in the region. */
export function describeSubnets(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly subnetIds: readonly string[]; readonly filters: readonly Filter[] },
): Page<Subnet> {
  let subnets =
    request.subnetIds.length > 0
      ? request.subnetIds.map((id) => ownSubnet(view, context, id))
      : [...view.subnets.values()].filter((s) => s.ownerId === context.account.accountId && s.region === context.region);
  if (request.filters.length > 0) {
    const defaultForAz = (s: Subnet) => [String(s.defaultForAz)];
    const matches = compileFilters<Subnet>(
      request.filters,
      {
        'subnet-id': (s) => [s.subnetId],
        'vpc-id': (s) => [s.vpcId],
        'cidr-block': (s) => [s.cidrBlock],
        cidr: (s) => [s.cidrBlock],
        'availability-zone': (s) => [s.availabilityZone],
        'availability-zone-id': (s) => [findAvailabilityZone(s.region, s.availabilityZone)?.zoneId],
        'default-for-az': defaultForAz,
        defaultForAz,
        state: () => ['available'],
        'owner-id': (s) => [s.ownerId],
        'map-public-ip-on-launch': (s) => [String(mapsPublicIpOnLaunch(s))],
        'assign-ipv6-address-on-creation': (s) => [String(assignsIpv6OnCreation(s))],
        'ipv6-native': () => ['false'],
        'ipv6-cidr-block-association.ipv6-cidr-block': (s) => (s.ipv6CidrBlockAssociations ?? []).map((a) => a.ipv6CidrBlock),
        'ipv6-cidr-block-association.association-id': (s) => (s.ipv6CidrBlockAssociations ?? []).map((a) => a.associationId),
        'ipv6-cidr-block-association.state': (s) => (s.ipv6CidrBlockAssociations ?? []).map((a) => a.state),
      },
      (s) => s.tags,
    );
    subnets = subnets.filter(matches);
  }
  subnets.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(subnets, request, { f: request.filters, i: request.subnetIds });
}
