import { securityGroupArn } from '../../domain/ids.js';
import { createSecurityGroup } from '../../service/create-security-group.js';
import { ec2WriteAction } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { common, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/** CreateSecurityGroup (spec/api.md §5.1). Legacy responses: `return` and `groupId` only. */
export const createSecurityGroupAction = ec2WriteAction(
  struct({ ...common, GroupName: string, GroupDescription: string, VpcId: string, TagSpecification: list(tagSpecificationShape) }),
  async ({ queue, context, version }, input) => {
    const group = await queue.submit(
      createSecurityGroup(context, {
        ...(input.groupName === undefined ? {} : { groupName: input.groupName }),
        ...(input.groupDescription === undefined ? {} : { description: input.groupDescription }),
        ...(input.vpcId === undefined ? {} : { vpcId: input.vpcId }),
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
      }),
    );
    const modern = version.isModern
      ? tagSetXml(group.tags, true) + element('securityGroupArn', securityGroupArn(group.region, group.ownerId, group.groupId))
      : '';
    return element('return', true) + element('groupId', group.groupId) + modern;
  },
);
