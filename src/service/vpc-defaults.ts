import { networkAclNotFound, routeTableNotFound } from '../domain/ec2-errors.js';
import { defaultNetworkAclIdOf, defaultNetworkAclOf, mainRouteTableIdOf, mainRouteTableOf, type DefaultNetworkAcl, type MainRouteTable } from '../domain/vpc-defaults.js';
import type { Vpc } from '../domain/vpc.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

type Query = PageRequest & { readonly ids: readonly string[]; readonly filters: readonly Filter[] };

/** The caller's VPCs in the region, in creation order. */
function ownVpcs(view: ReadView, context: RequestContext): Vpc[] {
  return [...view.vpcs.values()].filter((v) => v.ownerId === context.account.accountId && v.region === context.region).sort((a, b) => a.ordinal - b.ordinal);
}

/** Picks resources by ID (each must exist) or all, then filters and pages them. */
function select<T>(all: readonly T[], idOf: (t: T) => string, notFound: (id: string) => Error, query: Query, matches: (t: T) => boolean): Page<T> {
  let chosen = [...all];
  if (query.ids.length > 0) {
    chosen = query.ids.map((id) => {
      const found = all.find((t) => idOf(t) === id);
      if (found === undefined) throw notFound(id);
      return found;
    });
  }
  return paginate(chosen.filter(matches), query, { i: query.ids, f: query.filters }, { min: 5, max: 100 });
}

/**
 * DescribeRouteTables (issue 13): the main route table of each of the caller's VPCs, read-only
 * (domain/vpc-defaults.ts). Filters `route-table-id`, `vpc-id`, `owner-id`, `association.main`,
 * `association.route-table-association-id`, `association.route-table-id`, and tags (`tag:<key>`,
 * `tag-key`), which CreateTags sets on its ID.
 */
export function describeRouteTables(view: ReadView, context: RequestContext, query: Query): Page<MainRouteTable> {
  const matches = compileFilters<MainRouteTable>(
    query.filters,
    {
      'route-table-id': (t) => [t.routeTableId],
      'vpc-id': (t) => [t.vpcId],
      'owner-id': (t) => [t.ownerId],
      'association.main': () => ['true'],
      'association.route-table-association-id': (t) => [t.associationId],
      'association.route-table-id': (t) => [t.routeTableId],
    },
    (t) => t.tags,
  );
  const tables = ownVpcs(view, context).map((vpc) => mainRouteTableOf(vpc, view.routeTables.get(mainRouteTableIdOf(vpc.vpcId))?.tags));
  return select(tables, (t) => t.routeTableId, routeTableNotFound, query, matches);
}

/**
 * DescribeNetworkAcls (issue 13): the default network ACL of each of the caller's VPCs, associated
 * with its subnets, read-only. Filters `network-acl-id`, `vpc-id`, `owner-id`, `default`,
 * `association.subnet-id`, `association.network-acl-id`, `association.association-id`.
 */
export function describeNetworkAcls(view: ReadView, context: RequestContext, query: Query): Page<DefaultNetworkAcl> {
  const subnetsOf = (vpcId: string) =>
    [...view.subnets.values()].filter((s) => s.vpcId === vpcId).sort((a, b) => a.ordinal - b.ordinal).map((s) => s.subnetId);
  const matches = compileFilters<DefaultNetworkAcl>(
    query.filters,
    {
      'network-acl-id': (a) => [a.networkAclId],
      'vpc-id': (a) => [a.vpcId],
      'owner-id': (a) => [a.ownerId],
      default: () => ['true'],
      'association.subnet-id': (a) => a.associations.map((x) => x.subnetId),
      'association.network-acl-id': (a) => (a.associations.length > 0 ? [a.networkAclId] : []),
      'association.association-id': (a) => a.associations.map((x) => x.associationId),
    },
    (a) => a.tags,
  );
  const acls = ownVpcs(view, context).map((vpc) => defaultNetworkAclOf(vpc, subnetsOf(vpc.vpcId), view.networkAcls.get(defaultNetworkAclIdOf(vpc.vpcId))?.tags));
  return select(acls, (a) => a.networkAclId, networkAclNotFound, query, matches);
}
