import { invalidId } from '../domain/ec2-errors.js';
import { kindOfResourceId, RESOURCE_KINDS, taggedResourceOf, type TaggedResource } from '../state/resource-kind.js';
import type { DocumentKind } from '../state/document-kind.js';
import type { ReadView } from '../state/view.js';
import type { RequestContext } from './request-context.js';

/**
 * The order of DescribeTags' answer: kind by kind, each in creation order, a group's rules right
 * after their group (so `rule` is not listed on its own). VPCs, groups and prefix lists keep the
 * order they had before subnets and instances carried tags here; subnets follow the VPCs they
 * belong to, then instances, then the VPCs' route tables and network ACLs (issue 13). Every kind with tagging in RESOURCE_KINDS must appear
 * (tagged-resource.test.ts checks it).
 */
const DESCRIBE_TAGS_ORDER: readonly DocumentKind[] = ['vpc', 'subnet', 'group', 'prefixList', 'instance', 'routeTable', 'networkAcl'];

/**
 * Finds one of the caller's taggable resources by ID (spec/api.md §5.12): an ID with the prefix of
 * a taggable kind (RESOURCE_KINDS) that is unknown, or not the caller's in the region → that kind's
 * NotFound error (`InvalidGroup.NotFound`, `InvalidInstanceID.NotFound` …); any other ID →
 * InvalidID (UNCONFIRMED).
 */
export function ownTaggedResource(view: ReadView, context: RequestContext, resourceId: string): TaggedResource {
  const kind = kindOfResourceId(resourceId);
  const tagging = kind === undefined ? undefined : RESOURCE_KINDS[kind].tagging;
  if (tagging === undefined) throw invalidId(resourceId);
  const resource = view.taggedResource(resourceId);
  if (resource === undefined || !isOwn(resource, context)) throw tagging.notFound(resourceId);
  return resource;
}

/** Every taggable resource of the caller in the region, in DescribeTags order (DESCRIBE_TAGS_ORDER). */
export function* ownTaggedResources(view: ReadView, context: RequestContext): Iterable<TaggedResource> {
  for (const kind of DESCRIBE_TAGS_ORDER)
    for (const resource of view.taggedResources(kind)) {
      if (!isOwn(resource, context)) continue;
      yield resource;
      if (kind === 'group')
        for (const rule of view.rulesOf(resource.resourceId)) {
          const tagged = taggedResourceOf('rule', rule);
          if (tagged !== undefined) yield tagged;
        }
    }
}

function isOwn(resource: TaggedResource, context: RequestContext): boolean {
  return resource.ownerId === context.account.accountId && resource.region === context.region;
}
