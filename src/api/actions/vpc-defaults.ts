import type { DefaultNetworkAcl, MainRouteTable } from '../../domain/vpc-defaults.js';
import { describeNetworkAcls, describeRouteTables } from '../../service/vpc-defaults.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging } from './shared-shapes.js';

/** A `RouteTable` element body: the main association and the local routes. */
function routeTableXml(table: MainRouteTable): string {
  const association =
    element('main', true) +
    element('routeTableAssociationId', table.associationId) +
    element('routeTableId', table.routeTableId) +
    '<associationState><state>associated</state></associationState>';
  const routes = table.routes.map(
    (r) =>
      element(r.family === 'ipv4' ? 'destinationCidrBlock' : 'destinationIpv6CidrBlock', r.destination) +
      element('gatewayId', 'local') +
      element('origin', 'CreateRouteTable') +
      element('state', 'active'),
  );
  return (
    itemList('associationSet', [association]) +
    '<propagatingVgwSet/>' +
    element('routeTableId', table.routeTableId) +
    itemList('routeSet', routes) +
    tagSetXml(table.tags, false) +
    element('vpcId', table.vpcId) +
    element('ownerId', table.ownerId)
  );
}

/** A `NetworkAcl` element body: its subnet associations and EC2's default entries. */
function networkAclXml(acl: DefaultNetworkAcl): string {
  const associations = acl.associations.map(
    (a) => element('networkAclAssociationId', a.associationId) + element('networkAclId', acl.networkAclId) + element('subnetId', a.subnetId),
  );
  const entries = acl.entries.map(
    (e) =>
      element(e.family === 'ipv4' ? 'cidrBlock' : 'ipv6CidrBlock', e.cidr) +
      element('egress', e.egress) +
      element('protocol', '-1') +
      element('ruleAction', e.ruleAction) +
      element('ruleNumber', e.ruleNumber),
  );
  return (
    itemList('associationSet', associations) +
    itemList('entrySet', entries) +
    element('default', true) +
    element('networkAclId', acl.networkAclId) +
    tagSetXml(acl.tags, false) +
    element('vpcId', acl.vpcId) +
    element('ownerId', acl.ownerId)
  );
}

/** DescribeRouteTables: each VPC's main route table (issue 13; Terraform's aws_vpc reads it). */
export const describeRouteTablesAction = ec2Action(
  struct({ ...common, ...paging, RouteTableId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeRouteTables(view, context, { ids: input.routeTableId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    return itemList('routeTableSet', page.items.map(routeTableXml)) + element('nextToken', page.nextToken);
  },
);

/** DescribeNetworkAcls: each VPC's default network ACL (issue 13; Terraform's aws_vpc reads it). */
export const describeNetworkAclsAction = ec2Action(
  struct({ ...common, ...paging, NetworkAclId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeNetworkAcls(view, context, { ids: input.networkAclId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    return itemList('networkAclSet', page.items.map(networkAclXml)) + element('nextToken', page.nextToken);
  },
);
