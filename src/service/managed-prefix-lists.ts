import {
  cidrMalformed,
  dependencyViolation,
  invalidParameterValue,
  missingParameter,
  prefixListMalformed,
  managedPrefixListNotFound,
} from '../domain/ec2-errors.js';
import { parseIpv4Cidr, parseIpv6Cidr } from '../domain/cidr.js';
import { isResourceId } from '../domain/ids.js';
import type { ManagedPrefixList, PrefixListEntry } from '../domain/prefix-list.js';
import { validateTags, type Tag } from '../domain/tag.js';
import type { ReadView } from '../state/view.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { compileFilters, type Filter, type FilterFields } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import { tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';

/** CreateManagedPrefixList's parameters. */
export interface CreateManagedPrefixListRequest {
  readonly prefixListName?: string;
  readonly maxEntries?: number;
  readonly addressFamily?: string;
  readonly entries: readonly { readonly cidr?: string; readonly description?: string }[];
  readonly tagSpecifications: readonly TagSpecification[];
  readonly clientToken?: string;
}

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
    if (request.addressFamily !== 'IPv4' && request.addressFamily !== 'IPv6')
      throw invalidParameterValue(`Value (${request.addressFamily}) for parameter addressFamily is invalid.`);
    if (request.maxEntries < 1 || request.maxEntries > 1000)
      throw invalidParameterValue(`Value (${request.maxEntries}) for parameter maxEntries is invalid.`);
    if (request.entries.length > request.maxEntries)
      throw invalidParameterValue('The number of entries exceeds the maximum number of entries for the prefix list.');
    const parse = request.addressFamily === 'IPv4' ? parseIpv4Cidr : parseIpv6Cidr;
    const entries = request.entries.map((e) => {
      if (e.cidr === undefined) throw missingParameter('Cidr');
      const cidr = parse(e.cidr);
      if (cidr === undefined) throw cidrMalformed(e.cidr);
      return { cidr: cidr.text, ...(e.description === undefined ? {} : { description: e.description }) };
    });
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
    tx.emit(context.account.accountId, context.region, { kind: 'PrefixListCreated', prefixList });
    return prefixList;
  };
}

/** Deletes a customer-managed prefix list; refused while a rule references it. */
export function deleteManagedPrefixList(context: RequestContext, prefixListId: string | undefined): WriteOperation<ManagedPrefixList> {
  return (tx) => {
    if (prefixListId === undefined) throw missingParameter('PrefixListId');
    if (!isResourceId('pl', prefixListId)) throw prefixListMalformed(prefixListId);
    const list = tx.view.prefixLists.get(prefixListId);
    if (list === undefined || list.ownerId !== context.account.accountId || list.region !== context.region)
      throw managedPrefixListNotFound(prefixListId);
    for (const rule of tx.view.rules.values())
      if (rule.peer.kind === 'prefixList' && rule.peer.prefixListId === prefixListId) throw dependencyViolation(prefixListId);
    tx.emit(context.account.accountId, context.region, { kind: 'PrefixListDeleted', prefixListId });
    return list;
  };
}

/** What the two describe actions take: IDs, filters and a page. */
type ListQuery = PageRequest & { readonly prefixListIds: readonly string[]; readonly filters: readonly Filter[] };

/** Lists the prefix lists the caller can use in the region: AWS-managed ones and its own. */
export function describeManagedPrefixLists(view: ReadView, context: RequestContext, request: ListQuery): Page<ManagedPrefixList> {
  return selectLists(view, context, request, {
    visible: usableBy(context),
    fields: { 'prefix-list-id': (l) => [l.prefixListId], 'prefix-list-name': (l) => [l.prefixListName], 'owner-id': (l) => [l.ownerId] },
    tagsOf: (l) => l.tags,
    limits: { min: 1, max: 100 },
    tokenScope: {},
  });
}

/**
 * The entries of a prefix list the caller can use (GetManagedPrefixListEntries), paged by
 * `MaxResults` from 5 to 100 (botocore's documented range). Stockade keeps a list's current
 * entries only, so `TargetVersion` must name the current version (UNCONFIRMED: EC2 keeps older
 * versions; other values answer InvalidParameterValue).
 */
export function getManagedPrefixListEntries(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly prefixListId?: string; readonly targetVersion?: number },
): Page<PrefixListEntry> {
  const { prefixListId } = request;
  if (prefixListId === undefined) throw missingParameter('PrefixListId');
  if (!isResourceId('pl', prefixListId)) throw prefixListMalformed(prefixListId);
  view.ensureManagedPrefixLists(context.region);
  const list = view.prefixLists.get(prefixListId);
  if (!usableBy(context)(list)) throw managedPrefixListNotFound(prefixListId);
  if (request.targetVersion !== undefined && request.targetVersion !== list.version)
    throw invalidParameterValue(`The prefix list ${prefixListId} has no version ${request.targetVersion}; its current version is ${list.version}.`);
  return paginate(list.entries, request, { prefixListId, version: list.version }, { min: 5, max: 100 });
}

/**
 * DescribePrefixLists: the AWS-managed lists of the region with their CIDRs, as
 * `aws ec2 describe-prefix-lists` shows them (issue 13). Filters `prefix-list-id` and
 * `prefix-list-name`; MaxResults 5–1000; an unknown ID is InvalidPrefixListID.NotFound (UNCONFIRMED).
 */
export function describePrefixLists(view: ReadView, context: RequestContext, request: ListQuery): Page<ManagedPrefixList> {
  return selectLists(view, context, request, {
    visible: (l): l is ManagedPrefixList => l !== undefined && l.region === context.region && l.ownerId === 'AWS',
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
    readonly visible: (l: ManagedPrefixList | undefined) => l is ManagedPrefixList;
    readonly fields: FilterFields<ManagedPrefixList>;
    readonly tagsOf: ((l: ManagedPrefixList) => readonly Tag[]) | undefined;
    readonly limits: { readonly min: number; readonly max: number };
    /** Keeps one action's page tokens from being accepted by the other. */
    readonly tokenScope: object;
  },
): Page<ManagedPrefixList> {
  view.ensureManagedPrefixLists(context.region);
  let lists = listsNamed(view, request.prefixListIds, scope.visible);
  if (request.filters.length > 0) lists = lists.filter(compileFilters(request.filters, scope.fields, scope.tagsOf));
  return paginate(lists, request, { f: request.filters, i: request.prefixListIds, ...scope.tokenScope }, scope.limits);
}

/** Whether a list is one the caller can use in its region: AWS-managed, or its own. */
function usableBy(context: RequestContext): (l: ManagedPrefixList | undefined) => l is ManagedPrefixList {
  return (l): l is ManagedPrefixList => l !== undefined && l.region === context.region && (l.ownerId === 'AWS' || l.ownerId === context.account.accountId);
}

/** The lists named by ID (each must be well formed and visible), or every visible one when none is named. */
function listsNamed(view: ReadView, ids: readonly string[], visible: (l: ManagedPrefixList | undefined) => l is ManagedPrefixList): ManagedPrefixList[] {
  if (ids.length === 0) return [...view.prefixLists.values()].filter(visible);
  return ids.map((id) => {
    if (!isResourceId('pl', id)) throw prefixListMalformed(id);
    const list = view.prefixLists.get(id);
    if (!visible(list)) throw managedPrefixListNotFound(id);
    return list;
  });
}
