import type { ManagedPrefixList } from '../domain/prefix-list.js';
import type { SecurityGroupRule } from '../domain/rule.js';

/**
 * Resolves the indirect peers of rules at compile time. Implementations read the current state
 * (the in-memory view) and must not change it; unknown IDs resolve to an empty list, which admits
 * nothing.
 */
export interface PeerResolver {
  /**
   * The current private addresses (IPv4 or IPv6 text, no prefix) of the interfaces in `groupId`:
   * a group peer matches those and no public or Elastic IP (spec/semantics.md §10, §8).
   */
  membersOf(groupId: string): readonly string[];
  /** The CIDR blocks (either family) listed in prefix list `prefixListId` (spec/semantics.md §4.3). */
  prefixListEntries(prefixListId: string): readonly string[];
}

/**
 * The input of compilation for one instance (or one interface): the rules of all its groups, both
 * directions. EC2 has no deny rules and unions every rule of every group on the interface, so the
 * most permissive match wins (spec/semantics.md §10); the union is therefore just all the rules.
 */
export interface EffectivePolicy {
  /** The instance's groups, without repeats, in the order given. */
  readonly groupIds: readonly string[];
  /** Every rule of those groups, group by group, each group's rules in the order given. */
  readonly rules: readonly SecurityGroupRule[];
  /**
   * Whether outbound traffic is filtered by the egress rules: in a VPC, yes; EC2-Classic has no
   * outbound filtering at all (spec/semantics.md §10), so there every new outbound flow passes.
   */
  readonly egressFiltered: boolean;
}

/**
 * Builds the effective policy of an instance that holds `groupIds`, reading each group's rules
 * through `rulesOf` (once per distinct group); `egressFiltered` is false for an EC2-Classic
 * instance. Compile it with `compilePolicy(policy.rules, resolver, policy)`.
 */
export function effectivePolicyFromGroups(
  groupIds: readonly string[],
  rulesOf: (groupId: string) => readonly SecurityGroupRule[],
  egressFiltered = true,
): EffectivePolicy {
  const distinct = [...new Set(groupIds)];
  const rules: SecurityGroupRule[] = [];
  for (const groupId of distinct) {
    rules.push(...rulesOf(groupId));
  }
  return { groupIds: distinct, rules, egressFiltered };
}

/**
 * The groups that `rules` name as peers, without repeats, in first-use order: the memberships
 * whose changes the compiled policy must be told about (`updateGroupMembers`).
 */
export function referencedGroupIds(rules: readonly SecurityGroupRule[]): readonly string[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.peer.kind === 'group') ids.add(rule.peer.groupId);
  }
  return [...ids];
}

/**
 * The prefix lists that `rules` name as peers, without repeats, in first-use order. A change to
 * one of them needs a new `compilePolicy`.
 */
export function referencedPrefixListIds(rules: readonly SecurityGroupRule[]): readonly string[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.peer.kind === 'prefixList') ids.add(rule.peer.prefixListId);
  }
  return [...ids];
}

/**
 * A resolver over fixed tables: group ID → member addresses, and the given prefix lists. It reads
 * the maps on every call, so a caller that mutates them sees its changes (tests do this).
 */
export function peerResolverFromMaps(
  membersByGroup: ReadonlyMap<string, readonly string[]>,
  prefixLists: ReadonlyMap<string, readonly string[]> | readonly ManagedPrefixList[],
): PeerResolver {
  const entriesById: ReadonlyMap<string, readonly string[]> = isPrefixListArray(prefixLists)
    ? new Map(prefixLists.map((list) => [list.prefixListId, list.entries.map((entry) => entry.cidr)]))
    : prefixLists;
  return {
    membersOf: (groupId) => membersByGroup.get(groupId) ?? [],
    prefixListEntries: (prefixListId) => entriesById.get(prefixListId) ?? [],
  };
}

function isPrefixListArray(
  value: ReadonlyMap<string, readonly string[]> | readonly ManagedPrefixList[],
): value is readonly ManagedPrefixList[] {
  return Array.isArray(value);
}
