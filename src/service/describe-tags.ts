import type { TaggedResourceType } from '../state/resource-kind.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';
import { ownTaggedResources } from './tagged-resource.js';

/** One row of DescribeTags: a tag on a resource. */
export interface TagDescription {
  readonly resourceId: string;
  readonly resourceType: TaggedResourceType;
  readonly key: string;
  readonly value: string;
}

/** Lists the caller's tags, filtered by key, value, resource-id and resource-type (spec/api.md §5.12). */
export function describeTags(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly filters: readonly Filter[] },
): Page<TagDescription> {
  let rows: TagDescription[] = [];
  for (const resource of ownTaggedResources(view, context))
    for (const tag of resource.tags) rows.push({ resourceId: resource.resourceId, resourceType: resource.resourceType, ...tag });
  if (request.filters.length > 0) {
    const matches = compileFilters<TagDescription>(
      request.filters,
      {
        key: (t) => [t.key],
        value: (t) => [t.value],
        'resource-id': (t) => [t.resourceId],
        'resource-type': (t) => [t.resourceType],
      },
      (t) => [{ key: t.key, value: t.value }],
    );
    rows = rows.filter(matches);
  }
  return paginate(rows, request, { f: request.filters });
}
