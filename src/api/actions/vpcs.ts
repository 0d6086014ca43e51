import { ipv4AssociationsOf, ipv6AssociationsOf, type Vpc, type VpcCidrBlockAssociation } from '../../domain/vpc.js';
import { createVpc } from '../../service/create-vpc.js';
import { deleteVpc } from '../../service/delete-vpc.js';
import { describeVpcs } from '../../service/describe-vpcs.js';
import { associateVpcCidrBlock, disassociateVpcCidrBlock, type VpcCidrBlockChange } from '../../service/vpc-cidr-blocks.js';
import { describeVpcAttribute, modifyVpcAttribute } from '../../service/vpc-attributes.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { boolean, list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/** The state an association is shown in: its own, or the transient one a write action answers with. */
type AssociationState = VpcCidrBlockAssociation['state'] | 'associating' | 'disassociating';

/** A `VpcCidrBlockAssociation` body. */
function ipv4AssociationXml(association: VpcCidrBlockAssociation, state: AssociationState = association.state): string {
  return (
    element('cidrBlock', association.cidrBlock) +
    element('associationId', association.associationId) +
    `<cidrBlockState>${element('state', state)}</cidrBlockState>`
  );
}

/**
 * A `VpcIpv6CidrBlockAssociation` body. The only IPv6 block a VPC can get here is Amazon-provided
 * (`AmazonProvidedIpv6CidrBlock`, spec/api.md §5.13), so the pool is `Amazon`, the border group
 * the VPC's region, the source `amazon` and the space `public`, as the model documents for such
 * blocks. Clients read the pool: Terraform derives `assign_generated_ipv6_cidr_block` from
 * `ipv6Pool == "Amazon"`, so without it every plan would try to re-assign the block.
 */
function ipv6AssociationXml(vpc: Vpc, association: VpcCidrBlockAssociation, state: AssociationState = association.state): string {
  return (
    element('ipv6CidrBlock', association.cidrBlock) +
    element('associationId', association.associationId) +
    `<ipv6CidrBlockState>${element('state', state)}</ipv6CidrBlockState>` +
    element('networkBorderGroup', vpc.region) +
    element('ipv6Pool', 'Amazon') +
    element('ipv6AddressAttribute', 'public') +
    element('ipSource', 'amazon')
  );
}

/** A `Vpc` element body (spec/api.md §5.13). */
function vpcXml(vpc: Vpc, state: 'pending' | 'available'): string {
  return (
    element('vpcId', vpc.vpcId) +
    element('ownerId', vpc.ownerId) +
    element('state', state) +
    element('cidrBlock', vpc.cidrBlock) +
    itemList('cidrBlockAssociationSet', ipv4AssociationsOf(vpc).map((a) => ipv4AssociationXml(a))) +
    itemList('ipv6CidrBlockAssociationSet', ipv6AssociationsOf(vpc).map((a) => ipv6AssociationXml(vpc, a))) +
    element('dhcpOptionsId', vpc.dhcpOptionsId) +
    element('instanceTenancy', vpc.instanceTenancy) +
    element('isDefault', vpc.isDefault) +
    tagSetXml(vpc.tags, true)
  );
}

/** The answer of AssociateVpcCidrBlock and DisassociateVpcCidrBlock: the association, in its transient state. */
function cidrBlockChangeXml(view: { readonly vpcs: ReadonlyMap<string, Vpc> }, change: VpcCidrBlockChange, state: 'associating' | 'disassociating'): string {
  const vpc = view.vpcs.get(change.vpcId);
  const association =
    change.association.family === 'ipv4' || vpc === undefined
      ? `<cidrBlockAssociation>${ipv4AssociationXml(change.association, state)}</cidrBlockAssociation>`
      : `<ipv6CidrBlockAssociation>${ipv6AssociationXml(vpc, change.association, state)}</ipv6CidrBlockAssociation>`;
  return association + element('vpcId', change.vpcId);
}

/** AssociateVpcCidrBlock: a secondary IPv4 block or an Amazon IPv6 /56 (service/vpc-cidr-blocks.ts). */
export const associateVpcCidrBlockAction = ec2WriteAction(
  struct({ ...common, VpcId: string, CidrBlock: string, AmazonProvidedIpv6CidrBlock: boolean, Ipv6CidrBlockNetworkBorderGroup: string }),
  async ({ queue, context, view }, input) => {
    const change = await queue.submit(
      associateVpcCidrBlock(context, {
        ...(input.vpcId === undefined ? {} : { vpcId: input.vpcId }),
        ...(input.cidrBlock === undefined ? {} : { cidrBlock: input.cidrBlock }),
        ...(input.amazonProvidedIpv6CidrBlock === undefined ? {} : { amazonProvidedIpv6CidrBlock: input.amazonProvidedIpv6CidrBlock }),
        ...(input.ipv6CidrBlockNetworkBorderGroup === undefined ? {} : { ipv6CidrBlockNetworkBorderGroup: input.ipv6CidrBlockNetworkBorderGroup }),
      }),
    );
    return cidrBlockChangeXml(view, change, 'associating');
  },
);

/** DisassociateVpcCidrBlock: any block but the primary IPv4 one and those with subnets. */
export const disassociateVpcCidrBlockAction = ec2WriteAction(struct({ ...common, AssociationId: string }), async ({ queue, context, view }, input) => {
  const change = await queue.submit(disassociateVpcCidrBlock(context, input.associationId));
  return cidrBlockChangeXml(view, change, 'disassociating');
});

/** CreateVpc (spec/api.md §5.13): the VPC and its default security group. */
export const createVpcAction = ec2WriteAction(
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
export const deleteVpcAction = ec2WriteAction(struct({ ...common, VpcId: string }), async ({ queue, context }, input) => {
  await queue.submit(deleteVpc(context, input.vpcId));
  return element('return', true);
});

/** DescribeVpcAttribute: `enableDnsSupport`, `enableDnsHostnames`, `enableNetworkAddressUsageMetrics`. */
export const describeVpcAttributeAction = ec2Action(struct({ ...common, VpcId: string, Attribute: string }), ({ view, context }, input) => {
  const answer = describeVpcAttribute(view, context, input.vpcId, input.attribute);
  return element('vpcId', answer.vpcId) + `<${answer.attribute}>${element('value', answer.value)}</${answer.attribute}>`;
});

/** ModifyVpcAttribute: one of the three attributes, `<Name>.Value=true|false`. */
export const modifyVpcAttributeAction = ec2WriteAction(
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
