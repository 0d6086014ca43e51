import { findAvailabilityZone } from '../../domain/availability-zone.js';
import type { Subnet } from '../../domain/subnet.js';
import { createSubnet, deleteSubnet, describeSubnets } from '../../service/subnets.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

function subnetXml(subnet: Subnet, freeAddresses: number): string {
  return (
    element('subnetId', subnet.subnetId) +
    element('state', 'available') +
    element('vpcId', subnet.vpcId) +
    element('ownerId', subnet.ownerId) +
    element('cidrBlock', subnet.cidrBlock) +
    element('availableIpAddressCount', freeAddresses) +
    element('availabilityZone', subnet.availabilityZone) +
    element('availabilityZoneId', findAvailabilityZone(subnet.region, subnet.availabilityZone)?.zoneId) +
    element('defaultForAz', subnet.defaultForAz) +
    element('mapPublicIpOnLaunch', subnet.defaultForAz) +
    tagSetXml(subnet.tags, true)
  );
}

function free(subnet: Subnet, used: number): number {
  const prefix = Number(subnet.cidrBlock.split('/')[1]);
  // AWS reserves five addresses per subnet (private-address.ts).
  return 2 ** (32 - prefix) - 5 - used;
}

/** CreateSubnet (spec/api.md §5.13). */
export const createSubnetAction = ec2Action(
  struct({ ...common, VpcId: string, CidrBlock: string, AvailabilityZone: string, AvailabilityZoneId: string, TagSpecification: list(tagSpecificationShape) }),
  async ({ queue, context }, input) => {
    const subnet = await queue.submit(
      createSubnet(context, {
        ...(input.vpcId === undefined ? {} : { vpcId: input.vpcId }),
        ...(input.cidrBlock === undefined ? {} : { cidrBlock: input.cidrBlock }),
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
export const deleteSubnetAction = ec2Action(struct({ ...common, SubnetId: string }), async ({ queue, context }, input) => {
  await queue.submit(deleteSubnet(context, input.subnetId));
  return element('return', true);
});
