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
  readonly version: number;
  readonly tags: readonly Tag[];
  readonly ordinal: number;
  /** The caller's idempotency token of the CreateManagedPrefixList that made it, if any. */
  readonly clientToken?: string;
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
