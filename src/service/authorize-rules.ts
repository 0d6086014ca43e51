import { missingParameter, permissionDuplicate, vpcGroupsOnly } from '../domain/ec2-errors.js';
import type { IpPermissionRequest } from '../domain/ip-permission.js';
import { checkRuleQuota } from '../domain/quota.js';
import { duplicateRuleText, ruleIdentityKey } from '../domain/rule-identity.js';
import type { Direction, SecurityGroupRule } from '../domain/rule.js';
import { validateTags } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { newRule } from './new-resources.js';
import {
  permissionsWithFlatForm,
  platformOf,
  rulesFromPermissions,
  tagsFromSpecifications,
  type FlatPermission,
  type TagSpecification,
} from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { resolveTargetGroup, type GroupReference } from './target-group.js';

/** What Authorize{Ingress,Egress} takes once decoded. */
export interface AuthorizeRequest {
  readonly group: GroupReference;
  readonly ipPermissions: readonly IpPermissionRequest[];
  readonly flat: FlatPermission;
  readonly tagSpecifications: readonly TagSpecification[];
}

/** What it returns: the new rules, in request order. */
export interface AuthorizeResult {
  readonly rules: readonly SecurityGroupRule[];
}

/**
 * Adds rules to a group, all or nothing, checking in EC2's order (spec/api.md §5.4, §5.5): target,
 * permissions, peers, duplicates inside the request and against stored rules, quota; then one
 * `RulesAuthorized` change. Throws every Ec2Error that spec/errors.md §4 lists for Authorize*.
 */
export function authorizeRules(
  context: RequestContext,
  direction: Direction,
  request: AuthorizeRequest,
): WriteOperation<AuthorizeResult> {
  return (tx) => {
    const { view } = tx;
    // Egress takes GroupId only; the legacy CLI sends none for names (spec/api.md §5.5, observed-cli).
    if (direction === 'egress' && request.group.groupId === undefined) throw missingParameter('groupId');
    const group = resolveTargetGroup(view, context, request.group, 'groupName or groupId');
    if (direction === 'egress' && group.vpcId === undefined) throw vpcGroupsOnly();
    const permissions = permissionsWithFlatForm(request.ipPermissions, request.flat);
    const drafts = rulesFromPermissions(view, context, group, direction, permissions);
    for (const draft of drafts) {
      if (view.ruleIdByIdentity(group.groupId, ruleIdentityKey(draft)) !== undefined)
        throw permissionDuplicate(duplicateRuleText(draft));
    }
    checkRuleQuota(context.quotas, platformOf(group), view.rulesOf(group.groupId), drafts, (id) => view.prefixList(id)?.maxEntries ?? 1);
    const tags = tagsFromSpecifications(request.tagSpecifications, 'security-group-rule');
    validateTags(tags);
    const rules = drafts.map((draft) => newRule(tx, group, draft, tags));
    tx.emit(group.ownerId, group.region, { kind: 'RulesAuthorized', groupId: group.groupId, rules });
    return { rules };
  };
}
