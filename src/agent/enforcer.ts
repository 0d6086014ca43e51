import { renderGroupMembershipChange, renderReplaceTransaction } from '../dataplane/nft-ruleset.js';
import type { NftApplyResult } from './nft-apply.js';
import type { DesiredInstance, HostModel } from './host-model.js';
import type { InstanceAttachment } from './instance-network.js';

/** The namespace operations the enforcer needs (HostNetwork; a fake in unit tests). */
export interface InstanceNetwork {
  existingNamespaces(): Promise<ReadonlySet<string>>;
  createInstanceNamespace(instanceId: string): Promise<void>;
  /** `fresh`: the namespace was made by `createInstanceNamespace` since the last attach. */
  ensureAttached(instance: InstanceAttachment, fresh: boolean): Promise<void>;
  removeInstance(instanceId: string): Promise<boolean>;
}

/** Runs one nft transaction in a namespace (applyNftTransaction; a fake in unit tests). */
export type NftRunner = (namespace: string, transaction: string) => Promise<NftApplyResult>;

/** What an instance's last pass left behind. */
export interface InstanceEnforcement {
  /** The last revision fully in force, undefined before the first success. */
  readonly enforcedRevision: number | undefined;
  /** Why the last attempt failed; undefined once a pass succeeds. */
  readonly failure: string | undefined;
}

/** Counters for metrics and the propagation benchmark. */
export interface EnforcerStats {
  /** nft processes run (each one transaction). */
  nftTransactions: number;
  fullReplaces: number;
  membershipUpdates: number;
  failures: number;
  namespacesCreated: number;
  namespacesRemoved: number;
}

interface InstanceState {
  /** What the kernel holds, as far as we know; undefined when unknown (replace the whole table). */
  applied: { readonly structure: string; readonly members: ReadonlyMap<string, readonly string[]> } | undefined;
  /** `eth0` verified (or made) by this agent since its start or the last full pass. */
  attached: boolean;
  enforcedRevision: number | undefined;
  failure: string | undefined;
  failures: number;
  retryTimer: NodeJS.Timeout | undefined;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Brings each instance's namespace to what the model wants (issue 5), one instance at a time and
 * at most `concurrency` at once. Work is queued by instance, not by change: an instance dirtied
 * again while queued is still one item, and one dirtied while its transaction runs is looked at
 * again afterwards, so a burst of changes costs one transaction per instance (coalescing). Each
 * pass renders from the model as it is then:
 * - no namespace yet: create it, load the table (default deny) and only then attach `eth0`, so it
 *   is never on the wire unfiltered;
 * - same rules as last applied, other members: one `delete element`/`add element` transaction;
 * - otherwise, or when the kernel's state is unknown: one transaction replacing the whole table.
 * A refused transaction changes nothing (nft commits whole or not at all): the previous ruleset
 * stays — fail-closed — the failure is reported, and the instance is retried with backoff. Change
 * work goes first; full passes (`reconcileAll`) queue behind it.
 */
export class Enforcer {
  model: HostModel;
  readonly stats: EnforcerStats = { nftTransactions: 0, fullReplaces: 0, membershipUpdates: 0, failures: 0, namespacesCreated: 0, namespacesRemoved: 0 };
  readonly #network: InstanceNetwork;
  readonly #nft: NftRunner;
  readonly #concurrency: number;
  readonly #onProgress: () => void;
  readonly #states = new Map<string, InstanceState>();
  /** Instances to look at because something changed, in the order they were dirtied. */
  readonly #urgent = new Set<string>();
  /** Instances to look at in a full pass. */
  readonly #background = new Set<string>();
  /** Instances whose next pass must replace the whole table. */
  readonly #replace = new Set<string>();
  /** Instances being worked on, and whether for a change (urgent) or a full pass. */
  readonly #inFlight = new Map<string, 'urgent' | 'background'>();
  #paused = true;
  #idleWaiters: (() => void)[] = [];

  constructor(options: { model: HostModel; network: InstanceNetwork; nft: NftRunner; concurrency?: number; onProgress?: () => void }) {
    this.model = options.model;
    this.#network = options.network;
    this.#nft = options.nft;
    this.#concurrency = options.concurrency ?? 8;
    this.#onProgress = options.onProgress ?? (() => undefined);
  }

  /** Queues instances whose desired state may have changed. */
  markDirty(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) {
      this.#background.delete(id);
      this.#urgent.add(id);
    }
    this.#pump();
  }

  /**
   * Queues every instance of the host for a full pass: the whole table replaced (repairing a
   * ruleset changed by hand), `eth0` checked, namespaces of terminated instances removed.
   */
  reconcileAll(): void {
    for (const id of this.model.localInstanceIds()) {
      this.#replace.add(id);
      const state = this.#states.get(id);
      if (state !== undefined) state.attached = false;
      if (!this.#urgent.has(id)) this.#background.add(id);
    }
    this.#pump();
  }

  /** Holds all work (while the model catches up after a connection). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#pump();
  }

  /**
   * Reports whether no change of the instance waits or runs. Full-pass work does not count: it
   * re-applies what is already in force.
   */
  isSettled(instanceId: string): boolean {
    return !this.#urgent.has(instanceId) && this.#inFlight.get(instanceId) !== 'urgent';
  }

  /** What the last pass of an instance left; undefined for one never looked at (or removed). */
  enforcementOf(instanceId: string): InstanceEnforcement | undefined {
    return this.#states.get(instanceId);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops retries; work in flight finishes. */
  stop(): void {
    this.#paused = true;
    for (const state of this.#states.values()) clearTimeout(state.retryTimer);
  }

  #isIdle(): boolean {
    return this.#inFlight.size === 0 && (this.#paused || (this.#urgent.size === 0 && this.#background.size === 0));
  }

  #pump(): void {
    while (!this.#paused && this.#inFlight.size < this.#concurrency) {
      const taken = this.#takeNext();
      if (taken === undefined) break;
      const [next, kind] = taken;
      this.#inFlight.set(next, kind);
      void this.#sync(next).finally(() => {
        this.#inFlight.delete(next);
        this.#onProgress();
        this.#pump();
      });
    }
    if (this.#isIdle()) for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /** The first queued instance that is not already being worked on, urgent ones first. */
  #takeNext(): [string, 'urgent' | 'background'] | undefined {
    for (const [queue, kind] of [[this.#urgent, 'urgent'], [this.#background, 'background']] as const) {
      for (const id of queue) {
        if (this.#inFlight.has(id)) continue;
        queue.delete(id);
        return [id, kind];
      }
    }
    return undefined;
  }

  async #sync(instanceId: string): Promise<void> {
    const revision = this.model.revision;
    const desired = this.model.desiredOf(instanceId);
    if (desired === undefined) return this.#remove(instanceId);
    const state = this.#stateOf(instanceId);
    let fresh = false;
    try {
      if (!state.attached) {
        const existed = (await this.#network.existingNamespaces()).has(instanceId);
        if (!existed) {
          await this.#network.createInstanceNamespace(instanceId);
          this.stats.namespacesCreated++;
          state.applied = undefined;
          fresh = true;
        }
      }
      const replace = this.#replace.delete(instanceId) || state.applied === undefined || state.applied.structure !== desired.structure;
      await this.#applyRuleset(instanceId, state, desired, replace);
      if (!state.attached) {
        await this.#network.ensureAttached(desired, fresh);
        state.attached = true;
      }
      state.enforcedRevision = revision;
      state.failure = undefined;
      state.failures = 0;
    } catch (error) {
      this.#failed(instanceId, state, error instanceof Error ? error.message : String(error));
    }
  }

  async #applyRuleset(instanceId: string, state: InstanceState, desired: DesiredInstance, replace: boolean): Promise<void> {
    if (!replace && state.applied !== undefined) {
      let transaction = '';
      for (const [groupId, members] of desired.members) {
        transaction += renderGroupMembershipChange(groupId, state.applied.members.get(groupId) ?? [], members);
      }
      if (transaction === '') return;
      const result = await this.#run(instanceId, transaction);
      if (result.kind === 'applied') {
        this.stats.membershipUpdates++;
        state.applied = { structure: desired.structure, members: desired.members };
        return;
      }
      // The sets were not what we thought (edited by hand?): fall back to replacing the table.
      state.applied = undefined;
    }
    const result = await this.#run(instanceId, renderReplaceTransaction(desired.ruleset));
    if (result.kind !== 'applied') {
      // `failed` may have applied anything or nothing: the next pass replaces the whole table.
      if (result.kind === 'failed') state.applied = undefined;
      throw new Error(`nft ${result.kind}: ${result.message}`);
    }
    this.stats.fullReplaces++;
    state.applied = { structure: desired.structure, members: desired.members };
  }

  #run(instanceId: string, transaction: string): Promise<NftApplyResult> {
    this.stats.nftTransactions++;
    return this.#nft(instanceId, transaction);
  }

  async #remove(instanceId: string): Promise<void> {
    const state = this.#states.get(instanceId);
    if (state !== undefined) clearTimeout(state.retryTimer);
    this.#states.delete(instanceId);
    this.#replace.delete(instanceId);
    try {
      if (await this.#network.removeInstance(instanceId)) this.stats.namespacesRemoved++;
      this.model.forget(instanceId);
    } catch {
      // Left for the next full pass, which looks at every instance ever placed here.
    }
  }

  /** Keeps whatever ruleset is loaded, records why, and tries again later. */
  #failed(instanceId: string, state: InstanceState, message: string): void {
    this.stats.failures++;
    state.failure = message;
    state.failures++;
    // A namespace that vanished (deleted by hand) is made again on the retry.
    state.attached = false;
    clearTimeout(state.retryTimer);
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(state.failures - 1, 10));
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      if (this.#states.get(instanceId) === state) this.markDirty([instanceId]);
    }, delay);
    state.retryTimer.unref();
  }

  #stateOf(instanceId: string): InstanceState {
    let state = this.#states.get(instanceId);
    if (state === undefined) {
      state = { applied: undefined, attached: false, enforcedRevision: undefined, failure: undefined, failures: 0, retryTimer: undefined };
      this.#states.set(instanceId, state);
    }
    return state;
  }
}
