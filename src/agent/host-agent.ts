import type { ScopedDocument } from '../dataplane/host-scope.js';
import { Enforcer, type EnforcerStats, type InstanceNetwork, type NftRunner } from './enforcer.js';
import { EnforcementReporter, type EnforcementReport } from './enforcement-reporter.js';
import { FeedFollower, type FeedReceived, type HostFeedEvent } from './feed-follower.js';
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
  /** What the host feed has brought since start (bytes, and lines of each kind). */
  readonly received: Readonly<FeedReceived>;
}

/** Where the agent says what it does (pino in the CLI). */
export interface AgentLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const DEFAULT_RESYNC_MS = 60_000;

/**
 * The host agent (issue 5): follows the host feed (`GET /feed/host`: what concerns this host
 * only, issue 10) into a model of the state its instances need (`HostModel`), enforces every
 * instance placed on this host in its own namespace (`Enforcer`), and reports the revisions in
 * force (`EnforcementReporter`).
 *
 * Level-triggered: every connection opens with a snapshot of this host's part of the state, which
 * replaces the model; once it is in, a full pass over every instance is queued (only what differs
 * from what is applied is changed). A full pass also runs every `resyncIntervalMs`, so a ruleset
 * changed by hand or a namespace deleted by hand is repaired.
 */
export class HostAgent {
  readonly #options: HostAgentOptions;
  readonly #network: InstanceNetwork & { forget?(): void };
  readonly #enforcer: Enforcer;
  readonly #reporter: EnforcementReporter;
  readonly #follower: FeedFollower;
  #model: HostModel;
  /** The current connection's opening snapshot, while its documents arrive. */
  #snapshot: { revision: number; documents: ScopedDocument[] } | undefined;
  /** Documents received since the last record or heartbeat; they come in force with it. */
  #documents: ScopedDocument[] = [];
  /** A full pass is due once the current connection's snapshot is in. */
  #pendingFullPass = true;
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
      onConnected: (serverRevision) => this.#connected(serverRevision),
      onEvents: (events) => this.#events(events),
      // Work already queued goes on: the model is complete up to its revision.
      onDisconnected: (reason, retryInMs) => {
        this.#feedConnected = false;
        options.log.warn({ reason, retryInMs }, 'host feed disconnected');
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
    return { revision: this.#model.revision, connected: this.#feedConnected, enforced, pending, failing, stats: { ...this.#enforcer.stats }, received: { ...this.#follower.received } };
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

  /** The model holds a whole snapshot (and what followed it) of the current or last connection. */
  #caughtUp(): boolean {
    return this.#connections > 0 && this.#snapshot === undefined;
  }

  #connected(serverRevision: number): void {
    this.#feedConnected = true;
    // Until its snapshot is in, the model of the last connection stays in force.
    this.#snapshot = { revision: serverRevision, documents: [] };
    this.#documents = [];
    this.#options.log.info({ agentRevision: this.#model.revision, serverRevision }, 'host feed connected');
  }

  #events(events: readonly HostFeedEvent[]): void {
    const dirty = new Set<string>();
    for (const event of events) {
      switch (event.kind) {
        case 'snapshot':
          this.#snapshot = { revision: event.revision, documents: [] };
          break;
        case 'document':
          (this.#snapshot?.documents ?? this.#documents).push(event.document);
          break;
        case 'record':
          if (this.#snapshot !== undefined) break;
          for (const id of this.#model.take(this.#documents.splice(0), event.record.revision - 1)) dirty.add(id);
          for (const id of this.#model.apply([event.record])) dirty.add(id);
          break;
        case 'heartbeat':
          if (this.#snapshot !== undefined) this.#startFrom(this.#snapshot.revision, this.#snapshot.documents);
          else for (const id of this.#model.take(this.#documents.splice(0), event.revision)) dirty.add(id);
          break;
      }
    }
    this.#enforcer.markDirty(dirty);
    this.#checkCaughtUp();
    this.#reporter.schedule();
  }

  /** A connection's snapshot is in: it becomes the model, and a full pass compares it with what is applied. */
  #startFrom(revision: number, documents: readonly ScopedDocument[]): void {
    this.#model = HostModel.fromSnapshot(this.#options.hostName, revision, documents);
    this.#enforcer.model = this.#model;
    this.#snapshot = undefined;
    this.#connections++;
    this.#pendingFullPass = true;
    this.#reporter.resend();
    this.#options.log.info({ revision, documents: documents.length, instances: this.#model.localInstanceIds().length }, 'started from the host snapshot');
  }

  /** Work starts only once the model holds a whole snapshot: a partial one would remove what is not in it yet. */
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
}
