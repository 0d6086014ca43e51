import { vpcIdMalformed, vpcNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import { cidrAssociationIdOf, ipv6AssociationIdOf, type Vpc } from '../domain/vpc.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/** Lists the caller's VPCs in the region (spec/api.md §5.13). Unknown IDs → InvalidVpcID.NotFound. */
export function describeVpcs(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly vpcIds: readonly string[]; readonly filters: readonly Filter[] },
): Page<Vpc> {
  const own = (v: Vpc | undefined): v is Vpc => v !== undefined && v.ownerId === context.account.accountId && v.region === context.region;
  let vpcs: Vpc[];
  if (request.vpcIds.length > 0) {
    vpcs = request.vpcIds.map((id) => {
      if (!isResourceId('vpc', id)) throw vpcIdMalformed(id);
      const vpc = view.vpcs.get(id);
      if (!own(vpc)) throw vpcNotFound(id);
      return vpc;
    });
  } else {
    vpcs = [...view.vpcs.values()].filter(own);
  }
  if (request.filters.length > 0) {
    const isDefault = (v: Vpc) => [String(v.isDefault)];
    const matches = compileFilters<Vpc>(
      request.filters,
      {
        'vpc-id': (v) => [v.vpcId],
        cidr: (v) => [v.cidrBlock],
        'cidr-block': (v) => [v.cidrBlock],
        'cidr-block-association.cidr-block': (v) => [v.cidrBlock],
        'cidr-block-association.association-id': (v) => [cidrAssociationIdOf(v)],
        'cidr-block-association.state': () => ['associated'],
        'ipv6-cidr-block-association.ipv6-cidr-block': (v) => [v.ipv6CidrBlock],
        'ipv6-cidr-block-association.association-id': (v) => [ipv6AssociationIdOf(v)],
        // The only IPv6 blocks here are Amazon-provided (actions/vpcs.ts).
        'ipv6-cidr-block-association.ipv6-pool': (v) => (v.ipv6CidrBlock === undefined ? [] : ['Amazon']),
        'ipv6-cidr-block-association.state': (v) => (v.ipv6CidrBlock === undefined ? [] : ['associated']),
        state: () => ['available'],
        'is-default': isDefault,
        isDefault,
        'owner-id': (v) => [v.ownerId],
        'dhcp-options-id': (v) => [v.dhcpOptionsId],
      },
      (v) => v.tags,
    );
    vpcs = vpcs.filter(matches);
  }
  vpcs.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(vpcs, request, { f: request.filters, i: request.vpcIds });
}
