import { assignsIpv6OnCreation, mapsPublicIpOnLaunch, type Subnet, type SubnetIpv6CidrBlockAssociation } from '../../domain/subnet.js';
import {
  associateSubnetCidrBlock,
  createSubnet,
  deleteSubnet,
  describeSubnets,
  disassociateSubnetCidrBlock,
  modifySubnetAttribute,
  type SubnetCidrBlockChange,
} from '../../service/subnets.js';
import { findAvailabilityZone } from '../../domain/availability-zone.js';
import { subnetArn } from '../../domain/ids.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { boolean, list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/** The state an association is shown in: its own, or the transient one a write action answers with. */
type AssociationState = SubnetIpv6CidrBlockAssociation['state'] | 'associating' | 'disassociating';

/** A `SubnetIpv6CidrBlockAssociation` body (botocore model names). */
function ipv6AssociationXml(association: SubnetIpv6CidrBlockAssociation, state: AssociationState = association.state): string {
  return (
    element('associationId', association.associationId) +
    element('ipv6CidrBlock', association.ipv6CidrBlock) +
    `<ipv6CidrBlockState>${element('state', state)}</ipv6CidrBlockState>` +
    // The subnet's block comes from the VPC's Amazon-provided /56 (spec/api.md §5.13).
    element('ipv6AddressAttribute', 'public') +
    element('ipSource', 'amazon')
  );
}

function subnetXml(subnet: Subnet, freeAddresses: number): string {
  return (
    element('subnetId', subnet.subnetId) +
    // EC2 gives every subnet its ARN; Terraform's aws_subnet reads `arn` from it (issue 13).
    element('subnetArn', subnetArn(subnet.region, subnet.ownerId, subnet.subnetId)) +
    element('state', 'available') +
    element('vpcId', subnet.vpcId) +
    element('ownerId', subnet.ownerId) +
    element('cidrBlock', subnet.cidrBlock) +
    element('availableIpAddressCount', freeAddresses) +
    element('availabilityZone', subnet.availabilityZone) +
    element('availabilityZoneId', findAvailabilityZone(subnet.region, subnet.availabilityZone)?.zoneId) +
    element('defaultForAz', subnet.defaultForAz) +
    element('mapPublicIpOnLaunch', mapsPublicIpOnLaunch(subnet)) +
    element('assignIpv6AddressOnCreation', assignsIpv6OnCreation(subnet)) +
    itemList('ipv6CidrBlockAssociationSet', (subnet.ipv6CidrBlockAssociations ?? []).map((a) => ipv6AssociationXml(a))) +
    element('enableDns64', false) +
    element('ipv6Native', false) +
    // EC2's launch DNS options of a new subnet (botocore `PrivateDnsNameOptionsOnLaunch`): IP-based
    // hostnames, no resource-name records. ModifySubnetAttribute here changes only
    // AssignIpv6AddressOnCreation and MapPublicIpOnLaunch, so they stay so. UNCONFIRMED that EC2
    // shows them for a default subnet too.
    '<privateDnsNameOptionsOnLaunch>' +
    element('hostnameType', 'ip-name') +
    element('enableResourceNameDnsARecord', false) +
    element('enableResourceNameDnsAAAARecord', false) +
    '</privateDnsNameOptionsOnLaunch>' +
    tagSetXml(subnet.tags, true)
  );
}

function free(subnet: Subnet, used: number): number {
  const prefix = Number(subnet.cidrBlock.split('/')[1]);
  // AWS reserves five addresses per subnet (private-address.ts).
  return 2 ** (32 - prefix) - 5 - used;
}

/** The answer of AssociateSubnetCidrBlock and DisassociateSubnetCidrBlock: the association, in its transient state. */
function cidrBlockChangeXml(change: SubnetCidrBlockChange, state: AssociationState): string {
  return `<ipv6CidrBlockAssociation>${ipv6AssociationXml(change.association, state)}</ipv6CidrBlockAssociation>` + element('subnetId', change.subnetId);
}

/** CreateSubnet (spec/api.md §5.13), with an optional IPv6 /64 from the VPC's block. */
export const createSubnetAction = ec2WriteAction(
  struct({
    ...common,
    VpcId: string,
    CidrBlock: string,
    Ipv6CidrBlock: string,
    Ipv6Native: boolean,
    AvailabilityZone: string,
    AvailabilityZoneId: string,
    TagSpecification: list(tagSpecificationShape),
  }),
  async ({ queue, context }, input) => {
    const subnet = await queue.submit(
      createSubnet(context, {
        ...(input.vpcId === undefined ? {} : { vpcId: input.vpcId }),
        ...(input.cidrBlock === undefined ? {} : { cidrBlock: input.cidrBlock }),
        ...(input.ipv6CidrBlock === undefined ? {} : { ipv6CidrBlock: input.ipv6CidrBlock }),
        ...(input.ipv6Native === undefined ? {} : { ipv6Native: input.ipv6Native }),
        ...(input.availabilityZone === undefined ? {} : { availabilityZone: input.availabilityZone }),
        ...(input.availabilityZoneId === undefined ? {} : { availabilityZoneId: input.availabilityZoneId }),
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
      }),
    );
    return `<subnet>${subnetXml(subnet, free(subnet, 0))}</subnet>`;
  },
);

/** DescribeSubnets (spec/api.md §5.13). */
export const describeSubnetsAction = ec2Action(
  struct({ ...common, ...paging, SubnetId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeSubnets(view, context, { subnetIds: input.subnetId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    return itemList('subnetSet', page.items.map((s) => subnetXml(s, free(s, view.addressesInUse(s.subnetId).size)))) + element('nextToken', page.nextToken);
  },
);

/** DeleteSubnet (spec/api.md §5.13). */
export const deleteSubnetAction = ec2WriteAction(struct({ ...common, SubnetId: string }), async ({ queue, context }, input) => {
  await queue.submit(deleteSubnet(context, input.subnetId));
  return element('return', true);
});

/** AssociateSubnetCidrBlock: one IPv6 /64 of the VPC's block; answered `associating`, as EC2 does. */
export const associateSubnetCidrBlockAction = ec2WriteAction(
  struct({ ...common, SubnetId: string, Ipv6CidrBlock: string }),
  async ({ queue, context }, input) => {
    const change = await queue.submit(
      associateSubnetCidrBlock(context, {
        ...(input.subnetId === undefined ? {} : { subnetId: input.subnetId }),
        ...(input.ipv6CidrBlock === undefined ? {} : { ipv6CidrBlock: input.ipv6CidrBlock }),
      }),
    );
    return cidrBlockChangeXml(change, 'associating');
  },
);

/** DisassociateSubnetCidrBlock: the subnet's IPv6 block; answered `disassociating`. */
export const disassociateSubnetCidrBlockAction = ec2WriteAction(struct({ ...common, AssociationId: string }), async ({ queue, context }, input) => {
  const change = await queue.submit(disassociateSubnetCidrBlock(context, input.associationId));
  return cidrBlockChangeXml(change, 'disassociating');
});

/** ModifySubnetAttribute: `AssignIpv6AddressOnCreation.Value` or `MapPublicIpOnLaunch.Value`, one per call. */
export const modifySubnetAttributeAction = ec2WriteAction(
  struct({
    ...common,
    SubnetId: string,
    AssignIpv6AddressOnCreation: struct({ Value: boolean }),
    MapPublicIpOnLaunch: struct({ Value: boolean }),
  }),
  async ({ queue, context }, input) => {
    await queue.submit(
      modifySubnetAttribute(context, input.subnetId, {
        ...(input.assignIpv6AddressOnCreation?.value === undefined ? {} : { assignIpv6AddressOnCreation: input.assignIpv6AddressOnCreation.value }),
        ...(input.mapPublicIpOnLaunch?.value === undefined ? {} : { mapPublicIpOnLaunch: input.mapPublicIpOnLaunch.value }),
      }),
    );
    return element('return', true);
  },
);
