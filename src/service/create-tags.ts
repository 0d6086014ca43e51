import { missingParameter } from '../domain/ec2-errors.js';
import { mergeTags, validateTags, type Tag } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { RequestContext } from './request-context.js';
import { ownTaggedResource } from './tagged-resource.js';

/** Adds or overwrites tags on every named resource, all or nothing (spec/api.md §5.12). */
export function createTags(context: RequestContext, resourceIds: readonly string[], tags: readonly Tag[]): WriteOperation<void> {
  return (tx) => {
    if (resourceIds.length === 0) throw missingParameter('ResourceId');
    if (tags.length === 0) throw missingParameter('Tag');
    validateTags(tags);
    const updates = [...new Set(resourceIds)].map((id) => {
      const resource = ownTaggedResource(tx.view, context, id);
      return { resourceId: id, tags: mergeTags(resource.tags, tags) };
    });
    for (const u of updates) tx.emit(context.account.accountId, context.region, { kind: 'TagsSet', ...u });
  };
}
