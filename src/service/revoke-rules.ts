import {
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
import type { Direction, RuleDraft, SecurityGroupRule } from '../domain/rule.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { permissionsWithFlatForm, rulesFromPermissions, type FlatPermission } from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { defaultVpcIdOf, resolveTargetGroup, type GroupReference } from './target-group.js';

/** What Revoke{Ingress,Egress} takes once decoded. */
export interface RevokeRequest {
  readonly group: GroupReference;
  readonly ipPermissions: readonly IpPermissionRequest[];
  readonly flat: FlatPermission;
  readonly securityGroupRuleIds: readonly string[];
}

/** The rules removed, and the requested rules that did not exist (Classic and default VPC only). */
export interface RevokeResult {
  readonly revoked: readonly SecurityGroupRule[];
  readonly unknown: readonly RuleDraft[];
}

/**
 * Removes rules by ID or by properties (spec/api.md §5.6, §5.7). By ID every ID must be a rule of
 * this group and direction; by properties, an unknown rule is an error in a non-default VPC and is
 * reported in `unknown` elsewhere. Nothing is removed when anything fails.
 */
export function revokeRules(context: RequestContext, direction: Direction, request: RevokeRequest): WriteOperation<RevokeResult> {
  return (tx) => {
    const { view } = tx;
    if (direction === 'egress' && request.group.groupId === undefined) throw missingParameter('groupId');
    const group = resolveTargetGroup(view, context, request.group, 'groupName or groupId');
    if (direction === 'egress' && group.vpcId === undefined) throw vpcGroupsOnly();
    const revoked: SecurityGroupRule[] = [];
    const unknown: RuleDraft[] = [];
    if (request.securityGroupRuleIds.length > 0) {
      // UNCONFIRMED: rule IDs and permissions together (spec/api.md §5.6).
      if (request.ipPermissions.length > 0) throw parametersCannotBeCombined('SecurityGroupRuleId', 'IpPermissions');
      for (const ruleId of request.securityGroupRuleIds) {
        if (!isResourceId('sgr', ruleId)) throw ruleIdMalformed(ruleId);
        const rule = view.rules.get(ruleId);
        if (rule === undefined || rule.groupId !== group.groupId || rule.direction !== direction) throw ruleIdNotFound(ruleId);
        if (!revoked.includes(rule)) revoked.push(rule);
      }
    } else {
      const permissions = permissionsWithFlatForm(request.ipPermissions, request.flat);
      for (const draft of rulesFromPermissions(view, context, group, direction, permissions)) {
        const ruleId = view.ruleIdByIdentity(group.groupId, ruleIdentityKey(draft));
        const rule = ruleId === undefined ? undefined : view.rules.get(ruleId);
        if (rule === undefined) unknown.push(draft);
        else revoked.push(rule);
      }
      // Unknown rules fail only in a non-default VPC (spec/api.md §5.6, model + field).
      const lenient = group.vpcId === undefined || group.vpcId === defaultVpcIdOf(view, context);
      if (unknown.length > 0 && !lenient) throw permissionNotFound();
    }
    if (revoked.length > 0)
      tx.emit(group.ownerId, group.region, {
        kind: 'RulesRevoked',
        groupId: group.groupId,
        ruleIds: revoked.map((r) => r.ruleId),
      });
    return { revoked, unknown };
  };
}
