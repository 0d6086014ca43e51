import { vpcIdMalformed, vpcNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import { ipv4AssociationsOf, ipv6AssociationsOf, type Vpc } from '../domain/vpc.js';
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
        // Each association field lists every association's value (EC2 matches a filter against any).
        'cidr-block-association.cidr-block': (v) => ipv4AssociationsOf(v).map((a) => a.cidrBlock),
        'cidr-block-association.association-id': (v) => ipv4AssociationsOf(v).map((a) => a.associationId),
        'cidr-block-association.state': (v) => ipv4AssociationsOf(v).map((a) => a.state),
        'ipv6-cidr-block-association.ipv6-cidr-block': (v) => ipv6AssociationsOf(v).map((a) => a.cidrBlock),
        'ipv6-cidr-block-association.association-id': (v) => ipv6AssociationsOf(v).map((a) => a.associationId),
        // The only IPv6 blocks here are Amazon-provided (actions/vpcs.ts).
        'ipv6-cidr-block-association.ipv6-pool': (v) => ipv6AssociationsOf(v).map(() => 'Amazon'),
        'ipv6-cidr-block-association.state': (v) => ipv6AssociationsOf(v).map((a) => a.state),
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
