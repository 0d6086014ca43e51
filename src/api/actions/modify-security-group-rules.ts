import { modifySecurityGroupRules } from '../../service/modify-security-group-rules.js';
import { ec2WriteAction } from '../action.js';
import { integer, list, string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { common } from './shared-shapes.js';

const ruleShape = struct({
  SecurityGroupRuleId: string,
  SecurityGroupRule: struct({
    IpProtocol: string,
    FromPort: integer,
    ToPort: integer,
    CidrIpv4: string,
    CidrIpv6: string,
    PrefixListId: string,
    ReferencedGroupId: string,
    Description: string,
  }),
});

/** ModifySecurityGroupRules (spec/api.md §5.9). */
export const modifySecurityGroupRulesAction = ec2WriteAction(
  struct({ ...common, GroupId: string, SecurityGroupRule: list(ruleShape) }),
  async ({ queue, context }, input) => {
    await queue.submit(
      modifySecurityGroupRules(
        context,
        input.groupId,
        input.securityGroupRule.map((r) => ({
          ...(r.securityGroupRuleId === undefined ? {} : { securityGroupRuleId: r.securityGroupRuleId }),
          ...(r.securityGroupRule ?? {}),
        })),
      ),
    );
    return element('return', true);
  },
);
