import { groupIdFilterMalformed, ruleIdMalformed, ruleIdNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/** DescribeSecurityGroupRules' parameters. */
export interface DescribeSecurityGroupRulesRequest extends PageRequest {
  readonly securityGroupRuleIds: readonly string[];
  readonly filters: readonly Filter[];
}

/**
 * Lists the caller's atomic rules, both directions, unmerged (spec/api.md §5.8). Every listed ID
 * must exist; a `group-id` filter value that is no group ID (empty too, wildcards aside) is
 * InvalidGroupId.Malformed "The security group ID '<value>' is malformed" (issue 13, field).
 */
export function describeSecurityGroupRules(
  view: ReadView,
  context: RequestContext,
  request: DescribeSecurityGroupRulesRequest,
): Page<SecurityGroupRule> {
  const own = (r: SecurityGroupRule | undefined): r is SecurityGroupRule =>
    r !== undefined && r.groupOwnerId === context.account.accountId && r.region === context.region;
  let rules: SecurityGroupRule[];
  if (request.securityGroupRuleIds.length > 0) {
    rules = [];
    for (const id of request.securityGroupRuleIds) {
      if (!isResourceId('sgr', id)) throw ruleIdMalformed(id);
      const rule = view.rules.get(id);
      if (!own(rule)) throw ruleIdNotFound(id);
      if (!rules.includes(rule)) rules.push(rule);
    }
  } else {
    rules = [];
    for (const group of view.groupsInRegion(context.account.accountId, context.region)) rules.push(...view.rulesOf(group.groupId));
  }
  for (const f of request.filters)
    if (f.name === 'group-id') for (const v of f.values) if (!isResourceId('sg', v) && !/[*?]/.test(v)) throw groupIdFilterMalformed(v);
  if (request.filters.length > 0) {
    const matches = compileFilters<SecurityGroupRule>(
      request.filters,
      { 'group-id': (r) => [r.groupId], 'security-group-rule-id': (r) => [r.ruleId] },
      (r) => r.tags,
    );
    rules = rules.filter(matches);
  }
  rules.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(rules, request, { f: request.filters, i: request.securityGroupRuleIds });
}
