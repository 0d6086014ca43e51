import { prefixListStateOf, type ManagedPrefixList } from '../../domain/prefix-list.js';
import {
  createManagedPrefixList,
  deleteManagedPrefixList,
  describeManagedPrefixLists,
  describePrefixLists,
  getManagedPrefixListAssociations,
  getManagedPrefixListEntries,
  modifyManagedPrefixList,
} from '../../service/managed-prefix-lists.js';
import { ec2Action, ec2WriteAction } from '../action.js';
import { boolean, integer, list, string, struct } from '../query-shape.js';
import { tagSetXml } from '../xml/security-group-xml.js';
import { element, escapeXml, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/**
 * A `ManagedPrefixList` body. `state` is the list's own (domain/prefix-list.ts) unless the answer
 * of a write action says its operation is still in progress, as EC2's do.
 */
function prefixListXml(list: ManagedPrefixList, state: string = prefixListStateOf(list)): string {
  const owner = list.ownerId === 'AWS' ? 'aws' : list.ownerId;
  return (
    element('prefixListId', list.prefixListId) +
    element('addressFamily', list.addressFamily) +
    element('state', state) +
    element('stateMessage', list.stateMessage) +
    element('prefixListArn', `arn:aws:ec2:${list.region}:${owner}:prefix-list/${list.prefixListId}`) +
    element('prefixListName', list.prefixListName) +
    element('maxEntries', list.maxEntries) +
    element('version', list.version) +
    tagSetXml(list.tags, false) +
    element('ownerId', list.ownerId)
  );
}

/** CreateManagedPrefixList: a customer-managed list, usable as a rule peer (spec/semantics.md §4.3). */
export const createManagedPrefixListAction = ec2WriteAction(
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
  ({ view, context, clock }, input) => {
    const page = describeManagedPrefixLists(
      view,
      context,
      { prefixListIds: input.prefixListId, filters: filtersFromWire(input.filter), ...pageFromWire(input) },
      clock(),
    );
    return itemList('prefixListSet', page.items.map((l) => prefixListXml(l))) + element('nextToken', page.nextToken);
  },
);

/**
 * DeleteManagedPrefixList: accepted, answered `delete-in-progress` as EC2 answers; a list that
 * rules still reference ends `delete-failed` (service/managed-prefix-lists.ts).
 */
export const deleteManagedPrefixListAction = ec2WriteAction(struct({ ...common, PrefixListId: string }), async ({ queue, context }, input) => {
  const deleted = await queue.submit(deleteManagedPrefixList(context, input.prefixListId));
  return `<prefixList>${prefixListXml(deleted, 'delete-in-progress')}</prefixList>`;
});

/**
 * ModifyManagedPrefixList: entries, name, size. The answer says `modify-in-progress`, as EC2's
 * does (Terraform then waits for `modify-complete`), with the new version.
 */
export const modifyManagedPrefixListAction = ec2WriteAction(
  struct({
    ...common,
    PrefixListId: string,
    CurrentVersion: integer,
    PrefixListName: string,
    AddEntry: list(struct({ Cidr: string, Description: string })),
    RemoveEntry: list(struct({ Cidr: string })),
    MaxEntries: integer,
    IpamPrefixListResolverSyncEnabled: boolean,
  }),
  async ({ queue, context }, input) => {
    const modified = await queue.submit(
      modifyManagedPrefixList(context, {
        ...(input.prefixListId === undefined ? {} : { prefixListId: input.prefixListId }),
        ...(input.currentVersion === undefined ? {} : { currentVersion: input.currentVersion }),
        ...(input.prefixListName === undefined ? {} : { prefixListName: input.prefixListName }),
        ...(input.maxEntries === undefined ? {} : { maxEntries: input.maxEntries }),
        addEntries: input.addEntry,
        removeEntries: input.removeEntry,
      }),
    );
    return `<prefixList>${prefixListXml(modified, 'modify-in-progress')}</prefixList>`;
  },
);

/** GetManagedPrefixListAssociations: the caller's groups whose rules name the list. */
export const getManagedPrefixListAssociationsAction = ec2Action(
  struct({ ...common, ...paging, PrefixListId: string }),
  ({ view, context }, input) => {
    const page = getManagedPrefixListAssociations(view, context, {
      ...(input.prefixListId === undefined ? {} : { prefixListId: input.prefixListId }),
      ...pageFromWire(input),
    });
    return (
      itemList('prefixListAssociationSet', page.items.map((a) => element('resourceId', a.resourceId) + element('resourceOwner', a.resourceOwner))) +
      element('nextToken', page.nextToken)
    );
  },
);

/** GetManagedPrefixListEntries: a list's entries, of its current version or `TargetVersion`, paged (Terraform reads a list back with it). */
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
