import type { Direction } from '../../domain/rule.js';
import { updateSecurityGroupRuleDescriptions } from '../../service/update-security-group-rule-descriptions.js';
import { ec2WriteAction } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { common, ipPermissionShape } from './shared-shapes.js';

// Both directions take GroupId or GroupName: spec/api.md §5.10 says egress takes GroupId only, which
// is wrong (issue 13: an independent suite run against AWS names a default-VPC group for egress;
// the botocore model gives both actions GroupName).
const shape = struct({
  ...common,
  GroupId: string,
  GroupName: string,
  IpPermissions: list(ipPermissionShape),
  SecurityGroupRuleDescription: list(struct({ SecurityGroupRuleId: string, Description: string })),
});

function updateDescriptionsAction(direction: Direction) {
  return ec2WriteAction(shape, async ({ queue, context }, input) => {
    const { groupName } = input;
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
