import type { EnforcementReport, Store } from '../state/store.js';
import type { ReadView } from '../state/view.js';

/** What a host last reported for an instance: the revision in force, and why a newer one is not. */
export interface Enforcement {
  readonly revision: number;
  readonly failure: string | undefined;
}

/**
 * The revision each host last reported as enforced, per instance (issue 5: "report back the
 * revision they have enforced for each instance"), kept in the store (issue 10): a restarted
 * server, or any replica, answers `/propagation` from what hosts reported, at once.
 */
export class EnforcedRevisions {
  readonly #store: Store;
  /**
   * Called with every batch of reports this process recorded, once stored (the console's live
   * stream: "desired vs enforced" without a reload). Added and removed by the streams; reports
   * recorded by another replica are not seen here.
   */
  readonly #listeners = new Set<(reports: readonly EnforcementReport[]) => void>();

  constructor(store: Store) {
    this.#store = store;
  }

  /**
   * Records a host's report. Only instances placed on that host are recorded; the others are
   * returned as `ignored` (a host cannot speak for another's instances). The latest report wins.
   */
  async record(
    view: ReadView,
    hostName: string,
    reports: ReadonlyMap<string, number>,
    failures: ReadonlyMap<string, string> = new Map(),
  ): Promise<{ recorded: string[]; ignored: string[] }> {
    const recorded: EnforcementReport[] = [];
    const ignored: string[] = [];
    for (const [instanceId, revision] of reports) {
      if (view.instances.get(instanceId)?.hostName !== hostName) ignored.push(instanceId);
      else recorded.push({ instanceId, hostName, revision, failure: failures.get(instanceId) });
    }
    await this.#store.recordEnforcement(recorded);
    if (recorded.length > 0) for (const listener of this.#listeners) listener(recorded);
    return { recorded: recorded.map((r) => r.instanceId), ignored };
  }

  /** Calls `listener` with each batch of reports recorded from now on; returns its removal. Listeners must not throw. */
  onRecorded(listener: (reports: readonly EnforcementReport[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The last report of each instance; revision 0 and no failure for one never reported. */
  async of(instanceIds: readonly string[]): Promise<ReadonlyMap<string, Enforcement>> {
    const stored = await this.#store.enforcementOf(instanceIds);
    return new Map(instanceIds.map((id) => [id, { revision: stored.get(id)?.revision ?? 0, failure: stored.get(id)?.failure }]));
  }
}
