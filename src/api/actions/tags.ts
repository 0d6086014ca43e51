import { createTags } from '../../service/create-tags.js';
import { deleteTags } from '../../service/delete-tags.js';
import { describeTags } from '../../service/describe-tags.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagShape, tagsFromWire } from './shared-shapes.js';

/** CreateTags (spec/api.md §5.12). */
export const createTagsAction = ec2WriteAction(
  struct({ ...common, ResourceId: list(string), Tag: list(tagShape) }),
  async ({ queue, context }, input) => {
    await queue.submit(createTags(context, input.resourceId, tagsFromWire(input.tag)));
    return element('return', true);
  },
);

/** DeleteTags (spec/api.md §5.12): a tag without Value removes the key whatever its value. */
export const deleteTagsAction = ec2WriteAction(
  struct({ ...common, ResourceId: list(string), Tag: list(tagShape) }),
  async ({ queue, context }, input) => {
    const tags =
      input.tag.length === 0
        ? undefined
        : input.tag.map((t) => ({ key: t.key ?? '', ...(t.value === undefined ? {} : { value: t.value }) }));
    await queue.submit(deleteTags(context, input.resourceId, tags));
    return element('return', true);
  },
);

/** DescribeTags (spec/api.md §5.12). */
export const describeTagsAction = ec2Action(struct({ ...common, ...paging, Filter: list(filterShape) }), ({ view, context }, input) => {
  const page = describeTags(view, context, { filters: filtersFromWire(input.filter), ...pageFromWire(input) });
  return (
    itemList(
      'tagSet',
      page.items.map((t) => element('resourceId', t.resourceId) + element('resourceType', t.resourceType) + element('key', t.key) + element('value', t.value)),
    ) + element('nextToken', page.nextToken)
  );
});
