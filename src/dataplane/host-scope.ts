import { unreachable } from '../domain/unreachable.js';
import { heldGroupsOf, type Instance } from '../domain/instance.js';
import type { ChangeRecord } from '../state/change-record.js';
import type { DocumentOf } from '../state/resource-kind.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../state/document-kind.js';
import type { ReadView } from '../state/view.js';
import { policyImpact } from './policy-impact.js';

/** One stored document as a host receives it. */
export interface ScopedDocument {
  readonly kind: DocumentKind;
  readonly body: unknown;
}

/** What one change record means for one host: documents it now needs, then the record if it concerns what it holds. */
export interface ScopedDelivery {
  readonly documents: readonly ScopedDocument[];
  readonly record: ChangeRecord | undefined;
}

const NOTHING: ScopedDelivery = { documents: [], record: undefined };
const KIND_ORDER = new Map<DocumentKind, number>(DOCUMENT_KINDS.map((kind, i) => [kind, i]));

/**
 * The part of the state one host needs to enforce its instances, and the filter of the change log
 * down to it (issue 10: "only what concerns the host"). A host needs:
 * - its own instances (placed on it, terminated ones included so their namespaces can go), and the
 *   VPC each is in (its CIDR is the instance's link);
 * - the groups those instances hold, with their rules (the policies);
 * - for every group those rules name as a peer, its member instances (the peer address sets);
 * - every prefix list those rules name.
 *
 * Per feed connection: `snapshot` gives the documents for the state now and remembers them as
 * held; `select` then says, record by record, what the host must be sent. A record about its
 * groups, rules, prefix lists or own instances is sent as it is, so the host's copy stays exact;
 * a resource that becomes needed (a rule names a new peer group, an instance joins a peer group, a
 * local instance takes a new group) is sent as its current document before the record; an instance
 * of another host is sent again only when its membership of a peer group changes, since nothing
 * else about it bears on this host. What a host holds only grows while the connection lasts (a
 * resource no longer needed stops being followed, and is sent whole again if it is needed again);
 * a new connection starts from a fresh snapshot. Which records bear on enforcement at
 * all is `policyImpact`, the same table the agent applies them with.
 *
 * Pure: reads a view that has applied at least every record passed to `select`. It may be ahead
 * by records not yet delivered: the documents it sends are then newer, and the records that
 * follow, which carry full new state, change nothing. It may even show a batch that is still
 * committing; should that batch fail, the server refills its view and ends every host feed
 * (`WatchHub.viewReloaded`), so no host keeps state that was never committed.
 */
export class HostScope {
  readonly #hostName: string;
  readonly #view: ReadView;
  /**
   * Instances the host holds → the groups they hold in the host's copy. For an instance of
   * another host only its membership of peer groups matters to this one, so a change that leaves
   * that alone is not sent, and the copy may be stale in other ways (`#send` puts that right
   * before it could matter).
   */
  readonly #instances = new Map<string, readonly string[]>();
  /** The host's own instances (terminated ones too). */
  readonly #local = new Set<string>();
  /** Groups whose rules the host follows: groups its instances hold. */
  readonly #ruleGroups = new Set<string>();
  /** Groups whose members the host holds: peers named by the rules of `#ruleGroups`. */
  readonly #peerGroups = new Set<string>();
  readonly #prefixLists = new Set<string>();
  readonly #vpcs = new Set<string>();

  constructor(hostName: string, view: ReadView) {
    this.#hostName = hostName;
    this.#view = view;
  }

  /** What the host needs now, in the order a view loads documents; all of it is held from now on. */
  snapshot(): ScopedDocument[] {
    const out: ScopedDocument[] = [];
    for (const instance of this.#view.instances.values()) if (this.#isLocal(instance)) this.#takeInstance(instance, out);
    return sortByKind(out);
  }

  /** What to send the host for `record`, the next record of the log (revision order). */
  select(record: ChangeRecord): ScopedDelivery {
    const impact = policyImpact(record.change);
    const out: ScopedDocument[] = [];
    let relevant = false;
    switch (impact.kind) {
      case 'none':
        return NOTHING;
      case 'groupRules':
        if (!this.#ruleGroups.has(impact.groupId)) return NOTHING;
        relevant = true;
        this.#takeRulePeers(impact.groupId, out);
        // A revoked rule may have been the last to name a peer group or a prefix list.
        this.#narrow();
        break;
      case 'prefixList':
        relevant = this.#prefixLists.has(impact.prefixListId);
        break;
      case 'instances': {
        const instances = impact.instanceIds.map((id) => this.#view.instances.get(id));
        // The record itself goes only when it is about the host's own instances, all held (an
        // InstancesLaunched names new ones). Any other instance that concerns the host comes as
        // its current document — an instance of another host only when its membership of a peer
        // group changed.
        relevant = instances.every((i) => i !== undefined && this.#isLocal(i) && this.#instances.has(i.instanceId));
        for (const instance of instances) {
          if (instance === undefined) continue;
          if (relevant) this.#instances.set(instance.instanceId, heldGroupsOf(instance));
          else if (this.#isLocal(instance) || this.#instances.has(instance.instanceId) || this.#concerns(instance)) this.#send(instance, out);
          // A local instance may now hold a group the host has not seen: that comes with it.
          if (this.#isLocal(instance)) this.#takeInstance(instance, out);
        }
        // ...or no longer hold one that no other local instance holds.
        if (instances.some((i) => i !== undefined && this.#isLocal(i))) this.#narrow();
        break;
      }
      default:
        unreachable(impact);
    }
    if (!relevant && out.length === 0) return NOTHING;
    return { documents: sortByKind(out), record: relevant ? record : undefined };
  }

  #isLocal(instance: Instance): boolean {
    return instance.hostName === this.#hostName;
  }

  /** Reports whether the host needs this instance it does not hold: placed on it, or a member of a peer group. */
  #concerns(instance: Instance): boolean {
    if (this.#isLocal(instance)) return true;
    return heldGroupsOf(instance).some((g) => this.#peerGroups.has(g));
  }

  /**
   * Sends the instance's current document unless the host's copy is as good: held, of another
   * host, and a member of the same peer groups.
   */
  #send(instance: Instance, out: ScopedDocument[]): void {
    const copy = this.#instances.get(instance.instanceId);
    const now = heldGroupsOf(instance);
    if (copy !== undefined && !this.#isLocal(instance) && this.#peerKey(copy) === this.#peerKey(now)) return;
    this.#instances.set(instance.instanceId, now);
    out.push({ kind: 'instance', body: instance });
  }

  /** The peer groups among `groups`, as one comparable string. */
  #peerKey(groups: readonly string[]): string {
    return groups.filter((g) => this.#peerGroups.has(g)).sort().join(' ');
  }

  /** Takes an instance (if not held) and, for a local one, its VPC, groups, rules and what they name. */
  #takeInstance(instance: Instance, out: ScopedDocument[]): void {
    if (!this.#instances.has(instance.instanceId)) this.#send(instance, out);
    if (!this.#isLocal(instance)) return;
    this.#local.add(instance.instanceId);
    if (instance.vpcId !== undefined && !this.#vpcs.has(instance.vpcId)) {
      this.#vpcs.add(instance.vpcId);
      this.#push('vpc', instance.vpcId, out);
    }
    for (const groupId of instance.groupIds) {
      if (this.#ruleGroups.has(groupId)) continue;
      this.#ruleGroups.add(groupId);
      this.#push('group', groupId, out);
      for (const rule of this.#view.rulesOf(groupId)) out.push({ kind: 'rule', body: rule });
      this.#takeRulePeers(groupId, out);
    }
  }

  /** Takes the peer groups' members and the prefix lists that the rules of `groupId` name. */
  #takeRulePeers(groupId: string, out: ScopedDocument[]): void {
    for (const rule of this.#view.rulesOf(groupId)) {
      const peer = rule.peer;
      if (peer.kind === 'group' && !this.#peerGroups.has(peer.groupId)) {
        this.#peerGroups.add(peer.groupId);
        // Copies the host holds may be stale about this group (its membership did not matter
        // until now): every copy that says it is a member, and every member, comes up to date.
        for (const [instanceId, copy] of this.#instances) {
          const instance = this.#view.instances.get(instanceId);
          if (instance !== undefined && copy.includes(peer.groupId)) this.#send(instance, out);
        }
        for (const member of this.#view.membersOf(peer.groupId)) this.#send(member, out);
      } else if (peer.kind === 'prefixList' && !this.#prefixLists.has(peer.prefixListId)) {
        this.#prefixLists.add(peer.prefixListId);
        const list = this.#view.prefixList(peer.prefixListId);
        if (list !== undefined) out.push({ kind: 'prefixList', body: list });
      }
    }
  }

  /**
   * Stops following groups no local instance holds any more, and the peer groups and prefix lists
   * no followed rule names. The host keeps its copies; should one be needed again, it is sent again
   * whole (a group document, which replaces the host's rules of that group, then its rules; a peer
   * group's members and every copy that claims to be one), so a copy left stale meanwhile never
   * counts.
   */
  #narrow(): void {
    const groups = new Set<string>();
    for (const id of this.#local) {
      const instance = this.#view.instances.get(id);
      if (instance !== undefined) for (const g of heldGroupsOf(instance)) groups.add(g);
    }
    for (const g of this.#ruleGroups) if (!groups.has(g)) this.#ruleGroups.delete(g);
    const peers = new Set<string>();
    const lists = new Set<string>();
    for (const g of this.#ruleGroups) {
      for (const rule of this.#view.rulesOf(g)) {
        if (rule.peer.kind === 'group') peers.add(rule.peer.groupId);
        else if (rule.peer.kind === 'prefixList') lists.add(rule.peer.prefixListId);
      }
    }
    for (const p of this.#peerGroups) if (!peers.has(p)) this.#peerGroups.delete(p);
    for (const l of this.#prefixLists) if (!lists.has(l)) this.#prefixLists.delete(l);
  }

  #push<K extends DocumentKind>(kind: K, id: string, out: ScopedDocument[]): void {
    const body: DocumentOf<K> | undefined = this.#view.document(kind, id);
    if (body !== undefined) out.push({ kind, body });
  }
}


/** Stable sort into DOCUMENT_KINDS order (a VPC before its groups, a group before its rules). */
function sortByKind(documents: ScopedDocument[]): ScopedDocument[] {
  return documents.sort((a, b) => (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0));
}
