import {
  groupIdMalformed,
  groupIdNotFound,
  groupNameNotFound,
  groupNameNotFoundInDefaultVpc,
  missingParameter,
  vpcGroupByName,
} from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { SecurityGroup } from '../domain/security-group.js';
import type { ReadView } from '../state/view.js';
import type { RequestContext } from './request-context.js';

/** How a request names the group it acts on. */
export interface GroupReference {
  readonly groupId?: string;
  readonly groupName?: string;
}

/**
 * Resolves the caller's target group (spec/api.md §4): by ID among all the caller's groups in the
 * region, else by name in the name scope (Classic groups, or the default VPC). `GroupId` wins when
 * both are given (UNCONFIRMED, spec/api.md §4 step 2). Throws MissingParameter (naming
 * `missingName`), InvalidGroupId.Malformed, InvalidGroup.NotFound or InvalidParameterValue.
 */
export function resolveTargetGroup(
  view: ReadView,
  context: RequestContext,
  reference: GroupReference,
  missingName: string,
): SecurityGroup {
  const { groupId, groupName } = reference;
  if (groupId !== undefined) return ownGroupById(view, context, groupId);
  if (groupName === undefined) throw missingParameter(missingName);
  return ownGroupByName(view, context, groupName);
}

/** Returns the caller's group with this ID in the request's region. Throws Malformed / NotFound. */
export function ownGroupById(view: ReadView, context: RequestContext, groupId: string): SecurityGroup {
  if (!isResourceId('sg', groupId)) throw groupIdMalformed(groupId);
  const group = view.groups.get(groupId);
  if (group === undefined || group.ownerId !== context.account.accountId || group.region !== context.region)
    throw groupIdNotFound(groupId);
  return group;
}

/**
 * Returns the caller's group with this name in the name scope (spec/api.md §4 step 3): Classic
 * groups for classic accounts, the default VPC for vpc-only ones; case-insensitive (UNCONFIRMED).
 */
export function ownGroupByName(view: ReadView, context: RequestContext, groupName: string): SecurityGroup {
  const { accountId } = context.account;
  if (context.account.platform === 'classic') {
    const group = view.groupByName(accountId, context.region, undefined, groupName);
    if (group !== undefined) return group;
    // A VPC group of that name exists: AWS says VPC groups cannot be named (spec/api.md §4, field).
    for (const g of view.groupsInRegion(accountId, context.region))
      if (g.vpcId !== undefined && g.groupName.toLowerCase() === groupName.toLowerCase()) throw vpcGroupByName(groupName);
    throw groupNameNotFound(groupName);
  }
  const defaultVpcId = view.regionState(accountId, context.region)?.defaultVpcId;
  const group =
    defaultVpcId === undefined ? undefined : view.groupByName(accountId, context.region, defaultVpcId, groupName);
  if (group === undefined) throw groupNameNotFoundInDefaultVpc(groupName, defaultVpcId ?? 'none');
  return group;
}

/** The default VPC of the caller in the request's region, if it has one. */
export function defaultVpcIdOf(view: ReadView, context: RequestContext): string | undefined {
  return view.regionState(context.account.accountId, context.region)?.defaultVpcId;
}
