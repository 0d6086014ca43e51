import type { Direction } from '../../domain/rule.js';
import { updateSecurityGroupRuleDescriptions } from '../../service/update-security-group-rule-descriptions.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { common, ipPermissionShape } from './shared-shapes.js';

const egressMembers = {
  ...common,
  GroupId: string,
  IpPermissions: list(ipPermissionShape),
  SecurityGroupRuleDescription: list(struct({ SecurityGroupRuleId: string, Description: string })),
};
// Egress takes GroupId only (spec/api.md §5.10).
const shapes = { ingress: struct({ ...egressMembers, GroupName: string }), egress: struct(egressMembers) };

function updateDescriptionsAction(direction: Direction) {
  return ec2Action(shapes[direction], async ({ queue, context }, input) => {
    const groupName = 'groupName' in input && typeof input.groupName === 'string' ? input.groupName : undefined;
    await queue.submit(
      updateSecurityGroupRuleDescriptions(context, direction, {
        group: {
          ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
          ...(groupName === undefined ? {} : { groupName }),
        },
        ipPermissions: input.ipPermissions,
        securityGroupRuleDescriptions: input.securityGroupRuleDescription,
      }),
    );
    return element('return', true);
  });
}

/** UpdateSecurityGroupRuleDescriptionsIngress (spec/api.md §5.10). */
export const updateSecurityGroupRuleDescriptionsIngressAction = updateDescriptionsAction('ingress');
/** UpdateSecurityGroupRuleDescriptionsEgress (spec/api.md §5.10). */
export const updateSecurityGroupRuleDescriptionsEgressAction = updateDescriptionsAction('egress');
