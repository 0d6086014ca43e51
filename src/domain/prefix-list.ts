import {
  prefixListEntryAbsent,
  prefixListEntryPresent,
  prefixListEntryInAddAndRemove,
  prefixListTooManyEntries,
} from './ec2-errors.js';
import { stableHex } from './ids.js';
import type { Tag } from './tag.js';

/** One entry of a managed prefix list. */
export interface PrefixListEntry {
  readonly cidr: string;
  readonly description?: string;
}

/**
 * A managed prefix list (botocore `ManagedPrefixList`). Rules may name it as a peer; it weighs
 * `maxEntries` toward the rule quota (spec/semantics.md §4.3, §9).
 */
export interface ManagedPrefixList {
  readonly prefixListId: string;
  /** `AWS` for AWS-managed lists. */
  readonly ownerId: string;
  readonly region: string;
  readonly prefixListName: string;
  readonly addressFamily: 'IPv4' | 'IPv6';
  readonly maxEntries: number;
  readonly entries: readonly PrefixListEntry[];
  /** Advances by one with every change of the entries, never with a name or size change. */
  readonly version: number;
  /** Revision of the last change of its entries (issue 10; see `desiredRevision`). */
  readonly entriesRevision?: number;
  readonly tags: readonly Tag[];
  readonly ordinal: number;
  /** The caller's idempotency token of the CreateManagedPrefixList that made it, if any. */
  readonly clientToken?: string;
  /** The state after the last operation; absent means `create-complete` (documents written before states were kept). */
  readonly state?: StoredPrefixListState;
  /** Why the last operation failed (`delete-failed`), as DescribeManagedPrefixLists' `stateMessage` shows it. */
  readonly stateMessage?: string;
  /**
   * How to undo each entry change, newest first: one step per version after the first, so that
   * GetManagedPrefixListEntries can read any past version (`TargetVersion`). Absent when none.
   */
  readonly history?: readonly PrefixListVersionStep[];
  /**
   * Set on the tombstone DeleteManagedPrefixList leaves (ISO 8601): a deleted list stays
   * describable by ID, in state `delete-complete`, for PREFIX_LIST_TOMBSTONE_MS.
   */
  readonly deletedAt?: string;
}

/**
 * The states a list is left in here. EC2's other states (`*-in-progress`) are transient: only the
 * answers of the write actions show them (botocore `PrefixListState`).
 */
export type StoredPrefixListState = 'create-complete' | 'modify-complete' | 'delete-failed' | 'delete-complete';

/**
 * How version `version` changed the entries of version `version - 1`: the entries it removed, with
 * the index each had, and how many it appended. Enough to undo it exactly (`entriesAtVersion`).
 */
export interface PrefixListVersionStep {
  readonly version: number;
  readonly removed: readonly { readonly index: number; readonly entry: PrefixListEntry }[];
  readonly addedCount: number;
}

/**
 * How long a deleted list stays describable by ID: one hour, as EC2 keeps terminated instances
 * visible (UNCONFIRMED for prefix lists; issue 13 asks only "for a while").
 */
export const PREFIX_LIST_TOMBSTONE_MS = 60 * 60 * 1000;

/**
 * The state message of a list whose delete failed because rules reference it (UNCONFIRMED wording;
 * EC2's state messages name at most the first ten resources, as botocore documents for MaxEntries).
 */
export function referencedListStateMessage(groupIds: readonly string[]): string {
  return `The prefix list is referenced by ${groupIds.length} resource${groupIds.length === 1 ? '' : 's'}: ${groupIds.slice(0, 10).join(', ')}`;
}

/** The list's state as DescribeManagedPrefixLists shows it. */
export function prefixListStateOf(list: ManagedPrefixList): StoredPrefixListState {
  return list.state ?? 'create-complete';
}

/** Reports whether the list is the tombstone of a deleted list (which no action but a describe by ID sees). */
export function isTombstone(list: ManagedPrefixList): boolean {
  return list.deletedAt !== undefined;
}

/** Reports whether a tombstone is past PREFIX_LIST_TOMBSTONE_MS at `now` (then it is as if it never existed). */
export function isExpiredTombstone(list: ManagedPrefixList, now: Date): boolean {
  return list.deletedAt !== undefined && now.getTime() - Date.parse(list.deletedAt) >= PREFIX_LIST_TOMBSTONE_MS;
}

/**
 * The entries of a past or the current version, in the order they had then; undefined for a
 * version the list never had (below 1 or above the current one).
 */
export function entriesAtVersion(list: ManagedPrefixList, version: number): readonly PrefixListEntry[] | undefined {
  if (!Number.isInteger(version) || version < 1 || version > list.version) return undefined;
  if (version === list.version) return list.entries;
  const entries = [...list.entries];
  // Undo the newest step first: after undoing every step above v + 1, the list is exactly
  // version v + 1, whose last `addedCount` entries are the ones that step appended.
  for (const step of list.history ?? []) {
    if (step.version <= version) break;
    entries.splice(entries.length - step.addedCount, step.addedCount);
    for (const { index, entry } of step.removed) entries.splice(index, 0, entry);
  }
  return entries;
}

/**
 * The list after ModifyManagedPrefixList's entry changes: `remove` (canonical CIDRs) taken out,
 * then `add` (canonical) appended, as the next version with its undo step recorded. Throws
 * InvalidRequest for a CIDR both added and removed (EC2 refuses that request, field: Terraform's
 * aws provider splits description-only changes into two calls because of it), InvalidParameterValue
 * for removing a CIDR that is not an entry or adding one that is (UNCONFIRMED, both), and for more
 * entries than `maxEntries`.
 */
export function withEntriesChanged(
  list: ManagedPrefixList,
  remove: readonly string[],
  add: readonly PrefixListEntry[],
): ManagedPrefixList {
  const removing = new Set(remove);
  for (const entry of add) if (removing.has(entry.cidr)) throw prefixListEntryInAddAndRemove();
  const current = new Set(list.entries.map((e) => e.cidr));
  for (const cidr of removing) if (!current.has(cidr)) throw prefixListEntryAbsent(cidr, list.prefixListId);
  const adding = new Set<string>();
  for (const entry of add) {
    if (current.has(entry.cidr) || adding.has(entry.cidr)) throw prefixListEntryPresent(entry.cidr, list.prefixListId);
    adding.add(entry.cidr);
  }
  const removed: { index: number; entry: PrefixListEntry }[] = [];
  const kept: PrefixListEntry[] = [];
  list.entries.forEach((entry, index) => {
    if (removing.has(entry.cidr)) removed.push({ index, entry });
    else kept.push(entry);
  });
  const entries = [...kept, ...add];
  if (entries.length > list.maxEntries) throw prefixListTooManyEntries();
  const version = list.version + 1;
  const step: PrefixListVersionStep = { version, removed, addedCount: add.length };
  return { ...list, entries, version, history: [step, ...(list.history ?? [])] };
}

/**
 * The AWS-managed lists every region has (spec/semantics.md §4.3 names `com.amazonaws.<region>.s3`).
 * Their IDs are derived from the region so that they are stable across restarts and servers.
 */
export function awsManagedPrefixLists(region: string): readonly ManagedPrefixList[] {
  const list = (service: string, entries: readonly string[]): ManagedPrefixList => ({
    prefixListId: `pl-${stableHex(`${region}/${service}`, 8)}`,
    ownerId: 'AWS',
    region,
    prefixListName: `com.amazonaws.${region}.${service}`,
    addressFamily: 'IPv4',
    maxEntries: entries.length,
    entries: entries.map((cidr) => ({ cidr })),
    version: 1,
    tags: [],
    ordinal: 0,
  });
  return [
    list('s3', ['3.5.0.0/19', '16.15.192.0/18', '18.34.0.0/19', '52.216.0.0/15', '54.231.0.0/16']),
    list('dynamodb', ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20']),
  ];
}
