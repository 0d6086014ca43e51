import { policyImpact } from '../dataplane/policy-impact.js';
import { unreachable } from '../domain/unreachable.js';
import { parseIpv4Cidr, parseIpv6Cidr } from '../domain/cidr.js';
import { heldGroupsOf, holdsGroups, privateAddressesOf, type Instance } from '../domain/instance.js';
import { CLASSIC_PRIVATE_POOL } from '../domain/private-address.js';
import { effectivePolicyFromGroups, referencedGroupIds, type PeerResolver } from '../dataplane/effective-policy.js';
import { renderRuleset } from '../dataplane/nft-ruleset.js';
import type { ChangeRecord } from '../state/change-record.js';
import type { DocumentKind } from '../state/document-kind.js';
import { View } from '../state/view.js';

/**
 * What one host must enforce, derived from its host feed alone (issue 10): a view holding the
 * host's part of the state (its instances, their groups and rules, the members of the groups those
 * rules name, the prefix lists they name: `dataplane/host-scope.ts`), loaded from the feed's
 * snapshot and advanced by the same `View.apply` the server uses, so the agent and the server can
 * never disagree on what a record means. Pure: no I/O, no clock.
 *
 * After each batch of records it names the instances of this host whose enforcement may have to
 * change ("dirty"); `desiredOf` then says what each should look like. The enforcer compares that
 * with what it last applied and picks a membership-only transaction or a full table replace.
 */
export class HostModel {
  readonly hostName: string;
  readonly view = new View();
  /** Instances placed on this host, and terminated ones until `forget` (their namespaces must go). */
  readonly #local = new Set<string>();
  readonly #resolver: PeerResolver;
  /** Resolves prefix lists but no group member, for a ruleset's member-free "structure". */
  readonly #structureResolver: PeerResolver;

  constructor(hostName: string) {
    this.hostName = hostName;
    this.#resolver = {
      membersOf: (groupId) => this.membersOf(groupId),
      prefixListEntries: (id) => this.view.prefixList(id)?.entries.map((e) => e.cidr) ?? [],
    };
    this.#structureResolver = { membersOf: () => [], prefixListEntries: this.#resolver.prefixListEntries };
  }

  /**
   * A model holding a server's snapshot (issue 10: start from the current state, not the history):
   * every document it sent, at its revision, with this host's instances, terminated ones included
   * (a full pass removes what is left of them), as local.
   */
  static fromSnapshot(hostName: string, revision: number, documents: Iterable<{ readonly kind: DocumentKind; readonly body: unknown }>): HostModel {
    const model = new HostModel(hostName);
    for (const document of documents) model.view.load(document.kind, document.body);
    model.view.revision = revision;
    for (const instance of model.view.instances.values()) if (instance.hostName === hostName) model.#local.add(instance.instanceId);
    return model;
  }

  /** The revision of the last record applied. */
  get revision(): number {
    return this.view.revision;
  }

  /** IDs of the instances placed on this host, and of departed ones not yet forgotten, in placement order. */
  localInstanceIds(): readonly string[] {
    return [...this.#local];
  }

  /**
   * Applies records (in revision order) and returns the IDs of this host's instances whose
   * enforcement may have changed: their own groups or state, a rule of one of their groups, the
   * members of a group their rules name as a peer, a prefix list. A superset is harmless (the
   * enforcer finds nothing to do); a missing instance would be a bug, which the periodic full
   * pass repairs.
   */
  apply(records: readonly ChangeRecord[]): Set<string> {
    const dirty = new Set<string>();
    for (const record of records) {
      const change = record.change;
      const impact = policyImpact(change);
      // Groups the instances held before the record, to know which memberships it changes.
      const before = impact.kind === 'instances' ? new Map(impact.instanceIds.map((id) => [id, heldGroupsOf(this.view.instances.get(id))])) : undefined;
      this.view.apply(record);
      switch (impact.kind) {
        case 'groupRules':
          this.#markMembers(impact.groupId, dirty);
          break;
        case 'prefixList':
          // Rare: every local instance is looked at again; only changed rulesets are applied.
          for (const id of this.#local) dirty.add(id);
          break;
        case 'instances':
          for (const id of impact.instanceIds) {
            const instance = this.view.instances.get(id);
            if (instance !== undefined) this.#membershipChanged(instance, before?.get(id) ?? [], dirty);
          }
          break;
        case 'none':
          break;
        default:
          unreachable(impact);
      }
    }
    return dirty;
  }

  /**
   * Takes documents the host feed sent in place of records (api/host-feed-endpoint.ts): resources
   * that newly concern this host, in their state at `revision`, which the model then holds. Returns
   * the IDs of this host's instances whose enforcement may have changed, as `apply` does.
   */
  take(documents: readonly { readonly kind: DocumentKind; readonly body: unknown }[], revision: number): Set<string> {
    const dirty = new Set<string>();
    for (const document of documents) {
      if (document.kind !== 'instance') {
        // A group, its rules, a VPC, a prefix list: what an instance's record or document, sent
        // with them, is about to need. That instance is what turns dirty. A group comes with all
        // its rules: any the model still holds from an earlier time are stale.
        if (document.kind === 'group') for (const rule of [...this.view.rulesOf((document.body as { groupId: string }).groupId)]) this.view.deleteRule(rule.ruleId);
        this.view.load(document.kind, document.body);
        continue;
      }
      const instance = document.body as Instance;
      const before = heldGroupsOf(this.view.instances.get(instance.instanceId));
      this.view.load('instance', instance);
      this.#membershipChanged(instance, before, dirty);
    }
    this.advanceTo(revision);
    return dirty;
  }

  /** Everything that concerns this host up to `revision` is applied (a host feed heartbeat). */
  advanceTo(revision: number): void {
    if (revision > this.view.revision) this.view.revision = revision;
  }

  /** Forgets a departed instance once its namespace is gone (no-op for one that runs here). */
  forget(instanceId: string): void {
    if (!this.runsHere(instanceId)) this.#local.delete(instanceId);
  }

  /** Reports whether the instance should run on this host now (placed here, not terminated). */
  runsHere(instanceId: string): boolean {
    const instance = this.view.instances.get(instanceId);
    return instance !== undefined && instance.hostName === this.hostName && holdsGroups(instance);
  }

  /**
   * What instance `instanceId` should look like on this host now, or undefined when it should not
   * exist here (terminated, placed elsewhere, unknown).
   */
  desiredOf(instanceId: string): DesiredInstance | undefined {
    const instance = this.view.instances.get(instanceId);
    if (instance === undefined || !this.runsHere(instanceId)) return undefined;
    const network = this.#networkOf(instance);
    if (network === undefined) return undefined;
    // EC2-Classic instances (no VPC) have no outbound filtering (spec/semantics.md §10).
    const policy = effectivePolicyFromGroups(instance.groupIds, (g) => [...this.view.rulesOf(g)], instance.vpcId !== undefined);
    const members = new Map<string, readonly string[]>();
    for (const groupId of referencedGroupIds(policy.rules)) members.set(groupId, this.membersOf(groupId));
    return {
      instanceId,
      network: network.key,
      addressCidrs: [`${instance.privateIpAddress}/${network.prefixLength}`, ...(instance.ipv6Addresses ?? []).map((a) => `${a}/${network.ipv6PrefixLength}`)],
      structure: renderRuleset(policy.rules, this.#structureResolver, policy),
      ruleset: renderRuleset(policy.rules, this.#resolver, policy),
      members,
    };
  }

  /** The private addresses (both families) of the instances that hold `groupId`, in launch order. */
  membersOf(groupId: string): string[] {
    return [...this.view.membersOf(groupId)].flatMap(privateAddressesOf);
  }

  #markMembers(groupId: string, dirty: Set<string>): void {
    for (const member of this.view.membersOf(groupId)) if (this.#local.has(member.instanceId)) dirty.add(member.instanceId);
  }

  /** An instance appeared, changed groups or stopped holding them: it, and every dependant of its groups. */
  #membershipChanged(instance: Instance, before: readonly string[], dirty: Set<string>): void {
    if (instance.hostName === this.hostName) {
      this.#local.add(instance.instanceId);
      dirty.add(instance.instanceId);
    }
    const after = heldGroupsOf(instance);
    for (const groupId of new Set([...before, ...after])) {
      for (const rule of this.view.rulesReferencing(groupId)) this.#markMembers(rule.groupId, dirty);
    }
  }

  /**
   * The layer-2 network an instance is on, and the prefix length of its address there: one per
   * VPC (a VPC routes between its subnets, so the whole VPC CIDR is one link here) and one per
   * region for EC2-Classic, whose instances of every account share one flat network
   * (spec/semantics.md §8; the pool is CLASSIC_PRIVATE_POOL).
   */
  #networkOf(instance: Instance): { key: string; prefixLength: number; ipv6PrefixLength: number } | undefined {
    if (instance.vpcId === undefined) {
      return { key: `classic/${instance.region}`, prefixLength: parseIpv4Cidr(CLASSIC_PRIVATE_POOL)?.prefixLength ?? 8, ipv6PrefixLength: 64 };
    }
    const vpc = this.view.vpcs.get(instance.vpcId);
    const cidr = vpc === undefined ? undefined : parseIpv4Cidr(vpc.cidrBlock);
    if (cidr === undefined) return undefined;
    // The VPC's IPv6 block (an Amazon /56) is one link too, as its IPv4 block is.
    const ipv6 = vpc?.ipv6CidrBlock === undefined ? undefined : parseIpv6Cidr(vpc.ipv6CidrBlock);
    return { key: instance.vpcId, prefixLength: cidr.prefixLength, ipv6PrefixLength: ipv6?.prefixLength ?? 56 };
  }
}

/** One instance as this host must enforce it. */
export interface DesiredInstance {
  readonly instanceId: string;
  /** The layer-2 network it joins: a VPC ID, or `classic/<region>`. */
  readonly network: string;
  /**
   * Its private addresses with the network's prefix lengths: IPv4 first (`172.31.0.5/16`), then
   * its IPv6 addresses (`2600:1f18:…:5/56`).
   */
  readonly addressCidrs: readonly string[];
  /** The ruleset with every group set empty: equal structures differ only in set members. */
  readonly structure: string;
  /** The whole ruleset, members included (`renderRuleset`). */
  readonly ruleset: string;
  /** group ID → member addresses, for every group the rules name as a peer. */
  readonly members: ReadonlyMap<string, readonly string[]>;
}
