import type { ChangeRecord } from '../state/change-record.js';

/** One live follower of the change log (an open `GET /feed` stream). */
export interface FeedSubscriber {
  /** Takes newly committed, durable records in revision order. Must not block. */
  deliver(records: readonly ChangeRecord[]): void;
  /** Bytes written to this subscriber and not yet taken by its socket. */
  bufferedBytes(): number;
  /** Ends the stream: `victim` when it fell too far behind, `closing` at shutdown. */
  end(reason: 'victim' | 'closing'): void;
  /**
   * The stream sends documents read from the server's view (the host feed), not only records: a
   * view refilled after a failed batch may have shown it state that was never committed, so the
   * stream is ended and its reader starts again from a fresh snapshot.
   */
  readonly readsView?: boolean;
}

/**
 * Fans committed change records out to the open feeds (issue 5; etcd's watchable store). The
 * commit hook calls `publish`; records reach subscribers only once durable, so no host enforces a
 * change a power loss could take back. A subscriber whose buffer exceeds `maxBufferedBytes` is a
 * "victim" (etcd): its stream is ended at once and it resumes with `since=<last revision seen>`,
 * so a stalled reader never makes the writer wait or hold unbounded memory.
 */
export class WatchHub {
  readonly #subscribers = new Set<FeedSubscriber>();
  readonly #durableBarrier: () => Promise<void> | undefined;
  readonly #maxBufferedBytes: number;
  /** Records committed but not yet known durable; drained in order by `#deliver`. */
  #undelivered: ChangeRecord[] = [];
  #delivering = false;
  /** Feeds about to open, waiting for the hub to reach the revision their server had synced to. */
  #waiters: { revision: number; resolve: () => void }[] = [];
  /** The last revision handed to subscribers: everything up to it is durable and published. */
  deliveredRevision: number;
  /** How many subscribers were ended for falling behind, since start. */
  victims = 0;

  constructor(options: { revision: number; durableBarrier: () => Promise<void> | undefined; maxBufferedBytes: number }) {
    this.deliveredRevision = options.revision;
    this.#durableBarrier = options.durableBarrier;
    this.#maxBufferedBytes = options.maxBufferedBytes;
  }

  /** The number of open subscribers. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Adds a subscriber; it receives every record published after `deliveredRevision`. Returns its removal. */
  subscribe(subscriber: FeedSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** Takes records just committed (the commit hook); they are delivered once durable. */
  publish(records: readonly ChangeRecord[]): void {
    this.#undelivered.push(...records);
    if (this.#delivering) return;
    this.#delivering = true;
    void this.#deliver();
  }

  /** Resolves once every record up to `revision` has been delivered (published and durable). */
  delivered(revision: number): Promise<void> {
    if (this.deliveredRevision >= revision) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ revision, resolve }));
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: { revision: number; resolve: () => void }[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.revision <= this.deliveredRevision) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }

  /** The view was refilled from the store: ends every stream that read documents from it. */
  viewReloaded(): void {
    for (const subscriber of [...this.#subscribers]) {
      if (subscriber.readsView !== true) continue;
      this.#subscribers.delete(subscriber);
      subscriber.end('closing');
    }
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      this.#subscribers.delete(subscriber);
      subscriber.end('closing');
    }
  }

  async #deliver(): Promise<void> {
    while (this.#undelivered.length > 0) {
      // The commit queue sets its durability barrier right after the hook returns: look one tick later.
      await Promise.resolve();
      const batch = this.#undelivered;
      this.#undelivered = [];
      // A failed fsync stops the process (commit-queue.ts onFatal): those records are never delivered.
      const barrier = this.#durableBarrier();
      if (barrier !== undefined && !(await barrier.then(() => true, () => false))) {
        this.#delivering = false;
        return;
      }
      const last = batch[batch.length - 1];
      if (last !== undefined) this.deliveredRevision = last.revision;
      this.#wakeWaiters();
      for (const subscriber of [...this.#subscribers]) {
        subscriber.deliver(batch);
        if (subscriber.bufferedBytes() > this.#maxBufferedBytes) this.#victimize(subscriber);
      }
    }
    this.#delivering = false;
  }

  /** Ends a subscriber that is behind (also used by the endpoint for heartbeats it cannot take). */
  victimizeIfBehind(subscriber: FeedSubscriber): void {
    if (this.#subscribers.has(subscriber) && subscriber.bufferedBytes() > this.#maxBufferedBytes) this.#victimize(subscriber);
  }

  #victimize(subscriber: FeedSubscriber): void {
    this.#subscribers.delete(subscriber);
    this.victims++;
    subscriber.end('victim');
  }
}
