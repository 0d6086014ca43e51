import { policyImpact } from '../dataplane/policy-impact.js';
import { unreachable } from '../domain/unreachable.js';
import { compilePolicy, updateGroupMembers, type CompiledPolicy } from '../dataplane/compiled-policy.js';
import { effectivePolicyFromGroups, referencedGroupIds, referencedPrefixListIds, type PeerResolver } from '../dataplane/effective-policy.js';
import { desiredRevision } from '../dataplane/desired-revision.js';
import { evaluateFlow } from '../dataplane/flow-evaluator.js';
import type { Flow } from '../dataplane/flow.js';
import type { Verdict } from '../dataplane/verdict.js';
import { heldGroupsOf, holdsGroups, privateAddressesOf, type Instance } from '../domain/instance.js';
import type { ChangeRecord } from '../state/change-record.js';
import type { ReadView } from '../state/view.js';

interface Entry {
  readonly policy: CompiledPolicy;
  readonly referencedGroups: readonly string[];
  readonly referencedPrefixLists: readonly string[];
}

/**
 * Compiled effective policies, one per instance, kept current by change records (issue 4): a rule
 * change of one of an instance's groups, or a change of its own groups, drops its policy (compiled
 * again on the next question); a membership change of a group that rules name as a peer updates
 * that peer's address set inside every dependent policy in place (`updateGroupMembers`), without
 * recompiling. No question ever scans every rule.
 */
export class InstancePolicies {
  readonly #view: ReadView;
  readonly #resolver: PeerResolver;
  /** instance ID → compiled policy; filled lazily by `policyOf`, emptied by `onCommitted`. */
  readonly #entries = new Map<string, Entry>();
  /** group ID → instances whose compiled policy names the group as a peer. */
  readonly #dependents = new Map<string, Set<string>>();
  /** prefix-list ID → instances whose compiled policy names the list. */
  readonly #listDependents = new Map<string, Set<string>>();
  /** instance ID → the groups it held at the last record seen, to know which memberships changed. */
  readonly #heldGroups = new Map<string, readonly string[]>();
  /** Counts for tests and metrics: full compilations and in-place membership updates. */
  readonly stats = { compilations: 0, membershipUpdates: 0 };

  constructor(view: ReadView) {
    this.#view = view;
    this.#resolver = {
      membersOf: (groupId) => [...view.membersOf(groupId)].flatMap(privateAddressesOf),
      prefixListEntries: (id) => view.prefixList(id)?.entries.map((e) => e.cidr) ?? [],
    };
    for (const instance of view.instances.values()) if (holdsGroups(instance)) this.#heldGroups.set(instance.instanceId, instance.groupIds);
  }

  /** The revision of the last change record that altered the instance's effective policy (0 for an unknown one). */
  desiredRevision(instanceId: string): number {
    const instance = this.#view.instances.get(instanceId);
    return instance === undefined ? 0 : desiredRevision(this.#view, instance);
  }

  /** The verdict for a new flow of a running instance (spec/semantics.md §10). */
  evaluate(instance: Instance, flow: Flow): Verdict {
    return evaluateFlow(this.policyOf(instance), flow);
  }

  /** The instance's compiled policy, compiling it if no current one is cached. */
  policyOf(instance: Instance): CompiledPolicy {
    const cached = this.#entries.get(instance.instanceId);
    if (cached !== undefined) return cached.policy;
    const groups = heldGroupsOf(instance);
    // EC2-Classic instances (no VPC) have no outbound filtering (spec/semantics.md §10).
    const effective = effectivePolicyFromGroups(groups, (g) => [...this.#view.rulesOf(g)], instance.vpcId !== undefined);
    const entry: Entry = {
      policy: compilePolicy(effective.rules, this.#resolver, effective),
      referencedGroups: referencedGroupIds(effective.rules),
      referencedPrefixLists: referencedPrefixListIds(effective.rules),
    };
    this.stats.compilations++;
    this.#entries.set(instance.instanceId, entry);
    for (const g of entry.referencedGroups) index(this.#dependents, g).add(instance.instanceId);
    for (const l of entry.referencedPrefixLists) index(this.#listDependents, l).add(instance.instanceId);
    return entry.policy;
  }

  /** Advances the cache past committed change records (called by the commit queue's hook). */
  onCommitted(records: readonly ChangeRecord[]): void {
    const membershipChanged = new Set<string>();
    for (const { change } of records) {
      const impact = policyImpact(change);
      switch (impact.kind) {
        case 'groupRules':
          for (const member of this.#view.membersOf(impact.groupId)) this.#drop(member.instanceId);
          break;
        case 'prefixList':
          for (const instanceId of [...(this.#listDependents.get(impact.prefixListId) ?? [])]) this.#drop(instanceId);
          break;
        case 'instances':
          for (const instanceId of impact.instanceIds) this.#membership(instanceId, membershipChanged);
          break;
        case 'none':
          break;
        default:
          unreachable(impact);
      }
    }
    // One in-place update per changed group and dependent policy, after all records are applied.
    for (const groupId of membershipChanged) {
      const dependents = this.#dependents.get(groupId);
      if (dependents === undefined || dependents.size === 0) continue;
      const addresses = this.#resolver.membersOf(groupId);
      for (const instanceId of dependents) {
        const entry = this.#entries.get(instanceId);
        if (entry === undefined) continue;
        updateGroupMembers(entry.policy, groupId, addresses);
        this.stats.membershipUpdates++;
      }
    }
  }

  /** Drops everything (after the view was rebuilt from the store). */
  clear(): void {
    this.#entries.clear();
    this.#dependents.clear();
    this.#listDependents.clear();
  }

  /** Notes that an instance's groups (or whether it holds any) may have changed. */
  #membership(instanceId: string, changed: Set<string>): void {
    const instance = this.#view.instances.get(instanceId);
    const before = this.#heldGroups.get(instanceId) ?? [];
    const after = heldGroupsOf(instance);
    for (const g of new Set([...before, ...after])) changed.add(g);
    if (after.length === 0) this.#heldGroups.delete(instanceId);
    else this.#heldGroups.set(instanceId, after);
    // Its own policy is the union of its groups' rules: a new set of groups needs a new policy.
    if (before.join(',') !== after.join(',')) this.#drop(instanceId);
  }

  #drop(instanceId: string): void {
    const entry = this.#entries.get(instanceId);
    if (entry === undefined) return;
    this.#entries.delete(instanceId);
    for (const g of entry.referencedGroups) this.#dependents.get(g)?.delete(instanceId);
    for (const l of entry.referencedPrefixLists) this.#listDependents.get(l)?.delete(instanceId);
  }
}

function index(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  return set;
}
