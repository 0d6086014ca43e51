import { groupIdNotFound, invalidId, prefixListNotFound, ruleIdNotFound, vpcNotFound } from '../domain/ec2-errors.js';
import type { Tag } from '../domain/tag.js';
import type { View } from '../state/view.js';
import type { RequestContext } from './request-context.js';

/** Resource types that carry tags here, as DescribeTags names them (spec/api.md §5.12). */
export type TaggedResourceType = 'security-group' | 'security-group-rule' | 'vpc' | 'prefix-list';

/** A taggable resource of the caller: its ID, type and current tags. */
export interface TaggedResource {
  readonly resourceId: string;
  readonly resourceType: TaggedResourceType;
  readonly tags: readonly Tag[];
}

/**
 * Finds one of the caller's taggable resources by ID (spec/api.md §5.12): unknown group, rule, VPC
 * or prefix list → its NotFound error; any other prefix → InvalidID (UNCONFIRMED).
 */
export function ownTaggedResource(view: View, context: RequestContext, resourceId: string): TaggedResource {
  const { accountId } = context.account;
  const here = (owner: string, region: string) => owner === accountId && region === context.region;
  if (resourceId.startsWith('sgr-')) {
    const rule = view.rules.get(resourceId);
    if (rule === undefined || !here(rule.groupOwnerId, rule.region)) throw ruleIdNotFound(resourceId);
    return { resourceId, resourceType: 'security-group-rule', tags: rule.tags };
  }
  if (resourceId.startsWith('sg-')) {
    const group = view.groups.get(resourceId);
    if (group === undefined || !here(group.ownerId, group.region)) throw groupIdNotFound(resourceId);
    return { resourceId, resourceType: 'security-group', tags: group.tags };
  }
  if (resourceId.startsWith('vpc-')) {
    const vpc = view.vpcs.get(resourceId);
    if (vpc === undefined || !here(vpc.ownerId, vpc.region)) throw vpcNotFound(resourceId);
    return { resourceId, resourceType: 'vpc', tags: vpc.tags };
  }
  if (resourceId.startsWith('pl-')) {
    const list = view.prefixLists.get(resourceId);
    if (list === undefined || !here(list.ownerId, list.region)) throw prefixListNotFound(resourceId);
    return { resourceId, resourceType: 'prefix-list', tags: list.tags };
  }
  throw invalidId(resourceId);
}

/** Every taggable resource of the caller in the region, in creation order. */
export function* ownTaggedResources(view: View, context: RequestContext): Iterable<TaggedResource> {
  const { accountId } = context.account;
  for (const vpc of view.vpcs.values())
    if (vpc.ownerId === accountId && vpc.region === context.region) yield { resourceId: vpc.vpcId, resourceType: 'vpc', tags: vpc.tags };
  for (const group of view.groupsInRegion(accountId, context.region)) {
    yield { resourceId: group.groupId, resourceType: 'security-group', tags: group.tags };
    for (const rule of view.rulesOf(group.groupId))
      yield { resourceId: rule.ruleId, resourceType: 'security-group-rule', tags: rule.tags };
  }
  for (const list of view.prefixLists.values())
    if (list.ownerId === accountId && list.region === context.region)
      yield { resourceId: list.prefixListId, resourceType: 'prefix-list', tags: list.tags };
}
