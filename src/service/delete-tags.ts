import { missingParameter } from '../domain/ec2-errors.js';
import { removeTags } from '../domain/tag.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { RequestContext } from './request-context.js';
import { ownTaggedResource } from './tagged-resource.js';

/**
 * Removes tags (spec/api.md §5.12): a key alone removes it whatever its value; key and value only
 * on a match; no tags at all removes every tag. Missing tags are ignored.
 */
export function deleteTags(
  context: RequestContext,
  resourceIds: readonly string[],
  tags: readonly { readonly key: string; readonly value?: string }[] | undefined,
): WriteOperation<void> {
  return (tx) => {
    if (resourceIds.length === 0) throw missingParameter('ResourceId');
    const updates = [...new Set(resourceIds)].map((id) => {
      const resource = ownTaggedResource(tx.view, context, id);
      return { resourceId: id, before: resource.tags, after: removeTags(resource.tags, tags) };
    });
    for (const u of updates)
      if (u.after.length !== u.before.length)
        tx.emit(context.account.accountId, context.region, { kind: 'TagsSet', resourceId: u.resourceId, tags: u.after });
  };
}
