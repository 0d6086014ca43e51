import {
  invalidRuleDescription,
  missingParameter,
  parametersCannotBeCombined,
  permissionNotFound,
  ruleIdMalformed,
  ruleIdNotFound,
  vpcGroupsOnly,
} from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { IpPermissionRequest } from '../domain/ip-permission.js';
import { ruleIdentityKey } from '../domain/rule-identity.js';
import type { Direction, SecurityGroupRule } from '../domain/rule.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { rulesFromPermissions } from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { resolveTargetGroup, type GroupReference } from './target-group.js';

/** UpdateSecurityGroupRuleDescriptions{Ingress,Egress}' parameters. */
export interface UpdateRuleDescriptionsRequest {
  readonly group: GroupReference;
  readonly ipPermissions: readonly IpPermissionRequest[];
  readonly securityGroupRuleDescriptions: readonly { readonly securityGroupRuleId?: string; readonly description?: string }[];
}

// Same set as permission descriptions (spec/semantics.md §5).
const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;

/**
 * Sets (or, when an item has none, removes) rule descriptions, located by identity or by rule ID
 * (spec/api.md §5.10), in a group named by ID or by name in either direction. Any miss changes
 * nothing.
 */
export function updateSecurityGroupRuleDescriptions(
  context: RequestContext,
  direction: Direction,
  request: UpdateRuleDescriptionsRequest,
): WriteOperation<void> {
  return (tx) => {
    const { view } = tx;
    // Egress takes GroupName too, resolved like ingress's (a default-VPC group in vpc-only
    // accounts): spec/api.md §5.10's "egress: GroupId only" is wrong (issue 13, field).
    const group = resolveTargetGroup(view, context, request.group, 'groupName or groupId');
    if (direction === 'egress' && group.vpcId === undefined) throw vpcGroupsOnly();
    const byId = request.securityGroupRuleDescriptions;
    if (byId.length > 0 && request.ipPermissions.length > 0)
      throw parametersCannotBeCombined('SecurityGroupRuleDescription', 'IpPermissions');
    // UNCONFIRMED wording when neither form is given (spec/api.md §5.10).
    if (byId.length === 0 && request.ipPermissions.length === 0) throw missingParameter('IpPermissions');
    const updated: SecurityGroupRule[] = [];
    for (const item of byId) {
      const ruleId = item.securityGroupRuleId;
      if (ruleId === undefined) throw missingParameter('SecurityGroupRuleId');
      if (!isResourceId('sgr', ruleId)) throw ruleIdMalformed(ruleId);
      const rule = view.rules.get(ruleId);
      if (rule === undefined || rule.groupId !== group.groupId || rule.direction !== direction) throw ruleIdNotFound(ruleId);
      if (item.description !== undefined && !DESCRIPTION.test(item.description)) throw invalidRuleDescription();
      updated.push(withDescription(rule, item.description));
    }
    if (request.ipPermissions.length > 0) {
      for (const draft of rulesFromPermissions(view, context, group, direction, request.ipPermissions)) {
        const ruleId = view.ruleIdByIdentity(group.groupId, ruleIdentityKey(draft));
        const rule = ruleId === undefined ? undefined : view.rules.get(ruleId);
        if (rule === undefined) throw permissionNotFound();
        updated.push(withDescription(rule, draft.description));
      }
    }
    tx.emit(group.ownerId, group.region, { kind: 'RulesModified', groupId: group.groupId, rules: updated });
  };
}

function withDescription(rule: SecurityGroupRule, description: string | undefined): SecurityGroupRule {
  const { description: _old, ...rest } = rule;
  return description === undefined ? rest : { ...rest, description };
}
