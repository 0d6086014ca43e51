import {
  cannotDeleteDefault,
  dependencyViolation,
  groupInUseByGroups,
  groupInUseByInstances,
  groupReserved,
} from '../domain/ec2-errors.js';
import { isDefaultGroup, type SecurityGroup } from '../domain/security-group.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { RequestContext } from './request-context.js';
import { resolveTargetGroup, type GroupReference } from './target-group.js';

/**
 * Deletes a group with its rules and tags (spec/api.md §5.2), refusing in the order of
 * spec/semantics.md §7: default group, groups held by an instance, groups referenced by another
 * group's rule.
 */
export function deleteSecurityGroup(context: RequestContext, reference: GroupReference): WriteOperation<SecurityGroup> {
  return (tx) => {
    const { view } = tx;
    const group = resolveTargetGroup(view, context, reference, 'groupName or groupId');
    const classic = group.vpcId === undefined;
    if (isDefaultGroup(group)) throw classic ? groupReserved() : cannotDeleteDefault(group.groupId);
    if (view.hasMembers(group.groupId)) throw classic ? groupInUseByInstances(group.groupName) : dependencyViolation(group.groupId);
    // Self-references do not count (spec/semantics.md §7).
    for (const rule of view.rulesReferencing(group.groupId)) {
      if (rule.groupId !== group.groupId) throw classic ? groupInUseByGroups(group.groupId) : dependencyViolation(group.groupId);
    }
    tx.emit(group.ownerId, group.region, { kind: 'SecurityGroupDeleted', groupId: group.groupId });
    return group;
  };
}
