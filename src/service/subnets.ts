import {
  dependencyViolation,
  invalidAvailabilityZone,
  invalidParameterValue,
  missingParameter,
  subnetNotFound,
  vpcNotFound,
} from '../domain/ec2-errors.js';
import { availabilityZonesOf, defaultAvailabilityZone, findAvailabilityZone } from '../domain/availability-zone.js';
import { cidrContainsCidr, parseIpv4Cidr } from '../domain/cidr.js';
import { isResourceId } from '../domain/ids.js';
import type { Subnet } from '../domain/subnet.js';
import { validateTags } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import { tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';

/**
 * CreateSubnet (spec/api.md §5.13, minimal bookkeeping): a CIDR inside the VPC's, /16 to /28, not
 * overlapping another subnet of the VPC.
 */
export function createSubnet(
  context: RequestContext,
  request: { vpcId?: string; cidrBlock?: string; availabilityZone?: string; availabilityZoneId?: string; tagSpecifications: readonly TagSpecification[] },
): WriteOperation<Subnet> {
  return (tx) => {
    if (request.vpcId === undefined) throw missingParameter('vpcId');
    if (request.cidrBlock === undefined) throw missingParameter('cidrBlock');
    const vpc = tx.view.vpcs.get(request.vpcId);
    if (vpc === undefined || vpc.ownerId !== context.account.accountId || vpc.region !== context.region) throw vpcNotFound(request.vpcId);
    const cidr = parseIpv4Cidr(request.cidrBlock);
    const vpcCidr = parseIpv4Cidr(vpc.cidrBlock);
    // UNCONFIRMED wording; AWS answers InvalidSubnet.Range for these (spec/errors.md §3.5).
    if (cidr === undefined || vpcCidr === undefined || cidr.prefixLength < 16 || cidr.prefixLength > 28 || !cidrContainsCidr(vpcCidr, cidr))
      throw invalidParameterValue(`The CIDR '${request.cidrBlock}' is invalid.`);
    for (const other of tx.view.subnets.values()) {
      const o = parseIpv4Cidr(other.cidrBlock);
      if (other.vpcId === vpc.vpcId && o !== undefined && (cidrContainsCidr(o, cidr) || cidrContainsCidr(cidr, o)))
        throw invalidParameterValue(`The CIDR '${request.cidrBlock}' conflicts with another subnet`);
    }
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
      tags,
      ordinal: tx.view.nextOrdinal(),
    };
    tx.emit(vpc.ownerId, vpc.region, { kind: 'SubnetCreated', subnet });
    return subnet;
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
      },
      (s) => s.tags,
    );
    subnets = subnets.filter(matches);
  }
  subnets.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(subnets, request, { f: request.filters, i: request.subnetIds });
}
