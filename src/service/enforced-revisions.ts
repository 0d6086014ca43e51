import type { ReadView } from '../state/view.js';

/**
 * The revision each host last reported as enforced, per instance (issue 5: "report back the
 * revision they have enforced for each instance"). Held in memory only: after a restart every
 * instance reads as not enforced (0) until its host reports again, which errs on the safe side
 * for a caller waiting until a change is in force.
 */
export class EnforcedRevisions {
  /** instance ID → last reported revision; written by `record`, read by `enforcedRevision`. */
  readonly #enforced = new Map<string, number>();
  /** instance ID → why its host's last attempt failed (fail-closed: the old ruleset stays). */
  readonly #failures = new Map<string, string>();

  /**
   * Records a host's report. Only instances placed on that host are recorded; the others are
   * returned as `ignored` (a host cannot speak for another's instances). The latest report wins.
   */
  record(
    view: ReadView,
    hostName: string,
    reports: ReadonlyMap<string, number>,
    failures: ReadonlyMap<string, string> = new Map(),
  ): { recorded: string[]; ignored: string[] } {
    const recorded: string[] = [];
    const ignored: string[] = [];
    for (const [instanceId, revision] of reports) {
      if (view.instances.get(instanceId)?.hostName !== hostName) ignored.push(instanceId);
      else {
        this.#enforced.set(instanceId, revision);
        const failure = failures.get(instanceId);
        if (failure === undefined) this.#failures.delete(instanceId);
        else this.#failures.set(instanceId, failure);
        recorded.push(instanceId);
      }
    }
    return { recorded, ignored };
  }

  /** Why the host's last attempt for the instance failed, or undefined when it did not. */
  enforcementFailure(instanceId: string): string | undefined {
    return this.#failures.get(instanceId);
  }

  /** The revision last reported for the instance, or 0 when none was. */
  enforcedRevision(instanceId: string): number {
    return this.#enforced.get(instanceId) ?? 0;
  }
}
