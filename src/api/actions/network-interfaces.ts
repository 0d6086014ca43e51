import { modifyNetworkInterfaceAttribute } from '../../service/instance-attributes.js';
import { describeNetworkInterfaces } from '../../service/network-interfaces.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { boolean, list, string, struct } from '../query-shape.js';
import { networkInterfaceXml } from '../xml/network-interface-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging } from './shared-shapes.js';

/**
 * DescribeNetworkInterfaces: the primary interfaces of the caller's VPC instances
 * (service/network-interfaces.ts). `IncludeManagedResources` is accepted: there are no
 * interfaces that another service manages.
 */
export const describeNetworkInterfacesAction = ec2Action(
  struct({ ...common, ...paging, NetworkInterfaceId: list(string), Filter: list(filterShape), IncludeManagedResources: boolean }),
  ({ view, context }, input) => {
    const page = describeNetworkInterfaces(view, context, {
      networkInterfaceIds: input.networkInterfaceId,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    return itemList('networkInterfaceSet', page.items.map((i) => networkInterfaceXml(view, i))) + element('nextToken', page.nextToken);
  },
);

/**
 * ModifyNetworkInterfaceAttribute on an instance's primary interface: `SecurityGroupId.N` (the
 * instance's groups; Terraform's aws_instance changes `vpc_security_group_ids` this way) or
 * `SourceDestCheck.Value` (service/instance-attributes.ts).
 */
export const modifyNetworkInterfaceAttributeAction = ec2WriteAction(
  struct({ ...common, NetworkInterfaceId: string, SecurityGroupId: list(string), SourceDestCheck: struct({ Value: boolean }) }),
  async ({ queue, context }, input) => {
    await queue.submit(
      modifyNetworkInterfaceAttribute(context, {
        networkInterfaceId: input.networkInterfaceId,
        groupIds: input.securityGroupId,
        sourceDestCheck: input.sourceDestCheck?.value,
      }),
    );
    return element('return', true);
  },
);
