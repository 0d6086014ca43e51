import {
  cidrMalformed,
  missingParameter,
  parameterValueInvalid,
  prefixListEntriesAndSize,
  prefixListMalformed,
  prefixListMaxEntriesBelowEntries,
  prefixListTooManyEntries,
  prefixListVersionMismatch,
  prefixListVersionNotFound,
  managedPrefixListNotFound,
} from '../domain/ec2-errors.js';
import { parseIpv4Cidr, parseIpv6Cidr } from '../domain/cidr.js';
import { isResourceId } from '../domain/ids.js';
import {
  entriesAtVersion,
  isExpiredTombstone,
  isTombstone,
  referencedListStateMessage,
  withEntriesChanged,
  type ManagedPrefixList,
  type PrefixListEntry,
} from '../domain/prefix-list.js';
import { checkRuleQuota } from '../domain/quota.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import { validateTags, type Tag } from '../domain/tag.js';
import type { ReadView } from '../state/view.js';
import type { WriteContext, WriteOperation } from '../state/commit-queue.js';
import { compileFilters, type Filter, type FilterFields } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import { platformOf, tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';

/** CreateManagedPrefixList's parameters. */
export interface CreateManagedPrefixListRequest {
  readonly prefixListName?: string;
  readonly maxEntries?: number;
  readonly addressFamily?: string;
  readonly entries: readonly EntryRequest[];
  readonly tagSpecifications: readonly TagSpecification[];
  readonly clientToken?: string;
}

/** An `Entry.N` / `AddEntry.N` as given. */
export interface EntryRequest {
  readonly cidr?: string;
  readonly description?: string;
}

/** The largest MaxEntries a customer-managed list can have (botocore documents 1000). */
const MAX_ENTRIES_LIMIT = 1000;

/**
 * Creates a customer-managed prefix list, usable as a rule peer (spec/semantics.md §4.3). A
 * repeated ClientToken returns the list the first call made, as RunInstances does (spec/api.md
 * §5.14): the SDKs fill the token in and reuse it when they retry a call whose answer was lost.
 */
export function createManagedPrefixList(
  context: RequestContext,
  request: CreateManagedPrefixListRequest,
): WriteOperation<ManagedPrefixList> {
  return (tx) => {
    if (request.prefixListName === undefined) throw missingParameter('PrefixListName');
    if (request.maxEntries === undefined) throw missingParameter('MaxEntries');
    if (request.addressFamily === undefined) throw missingParameter('AddressFamily');
    if (request.clientToken !== undefined) {
      for (const earlier of tx.view.prefixLists.values())
        if (earlier.ownerId === context.account.accountId && earlier.region === context.region && earlier.clientToken === request.clientToken) return earlier;
    }
    if (request.addressFamily !== 'IPv4' && request.addressFamily !== 'IPv6') throw parameterValueInvalid('addressFamily', request.addressFamily);
    if (request.maxEntries < 1 || request.maxEntries > MAX_ENTRIES_LIMIT) throw parameterValueInvalid('maxEntries', request.maxEntries);
    if (request.entries.length > request.maxEntries) throw prefixListTooManyEntries();
    const entries = request.entries.map((e) => entryFromRequest(request.addressFamily === 'IPv6' ? 'IPv6' : 'IPv4', e));
    const tags = tagsFromSpecifications(request.tagSpecifications, 'prefix-list');
    validateTags(tags);
    const prefixList: ManagedPrefixList = {
      prefixListId: tx.ids.next('pl'),
      ownerId: context.account.accountId,
      region: context.region,
      prefixListName: request.prefixListName,
      addressFamily: request.addressFamily,
      maxEntries: request.maxEntries,
      entries,
      version: 1,
      tags,
      ordinal: tx.view.nextOrdinal(),
      ...(request.clientToken === undefined ? {} : { clientToken: request.clientToken }),
    };
    purgeExpiredTombstones(tx, context);
    tx.emit(context.account.accountId, context.region, { kind: 'PrefixListCreated', prefixList });
    return prefixList;
  };
}

/** ModifyManagedPrefixList's parameters. */
export interface ModifyManagedPrefixListRequest {
  readonly prefixListId?: string;
  readonly currentVersion?: number;
  readonly prefixListName?: string;
  readonly maxEntries?: number;
  readonly addEntries: readonly EntryRequest[];
  readonly removeEntries: readonly { readonly cidr?: string }[];
}

/**
 * Changes a customer-managed list: entries (`AddEntry.N`, `RemoveEntry.N`: removals, then
 * additions appended, as one new version), its name (same version) or its size (`MaxEntries`:
 * neither with entries, nor below the entries it holds). Checks in this order: the list (missing,
 * malformed, unknown → InvalidPrefixListID.NotFound), `CurrentVersion` (stale →
 * PrefixListVersionMismatch), entries and size together (InvalidParameterCombination), the size,
 * the entries (withEntriesChanged), then the quota of every group whose rules name the list, since
 * such a rule weighs MaxEntries (spec/semantics.md §9; RulesPerSecurityGroupLimitExceeded). EC2
 * documents the quota failure as an asynchronous `modify-failed`; here it is refused at once
 * (issue 13). Returns the list as it is now; nothing changes when nothing is asked.
 */
export function modifyManagedPrefixList(context: RequestContext, request: ModifyManagedPrefixListRequest): WriteOperation<ManagedPrefixList> {
  return (tx) => {
    const list = ownList(tx.view, context, request.prefixListId);
    if (request.currentVersion !== undefined && request.currentVersion !== list.version) throw prefixListVersionMismatch();
    const changesEntries = request.addEntries.length > 0 || request.removeEntries.length > 0;
    if (changesEntries && request.maxEntries !== undefined) throw prefixListEntriesAndSize();
    let modified = list;
    if (request.maxEntries !== undefined && request.maxEntries !== list.maxEntries) {
      if (request.maxEntries < 1 || request.maxEntries > MAX_ENTRIES_LIMIT) throw parameterValueInvalid('maxEntries', request.maxEntries);
      if (request.maxEntries < list.entries.length) throw prefixListMaxEntriesBelowEntries(request.maxEntries, list.entries.length);
      if (request.maxEntries > list.maxEntries) checkReferencingGroupsQuota(tx.view, context, list.prefixListId, request.maxEntries);
      modified = { ...modified, maxEntries: request.maxEntries };
    }
    if (changesEntries) {
      const family = list.addressFamily;
      const remove = request.removeEntries.map((e) => entryFromRequest(family, e).cidr);
      const add = request.addEntries.map((e) => entryFromRequest(family, e));
      modified = withEntriesChanged(modified, remove, add);
    }
    if (request.prefixListName !== undefined && request.prefixListName !== list.prefixListName)
      modified = { ...modified, prefixListName: request.prefixListName };
    if (modified === list) return list;
    const { stateMessage: _failure, ...rest } = modified;
    const prefixList: ManagedPrefixList = { ...rest, state: 'modify-complete' };
    purgeExpiredTombstones(tx, context);
    tx.emit(context.account.accountId, context.region, { kind: 'PrefixListModified', prefixList });
    return prefixList;
  };
}

/**
 * Deletes a customer-managed list. Like EC2, the request is accepted even while rules still name
 * the list (its answer says `delete-in-progress`); what becomes of it then is chosen here
 * (UNCONFIRMED, issue 13): EC2's documentation says every reference must go first, so the delete
 * fails the way EC2's asynchronous operations fail: the list stays, in state `delete-failed` with a
 * state message naming the groups, its rules and their enforcement untouched, and a later delete
 * without references succeeds. Otherwise the list leaves a tombstone: describable by ID as
 * `delete-complete` for PREFIX_LIST_TOMBSTONE_MS, unknown to every other action at once.
 */
export function deleteManagedPrefixList(context: RequestContext, prefixListId: string | undefined): WriteOperation<ManagedPrefixList> {
  return (tx) => {
    const list = ownList(tx.view, context, prefixListId);
    const groupIds = referencingGroupIds(tx.view, list.prefixListId);
    purgeExpiredTombstones(tx, context);
    if (groupIds.length > 0) {
      const failed: ManagedPrefixList = { ...list, state: 'delete-failed', stateMessage: referencedListStateMessage(groupIds) };
      tx.emit(context.account.accountId, context.region, { kind: 'PrefixListModified', prefixList: failed });
      return failed;
    }
    // The tombstone keeps what DescribeManagedPrefixLists shows; the past versions go.
    const { history: _history, stateMessage: _failure, ...shown } = list;
    const tombstone: ManagedPrefixList = { ...shown, state: 'delete-complete', deletedAt: tx.now.toISOString() };
    tx.emit(context.account.accountId, context.region, { kind: 'PrefixListDeleted', prefixListId: list.prefixListId, tombstone });
    return tombstone;
  };
}

/** What the two describe actions take: IDs, filters and a page. */
type ListQuery = PageRequest & { readonly prefixListIds: readonly string[]; readonly filters: readonly Filter[] };

/**
 * Lists the prefix lists the caller can use in the region: AWS-managed ones and its own. A list
 * named by ID may also be the caller's deleted list, shown as `delete-complete` until its
 * tombstone expires at `now` (domain/prefix-list.ts); listing without IDs never shows one
 * (UNCONFIRMED).
 */
export function describeManagedPrefixLists(view: ReadView, context: RequestContext, request: ListQuery, now: Date): Page<ManagedPrefixList> {
  const usable = usableBy(context);
  return selectLists(view, context, request, {
    visible: usable,
    visibleById: (l): l is ManagedPrefixList =>
      usable(l) || (l !== undefined && ownedBy(context, l) && isTombstone(l) && !isExpiredTombstone(l, now)),
    fields: { 'prefix-list-id': (l) => [l.prefixListId], 'prefix-list-name': (l) => [l.prefixListName], 'owner-id': (l) => [l.ownerId] },
    tagsOf: (l) => l.tags,
    limits: { min: 1, max: 100 },
    tokenScope: {},
  });
}

/**
 * The entries of a prefix list the caller can use (GetManagedPrefixListEntries), of its current
 * version or of `TargetVersion` (every past version is kept: ManagedPrefixList.history), paged by
 * `MaxResults` from 1 to 100 (botocore `PrefixListMaxResults`). A version the list never had →
 * InvalidParameterValue (UNCONFIRMED).
 */
export function getManagedPrefixListEntries(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly prefixListId?: string; readonly targetVersion?: number },
): Page<PrefixListEntry> {
  const list = usableList(view, context, request.prefixListId);
  const version = request.targetVersion ?? list.version;
  const entries = entriesAtVersion(list, version);
  if (entries === undefined) throw prefixListVersionNotFound(list.prefixListId, version);
  return paginate(entries, request, { prefixListId: list.prefixListId, version }, { min: 1, max: 100 });
}

/** One resource that references a prefix list (botocore `PrefixListAssociation`). */
export interface PrefixListAssociation {
  readonly resourceId: string;
  readonly resourceOwner: string;
}

/**
 * GetManagedPrefixListAssociations: the caller's security groups whose rules name the list, in
 * the order the groups were created, paged by `MaxResults` 5–255 (botocore).
 */
export function getManagedPrefixListAssociations(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly prefixListId?: string },
): Page<PrefixListAssociation> {
  const list = usableList(view, context, request.prefixListId);
  const associations = referencingGroupIds(view, list.prefixListId)
    .map((groupId) => view.groups.get(groupId))
    .filter((g) => g !== undefined && g.ownerId === context.account.accountId)
    .map((g) => ({ resourceId: g?.groupId ?? '', resourceOwner: g?.ownerId ?? '' }));
  return paginate(associations, request, { associationsOf: list.prefixListId }, { min: 5, max: 255 });
}

/**
 * DescribePrefixLists: the AWS-managed lists of the region with their CIDRs, as
 * `aws ec2 describe-prefix-lists` shows them (issue 13). Filters `prefix-list-id` and
 * `prefix-list-name`; MaxResults 5–1000; an unknown ID is InvalidPrefixListID.NotFound (UNCONFIRMED).
 */
export function describePrefixLists(view: ReadView, context: RequestContext, request: ListQuery): Page<ManagedPrefixList> {
  const visible = (l: ManagedPrefixList | undefined): l is ManagedPrefixList => l !== undefined && l.region === context.region && l.ownerId === 'AWS';
  return selectLists(view, context, request, {
    visible,
    visibleById: visible,
    fields: { 'prefix-list-id': (l) => [l.prefixListId], 'prefix-list-name': (l) => [l.prefixListName] },
    tagsOf: undefined,
    limits: { min: 5, max: 1000 },
    tokenScope: { aws: true },
  });
}

/** The visible lists named by the query (or all), filtered, then one page of them. */
function selectLists(
  view: ReadView,
  context: RequestContext,
  request: ListQuery,
  scope: {
    /** Which lists a describe without IDs shows. */
    readonly visible: (l: ManagedPrefixList | undefined) => l is ManagedPrefixList;
    /** Which lists a describe by ID shows (a superset of `visible`). */
    readonly visibleById: (l: ManagedPrefixList | undefined) => l is ManagedPrefixList;
    readonly fields: FilterFields<ManagedPrefixList>;
    readonly tagsOf: ((l: ManagedPrefixList) => readonly Tag[]) | undefined;
    readonly limits: { readonly min: number; readonly max: number };
    /** Keeps one action's page tokens from being accepted by the other. */
    readonly tokenScope: object;
  },
): Page<ManagedPrefixList> {
  view.ensureManagedPrefixLists(context.region);
  let lists =
    request.prefixListIds.length === 0
      ? [...view.prefixLists.values()].filter(scope.visible)
      : request.prefixListIds.map((id) => {
          if (!isResourceId('pl', id)) throw prefixListMalformed(id);
          const list = view.prefixLists.get(id);
          if (!scope.visibleById(list)) throw managedPrefixListNotFound(id);
          return list;
        });
  if (request.filters.length > 0) lists = lists.filter(compileFilters(request.filters, scope.fields, scope.tagsOf));
  return paginate(lists, request, { f: request.filters, i: request.prefixListIds, ...scope.tokenScope }, scope.limits);
}

function ownedBy(context: RequestContext, l: ManagedPrefixList): boolean {
  return l.region === context.region && l.ownerId === context.account.accountId;
}

/** Whether a list is one the caller can use in its region: AWS-managed, or its own; never a tombstone. */
function usableBy(context: RequestContext): (l: ManagedPrefixList | undefined) => l is ManagedPrefixList {
  return (l): l is ManagedPrefixList =>
    l !== undefined && !isTombstone(l) && l.region === context.region && (l.ownerId === 'AWS' || l.ownerId === context.account.accountId);
}

/** The list a read action names: given, well formed, usable by the caller (else InvalidPrefixListID.NotFound). */
function usableList(view: ReadView, context: RequestContext, prefixListId: string | undefined): ManagedPrefixList {
  if (prefixListId === undefined) throw missingParameter('PrefixListId');
  if (!isResourceId('pl', prefixListId)) throw prefixListMalformed(prefixListId);
  view.ensureManagedPrefixLists(context.region);
  const list = view.prefixLists.get(prefixListId);
  if (!usableBy(context)(list)) throw managedPrefixListNotFound(prefixListId);
  return list;
}

/**
 * The list a write action names: given, well formed, the caller's own and not deleted. An
 * AWS-managed list is not the caller's to change: InvalidPrefixListID.NotFound, as before.
 */
function ownList(view: ReadView, context: RequestContext, prefixListId: string | undefined): ManagedPrefixList {
  if (prefixListId === undefined) throw missingParameter('PrefixListId');
  if (!isResourceId('pl', prefixListId)) throw prefixListMalformed(prefixListId);
  const list = view.prefixLists.get(prefixListId);
  if (list === undefined || isTombstone(list) || !ownedBy(context, list)) throw managedPrefixListNotFound(prefixListId);
  return list;
}

/** An entry as given, in the list's family and canonical. Throws MissingParameter or InvalidParameterValue. */
function entryFromRequest(family: 'IPv4' | 'IPv6', entry: EntryRequest): PrefixListEntry {
  if (entry.cidr === undefined) throw missingParameter('Cidr');
  const cidr = (family === 'IPv4' ? parseIpv4Cidr : parseIpv6Cidr)(entry.cidr);
  if (cidr === undefined) throw cidrMalformed(entry.cidr);
  return { cidr: cidr.text, ...(entry.description === undefined ? {} : { description: entry.description }) };
}

/** The IDs of the groups whose rules name the list, in the order the groups were created. */
function referencingGroupIds(view: ReadView, prefixListId: string): string[] {
  const ids = new Set<string>();
  for (const rule of view.rulesReferencingPrefixList(prefixListId)) ids.add(rule.groupId);
  return [...ids].sort((a, b) => (view.groups.get(a)?.ordinal ?? 0) - (view.groups.get(b)?.ordinal ?? 0));
}

/**
 * Checks that every group whose rules name the list stays within the rule quota once each such
 * rule weighs `maxEntries` (spec/semantics.md §9). Throws RulesPerSecurityGroupLimitExceeded.
 */
function checkReferencingGroupsQuota(view: ReadView, context: RequestContext, prefixListId: string, maxEntries: number): void {
  for (const groupId of referencingGroupIds(view, prefixListId)) {
    const group = view.groups.get(groupId);
    if (group === undefined) continue;
    const naming: SecurityGroupRule[] = [];
    const others: SecurityGroupRule[] = [];
    for (const rule of view.rulesOf(groupId)) (rule.peer.kind === 'prefixList' && rule.peer.prefixListId === prefixListId ? naming : others).push(rule);
    checkRuleQuota(context.quotas, platformOf(group), others, naming, (id) => (id === prefixListId ? maxEntries : (view.prefixList(id)?.maxEntries ?? 1)));
  }
}

/**
 * Forgets the caller's tombstones that have expired (domain/prefix-list.ts), so that they do not
 * stay in the store forever. Called by the account's prefix-list writes, after their checks.
 */
function purgeExpiredTombstones(tx: WriteContext, context: RequestContext): void {
  const expired: string[] = [];
  for (const list of tx.view.prefixLists.values()) if (ownedBy(context, list) && isExpiredTombstone(list, tx.now)) expired.push(list.prefixListId);
  for (const prefixListId of expired) tx.emit(context.account.accountId, context.region, { kind: 'PrefixListDeleted', prefixListId });
}
