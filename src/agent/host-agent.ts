import type { ChangeRecord } from '../state/change-record.js';
import { Enforcer, type EnforcerStats, type InstanceNetwork, type NftRunner } from './enforcer.js';
import { EnforcementReporter, type EnforcementReport } from './enforcement-reporter.js';
import { FeedFollower } from './feed-follower.js';
import { fetchSnapshot } from './snapshot-client.js';
import { HostModel } from './host-model.js';
import type { HostCredentials } from './host-signer.js';
import { HostNetwork } from './instance-network.js';
import { applyNftTransaction } from './nft-apply.js';

/** How `stockade agent` is configured. */
export interface HostAgentOptions {
  /** Replicas of one Stockade; the feed and the reports go to one at a time, the next after a failure. */
  readonly serverUrls: readonly URL[];
  readonly hostName: string;
  readonly credentials: HostCredentials;
  /** The SigV4 scope region of the agent's requests. */
  readonly region: string;
  /** Interval of full passes (every table replaced, links checked); 0 turns them off. Default 60 s. */
  readonly resyncIntervalMs?: number;
  /** Namespaces worked on at once. Default 8. */
  readonly concurrency?: number;
  readonly idleTimeoutMs?: number;
  readonly log: AgentLog;
  /** For tests: replace the namespace and nft side. */
  readonly network?: InstanceNetwork & { forget?(): void };
  readonly nft?: NftRunner;
}

/** The agent at a glance (metrics and health). */
export interface AgentStatus {
  readonly revision: number;
  readonly connected: boolean;
  /** Instances of this host in force, with a change waiting or running, and failing. */
  readonly enforced: number;
  readonly pending: number;
  readonly failing: number;
  readonly stats: Readonly<EnforcerStats>;
}

/** Where the agent says what it does (pino in the CLI). */
export interface AgentLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const DEFAULT_RESYNC_MS = 60_000;

/**
 * The host agent (issue 5): follows the change feed into a replica of the server's view
 * (`HostModel`), enforces every instance placed on this host in its own namespace (`Enforcer`),
 * and reports the revisions in force (`EnforcementReporter`).
 *
 * Level-triggered: on every (re)connection the agent waits until it has applied everything the
 * server had at that moment, then queues a full pass over every instance; a full pass also runs
 * every `resyncIntervalMs`, so a ruleset changed by hand or a namespace deleted by hand is
 * repaired. If the server's log is behind the agent's (a new or restored data directory) or a
 * revision is skipped, the agent starts again from revision 0 with an empty model.
 */
export class HostAgent {
  readonly #options: HostAgentOptions;
  readonly #network: InstanceNetwork & { forget?(): void };
  readonly #enforcer: Enforcer;
  readonly #reporter: EnforcementReporter;
  readonly #follower: FeedFollower;
  #model: HostModel;
  /** The server's durable revision when the current connection opened: caught up once applied. */
  #catchUpTo = 0;
  /** A full pass is due once the current connection has caught up. */
  #pendingFullPass = true;
  /** Start (and every reset) from a snapshot of the server's state, not from revision 0 of its log. */
  #needSnapshot = true;
  /** The model's revision when the current connection caught up (see `reports`). */
  #reportFloor = 0;
  #resyncTimer: NodeJS.Timeout | undefined;
  #caughtUpWaiters: (() => void)[] = [];
  /** Connections opened so far: none means the model has not caught up with anything yet. */
  #connections = 0;
  /** Whether the feed is connected now. */
  #feedConnected = false;

  constructor(options: HostAgentOptions) {
    this.#options = options;
    this.#model = new HostModel(options.hostName);
    const network = options.network ?? new HostNetwork(options.hostName);
    this.#network = network;
    this.#enforcer = new Enforcer({
      model: this.#model,
      network,
      nft: options.nft ?? ((namespace, transaction) => applyNftTransaction(namespace, transaction)),
      concurrency: options.concurrency,
      onProgress: () => this.#reporter.schedule(),
    });
    this.#reporter = new EnforcementReporter({
      // Reports go where the feed is: the replica that knows this host is connected.
      serverUrl: () => this.#follower.currentServer,
      credentials: options.credentials,
      region: options.region,
      collect: () => this.reports(),
      onError: (message) => options.log.warn({ err: message }, 'enforcement report not accepted'),
    });
    this.#follower = new FeedFollower({
      serverUrls: options.serverUrls,
      credentials: options.credentials,
      region: options.region,
      idleTimeoutMs: options.idleTimeoutMs,
      since: () => this.#model.revision,
      onConnected: (serverRevision) => this.#connected(serverRevision),
      prepare: (server) => this.#prepare(server),
      onTooOld: () => {
        options.log.warn({ since: this.#model.revision }, 'the server compacted its log past this agent; starting from a snapshot');
        this.#reset();
      },
      onRecords: (records) => this.#records(records),
      // Work already queued goes on: the model is complete up to its revision.
      onDisconnected: (reason, retryInMs) => {
        this.#feedConnected = false;
        options.log.warn({ reason, retryInMs }, 'change feed disconnected');
      },
    });
  }

  /** Counters of the enforcer (nft transactions, replaces, membership updates, failures). */
  get stats(): Readonly<EnforcerStats> {
    return this.#enforcer.stats;
  }

  /** The revision of the last record applied. */
  get revision(): number {
    return this.#model.revision;
  }

  start(): void {
    this.#follower.start();
    const interval = this.#options.resyncIntervalMs ?? DEFAULT_RESYNC_MS;
    if (interval > 0) {
      this.#resyncTimer = setInterval(() => this.#fullPass('periodic'), interval);
      this.#resyncTimer.unref();
    }
  }

  /** Stops following and reporting; namespaces and rulesets stay as they are (instances keep running). */
  async stop(): Promise<void> {
    clearInterval(this.#resyncTimer);
    this.#follower.stop();
    this.#enforcer.stop();
    this.#reporter.stop();
    await this.#enforcer.idle();
  }

  /** The agent at a glance. */
  status(): AgentStatus {
    let enforced = 0;
    let pending = 0;
    let failing = 0;
    for (const instanceId of this.#model.localInstanceIds()) {
      if (!this.#model.runsHere(instanceId)) continue;
      const enforcement = this.#enforcer.enforcementOf(instanceId);
      if (enforcement?.failure !== undefined) failing++;
      else if (enforcement?.enforcedRevision === undefined || !this.#enforcer.isSettled(instanceId)) pending++;
      else enforced++;
    }
    return { revision: this.#model.revision, connected: this.#feedConnected, enforced, pending, failing, stats: { ...this.#enforcer.stats } };
  }

  /** Resolves once the agent has applied everything the server had when it (re)connected and has no work queued. */
  async settled(): Promise<void> {
    if (!this.#caughtUp()) await new Promise<void>((resolve) => this.#caughtUpWaiters.push(resolve));
    await this.#enforcer.idle();
  }

  /**
   * What the agent would report now, per instance of this host that should exist: the revision
   * of its last successful pass. An instance settled and healthy when a connection has caught up
   * is in force at that revision (every record since its last pass was applied, and none dirtied
   * it): `#reportFloor`. The floor moves only then, not with every record, so that a report names
   * only the instances a change touched (the server's desired revision of the others is older).
   */
  reports(): Map<string, EnforcementReport> {
    const reports = new Map<string, EnforcementReport>();
    for (const instanceId of this.#model.localInstanceIds()) {
      if (!this.#model.runsHere(instanceId)) continue;
      const enforcement = this.#enforcer.enforcementOf(instanceId);
      if (enforcement?.enforcedRevision === undefined) continue;
      const floor = enforcement.failure === undefined && this.#enforcer.isSettled(instanceId) ? this.#reportFloor : 0;
      reports.set(instanceId, { revision: Math.max(enforcement.enforcedRevision, floor), failure: enforcement.failure });
    }
    return reports;
  }

  #caughtUp(): boolean {
    return this.#model.revision >= this.#catchUpTo && this.#connections > 0;
  }

  /**
   * Before a connection: after a start or a reset, read the server's snapshot and follow from its
   * revision (issue 10), so start-up costs what exists now, not the history.
   */
  async #prepare(server: URL): Promise<void> {
    if (!this.#needSnapshot) return;
    const snapshot = await fetchSnapshot(server, this.#options.credentials, this.#options.region);
    if (!this.#needSnapshot) return;
    this.#model = HostModel.fromSnapshot(this.#options.hostName, snapshot.revision, snapshot.documents);
    this.#enforcer.model = this.#model;
    this.#needSnapshot = false;
    this.#options.log.info({ revision: snapshot.revision, documents: snapshot.documents.length, instances: this.#model.localInstanceIds().length }, 'started from a snapshot');
  }

  #connected(serverRevision: number): boolean {
    if (serverRevision < this.#model.revision) {
      this.#options.log.warn({ serverRevision, agentRevision: this.#model.revision }, 'server log is behind this agent; starting again from a snapshot');
      this.#reset();
      return false;
    }
    this.#connections++;
    this.#feedConnected = true;
    this.#catchUpTo = serverRevision;
    this.#pendingFullPass = true;
    this.#options.log.info({ since: this.#model.revision, serverRevision }, 'change feed connected');
    this.#reporter.resend();
    this.#checkCaughtUp();
    return true;
  }

  #records(records: readonly ChangeRecord[]): void {
    const first = records[0];
    if (first !== undefined && first.revision > this.#model.revision + 1 && this.#model.revision > 0) {
      this.#options.log.warn({ expected: this.#model.revision + 1, got: first.revision }, 'revision missed; starting again from a snapshot');
      this.#reset();
      this.#follower.reconnectNow();
      return;
    }
    const fresh = records.filter((r) => r.revision > this.#model.revision);
    const dirty = this.#model.apply(fresh);
    this.#enforcer.markDirty(dirty);
    this.#checkCaughtUp();
    this.#reporter.schedule();
  }

  /**
   * After a start or a reset, work starts only once the model holds everything the server had:
   * enforcing every intermediate state of a replay from revision 0 would be wasted (and stale).
   */
  #checkCaughtUp(): void {
    if (!this.#caughtUp()) return;
    if (this.#pendingFullPass) {
      this.#pendingFullPass = false;
      this.#reportFloor = this.#model.revision;
      this.#reporter.schedule();
      this.#fullPass('connected');
    }
    this.#enforcer.resume();
    for (const wake of this.#caughtUpWaiters.splice(0)) wake();
  }

  #fullPass(reason: string): void {
    this.#network.forget?.();
    this.#enforcer.reconcileAll();
    this.#options.log.info({ reason, instances: this.#model.localInstanceIds().length }, 'full reconcile pass queued');
  }

  #reset(): void {
    this.#enforcer.pause();
    this.#model = new HostModel(this.#options.hostName);
    this.#enforcer.model = this.#model;
    this.#needSnapshot = true;
    this.#catchUpTo = 0;
    this.#pendingFullPass = true;
    this.#reportFloor = 0;
  }
}
