import { cidrAssociationIdOf, ipv6AssociationIdOf, type Vpc } from '../../domain/vpc.js';
import { createVpc } from '../../service/create-vpc.js';
import { deleteVpc } from '../../service/delete-vpc.js';
import { describeVpcs } from '../../service/describe-vpcs.js';
import { describeVpcAttribute, modifyVpcAttribute } from '../../service/vpc-attributes.js';
import { ec2Action } from '../action.js';
import { boolean, list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/**
 * A `VpcIpv6CidrBlockAssociation` body. The only IPv6 block a VPC can get here is Amazon-provided
 * (`AmazonProvidedIpv6CidrBlock`, spec/api.md §5.13), so the pool is `Amazon`, the border group
 * the VPC's region, the source `amazon` and the space `public`, as the model documents for such
 * blocks. Clients read the pool: Terraform derives `assign_generated_ipv6_cidr_block` from
 * `ipv6Pool == "Amazon"`, so without it every plan would try to re-assign the block.
 */
function ipv6AssociationXml(vpc: Vpc, ipv6CidrBlock: string, associationId: string): string {
  return (
    element('ipv6CidrBlock', ipv6CidrBlock) +
    element('associationId', associationId) +
    '<ipv6CidrBlockState><state>associated</state></ipv6CidrBlockState>' +
    element('networkBorderGroup', vpc.region) +
    element('ipv6Pool', 'Amazon') +
    element('ipv6AddressAttribute', 'public') +
    element('ipSource', 'amazon')
  );
}

/** A `Vpc` element body (spec/api.md §5.13). */
function vpcXml(vpc: Vpc, state: 'pending' | 'available'): string {
  const association = cidrAssociationIdOf(vpc);
  const ipv6Association = ipv6AssociationIdOf(vpc);
  return (
    element('vpcId', vpc.vpcId) +
    element('ownerId', vpc.ownerId) +
    element('state', state) +
    element('cidrBlock', vpc.cidrBlock) +
    itemList('cidrBlockAssociationSet', [
      element('cidrBlock', vpc.cidrBlock) + element('associationId', association) + '<cidrBlockState><state>associated</state></cidrBlockState>',
    ]) +
    itemList(
      'ipv6CidrBlockAssociationSet',
      vpc.ipv6CidrBlock === undefined || ipv6Association === undefined ? [] : [ipv6AssociationXml(vpc, vpc.ipv6CidrBlock, ipv6Association)],
    ) +
    element('dhcpOptionsId', vpc.dhcpOptionsId) +
    element('instanceTenancy', vpc.instanceTenancy) +
    element('isDefault', vpc.isDefault) +
    tagSetXml(vpc.tags, true)
  );
}

/** CreateVpc (spec/api.md §5.13): the VPC and its default security group. */
export const createVpcAction = ec2Action(
  struct({ ...common, CidrBlock: string, InstanceTenancy: string, AmazonProvidedIpv6CidrBlock: boolean, TagSpecification: list(tagSpecificationShape) }),
  async ({ queue, context }, input) => {
    const vpc = await queue.submit(
      createVpc(context, {
        ...(input.cidrBlock === undefined ? {} : { cidrBlock: input.cidrBlock }),
        ...(input.instanceTenancy === undefined ? {} : { instanceTenancy: input.instanceTenancy }),
        ...(input.amazonProvidedIpv6CidrBlock === undefined ? {} : { amazonProvidedIpv6CidrBlock: input.amazonProvidedIpv6CidrBlock }),
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
      }),
    );
    return `<vpc>${vpcXml(vpc, 'pending')}</vpc>`;
  },
);

/** DescribeVpcs (spec/api.md §5.13). */
export const describeVpcsAction = ec2Action(
  struct({ ...common, ...paging, VpcId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeVpcs(view, context, { vpcIds: input.vpcId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    return itemList('vpcSet', page.items.map((v) => vpcXml(v, 'available'))) + element('nextToken', page.nextToken);
  },
);

/** DeleteVpc (spec/api.md §5.13). */
export const deleteVpcAction = ec2Action(struct({ ...common, VpcId: string }), async ({ queue, context }, input) => {
  await queue.submit(deleteVpc(context, input.vpcId));
  return element('return', true);
});

/** DescribeVpcAttribute: `enableDnsSupport`, `enableDnsHostnames`, `enableNetworkAddressUsageMetrics`. */
export const describeVpcAttributeAction = ec2Action(struct({ ...common, VpcId: string, Attribute: string }), ({ view, context }, input) => {
  const answer = describeVpcAttribute(view, context, input.vpcId, input.attribute);
  return element('vpcId', answer.vpcId) + `<${answer.attribute}>${element('value', answer.value)}</${answer.attribute}>`;
});

/** ModifyVpcAttribute: one of the three attributes, `<Name>.Value=true|false`. */
export const modifyVpcAttributeAction = ec2Action(
  struct({
    ...common,
    VpcId: string,
    EnableDnsSupport: struct({ Value: boolean }),
    EnableDnsHostnames: struct({ Value: boolean }),
    EnableNetworkAddressUsageMetrics: struct({ Value: boolean }),
  }),
  async ({ queue, context }, input) => {
    await queue.submit(
      modifyVpcAttribute(context, input.vpcId, {
        ...(input.enableDnsSupport?.value === undefined ? {} : { enableDnsSupport: input.enableDnsSupport.value }),
        ...(input.enableDnsHostnames?.value === undefined ? {} : { enableDnsHostnames: input.enableDnsHostnames.value }),
        ...(input.enableNetworkAddressUsageMetrics?.value === undefined ? {} : { enableNetworkAddressUsageMetrics: input.enableNetworkAddressUsageMetrics.value }),
      }),
    );
    return element('return', true);
  },
);
