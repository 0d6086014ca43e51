import { unreachable } from '../domain/unreachable.js';
import { holdsGroups, type Instance } from '../domain/instance.js';
import type { ChangeRecord } from '../state/change-record.js';
import type { DocumentOf } from '../state/resource-kind.js';
import { DOCUMENT_KINDS, type DocumentKind, type ReadView } from '../state/view.js';
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
 * held; `select` then says, record by record, what the host must be sent. A record about
 * something the host holds is sent as it is, so the host's copy stays exact; a resource that
 * becomes needed (a rule names a new peer group, an instance joins a peer group, a local instance
 * takes a new group) is sent as its current document before the record. What a host holds only
 * grows while the connection lasts (a resource no longer needed keeps being followed, so it never
 * goes stale); a new connection starts from a fresh snapshot. Which records bear on enforcement at
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
  readonly #instances = new Set<string>();
  /** Groups whose rules the host holds: groups its instances hold or held. */
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
    for (const instance of this.#view.instances.values()) if (instance.hostName === this.#hostName) this.#takeInstance(instance, out);
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
        break;
      case 'prefixList':
        relevant = this.#prefixLists.has(impact.prefixListId);
        break;
      case 'instances': {
        // The record goes as it is only if the host holds every instance it names (an
        // InstancesLaunched names new ones): otherwise the host would hold instances this scope
        // does not follow. Instead, each instance that concerns it comes as its current document.
        const heldBefore = impact.instanceIds.filter((id) => this.#instances.has(id));
        relevant = heldBefore.length === impact.instanceIds.length;
        for (const id of impact.instanceIds) {
          const instance = this.#view.instances.get(id);
          if (instance === undefined) continue;
          const wasHeld = heldBefore.includes(id);
          if (wasHeld && !relevant) out.push({ kind: 'instance', body: instance });
          // A local instance may now hold a group the host has not seen: that comes with it.
          if (wasHeld || this.#instances.has(id) || this.#concerns(instance)) this.#takeInstance(instance, out);
        }
        break;
      }
      default:
        unreachable(impact);
    }
    if (!relevant && out.length === 0) return NOTHING;
    return { documents: sortByKind(out), record: relevant ? record : undefined };
  }

  /** Reports whether the host needs this instance it does not hold: placed on it, or a member of a peer group. */
  #concerns(instance: Instance): boolean {
    if (instance.hostName === this.#hostName) return true;
    return holdsGroups(instance) && instance.groupIds.some((g) => this.#peerGroups.has(g));
  }

  /** Takes an instance (if not held) and, for a local one, its VPC, groups, rules and what they name. */
  #takeInstance(instance: Instance, out: ScopedDocument[]): void {
    if (!this.#instances.has(instance.instanceId)) {
      this.#instances.add(instance.instanceId);
      out.push({ kind: 'instance', body: instance });
    }
    if (instance.hostName !== this.#hostName) return;
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
        for (const member of this.#view.membersOf(peer.groupId)) {
          if (this.#instances.has(member.instanceId)) continue;
          this.#instances.add(member.instanceId);
          out.push({ kind: 'instance', body: member });
        }
      } else if (peer.kind === 'prefixList' && !this.#prefixLists.has(peer.prefixListId)) {
        this.#prefixLists.add(peer.prefixListId);
        const list = this.#view.prefixList(peer.prefixListId);
        if (list !== undefined) out.push({ kind: 'prefixList', body: list });
      }
    }
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
