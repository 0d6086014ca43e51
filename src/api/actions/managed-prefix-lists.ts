import type { ManagedPrefixList } from '../../domain/prefix-list.js';
import {
  createManagedPrefixList,
  deleteManagedPrefixList,
  describeManagedPrefixLists,
  describePrefixLists,
  getManagedPrefixListEntries,
} from '../../service/managed-prefix-lists.js';
import { ec2Action } from '../action.js';
import { integer, list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, escapeXml, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

function prefixListXml(list: ManagedPrefixList, state: string): string {
  const owner = list.ownerId === 'AWS' ? 'aws' : list.ownerId;
  return (
    element('prefixListId', list.prefixListId) +
    element('addressFamily', list.addressFamily) +
    element('state', state) +
    element('prefixListArn', `arn:aws:ec2:${list.region}:${owner}:prefix-list/${list.prefixListId}`) +
    element('prefixListName', list.prefixListName) +
    element('maxEntries', list.maxEntries) +
    element('version', list.version) +
    tagSetXml(list.tags, false) +
    element('ownerId', list.ownerId)
  );
}

/** CreateManagedPrefixList: a customer-managed list, usable as a rule peer (spec/semantics.md §4.3). */
export const createManagedPrefixListAction = ec2Action(
  struct({
    ...common,
    PrefixListName: string,
    Entry: list(struct({ Cidr: string, Description: string })),
    MaxEntries: integer,
    AddressFamily: string,
    TagSpecification: list(tagSpecificationShape),
    ClientToken: string,
  }),
  async ({ queue, context }, input) => {
    const created = await queue.submit(
      createManagedPrefixList(context, {
        ...(input.prefixListName === undefined ? {} : { prefixListName: input.prefixListName }),
        ...(input.maxEntries === undefined ? {} : { maxEntries: input.maxEntries }),
        ...(input.addressFamily === undefined ? {} : { addressFamily: input.addressFamily }),
        entries: input.entry,
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
        ...(input.clientToken === undefined ? {} : { clientToken: input.clientToken }),
      }),
    );
    return `<prefixList>${prefixListXml(created, 'create-complete')}</prefixList>`;
  },
);

/** DescribeManagedPrefixLists: AWS-managed lists and the caller's own. */
export const describeManagedPrefixListsAction = ec2Action(
  struct({ ...common, ...paging, PrefixListId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describeManagedPrefixLists(view, context, {
      prefixListIds: input.prefixListId,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    return itemList('prefixListSet', page.items.map((l) => prefixListXml(l, 'create-complete'))) + element('nextToken', page.nextToken);
  },
);

/** DeleteManagedPrefixList; refused while a rule references the list. */
export const deleteManagedPrefixListAction = ec2Action(struct({ ...common, PrefixListId: string }), async ({ queue, context }, input) => {
  const deleted = await queue.submit(deleteManagedPrefixList(context, input.prefixListId));
  return `<prefixList>${prefixListXml(deleted, 'delete-complete')}</prefixList>`;
});

/** GetManagedPrefixListEntries: a list's entries, paged (Terraform reads a list back with it). */
export const getManagedPrefixListEntriesAction = ec2Action(
  struct({ ...common, ...paging, PrefixListId: string, TargetVersion: integer }),
  ({ view, context }, input) => {
    const page = getManagedPrefixListEntries(view, context, {
      ...(input.prefixListId === undefined ? {} : { prefixListId: input.prefixListId }),
      ...(input.targetVersion === undefined ? {} : { targetVersion: input.targetVersion }),
      ...pageFromWire(input),
    });
    return (
      itemList('entrySet', page.items.map((e) => element('cidr', e.cidr) + element('description', e.description))) + element('nextToken', page.nextToken)
    );
  },
);

/** DescribePrefixLists: the AWS-managed lists of the region and their CIDRs. */
export const describePrefixListsAction = ec2Action(
  struct({ ...common, ...paging, PrefixListId: list(string), Filter: list(filterShape) }),
  ({ view, context }, input) => {
    const page = describePrefixLists(view, context, { prefixListIds: input.prefixListId, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    const item = (l: ManagedPrefixList) =>
      itemList('cidrSet', l.entries.map((e) => escapeXml(e.cidr))) + element('prefixListId', l.prefixListId) + element('prefixListName', l.prefixListName);
    return itemList('prefixListSet', page.items.map(item)) + element('nextToken', page.nextToken);
  },
);
