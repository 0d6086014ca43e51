import { describeSecurityGroupRules } from '../../service/describe-security-group-rules.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { securityGroupRuleXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging } from './shared-shapes.js';

/** DescribeSecurityGroupRules (spec/api.md §5.8): atomic rules, unmerged. */
export const describeSecurityGroupRulesAction = ec2Action(
  struct({ ...common, ...paging, SecurityGroupRuleId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeSecurityGroupRules(view, context, {
      securityGroupRuleIds: input.securityGroupRuleId,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    return itemList('securityGroupRuleSet', page.items.map(securityGroupRuleXml)) + element('nextToken', page.nextToken);
  },
);
