import type { IdSource } from '../domain/ids.js';
import type { Change, ChangeRecord } from './change-record.js';
import { fillView } from './fill-view.js';
import { StoreUnavailableError, type Store } from './store.js';
import type { ReadView, View } from './view.js';

/** What a write operation may use: the view to validate against, the clock, IDs, and `emit`. */
export interface WriteContext {
  readonly view: ReadView;
  readonly now: Date;
  readonly ids: IdSource;
  /**
   * Records a change: assigns its revision and applies it to the view at once, so that later
   * operations of the same batch see it. Call only after every check has passed.
   */
  emit(accountId: string, region: string, change: Change): void;
}

/** A write: named checks that may throw Ec2Error, then `emit` calls. Must be synchronous. */
export type WriteOperation<T> = (context: WriteContext) => T;

interface Pending {
  readonly operation: WriteOperation<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Records read from the log per page when the view catches up. */
const CATCH_UP_PAGE = 1000;

/**
 * The view's only advancer, and the only writer to the store. It serialises every write and
 * commits them in groups: operations submitted while a batch is being committed share the next
 * transaction (group commit). Each caller's promise settles only once its batch is durable.
 *
 * A batch first takes the store's write lock, which excludes every other writer (other server
 * processes on a shared engine, admin commands beside an embedded one), then applies to the view
 * every record committed elsewhere up to the head it read under that lock, then runs the
 * operations: so every check sees the whole log, and the invariants (duplicates, quotas, unique
 * names, deletes blocked by dependents) hold across processes (docs/architecture.md, Replicas).
 * `sync` brings the view up to the log for readers.
 *
 * An operation that throws before emitting changes nothing; one that throws after emitting is a
 * bug, and the whole batch is rolled back and the view reloaded. A store that cannot be reached
 * fails the batch with StoreUnavailableError and the view is reloaded once it can be. If an
 * embedded commit cannot be made durable, `onFatal` is called: the view is ahead of what the disk
 * is known to hold, so the process must stop (fail-stop).
 */
export class CommitQueue {
  readonly #store: Store;
  readonly #view: View;
  readonly #ids: IdSource;
  readonly #clock: () => Date;
  readonly #onCommitted: (records: readonly ChangeRecord[]) => void;
  readonly #onReload: () => void;
  readonly #onFatal: (error: unknown) => void;
  /** Settles when the batch in flight is committed and durable; undefined when none is. */
  #durable: Promise<void> | undefined;
  /** Operations waiting for the next flush; drained by `#flush`, which a setImmediate schedules. */
  #pending: Pending[] = [];
  #scheduled = false;
  #idle: (() => void)[] = [];
  /** The end of the chain of view-advancing work (batches, catch-ups, reloads): one at a time. */
  #tail: Promise<unknown> = Promise.resolve();
  /** The view may hold what the store does not (a failed batch): reload before using it. */
  #stale = false;
  /** The last revision handed to `onCommitted`: the hooks see every record once, in order. */
  #published: number;
  /** Settles when the last published batch is durable; undefined once it is. */
  #publishedDurable: Promise<void> | undefined;
  /** A head read that has not started yet: every `sync` call made meanwhile shares it. */
  #nextSync: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  #syncRunning = false;

  constructor(options: {
    store: Store;
    view: View;
    ids: IdSource;
    clock: () => Date;
    /** Called with committed records in revision order, each once (feed wake-ups, caches, metrics). */
    onCommitted?: (records: readonly ChangeRecord[]) => void;
    /** Called after the view was refilled from the store (caches derived from it must be dropped). */
    onReload?: () => void;
    /** Called when committed changes could not be made durable; must stop the process. */
    onFatal?: (error: unknown) => void;
  }) {
    this.#store = options.store;
    this.#view = options.view;
    this.#ids = options.ids;
    this.#clock = options.clock;
    this.#published = options.view.revision;
    this.#onCommitted = options.onCommitted ?? (() => {});
    this.#onReload = options.onReload ?? (() => {});
    this.#onFatal =
      options.onFatal ??
      ((error) => {
        throw error;
      });
    // Another replica committed: catch up now, so feeds and caches follow within a round trip.
    this.#store.onForeignCommit((revision) => {
      // After a reconnection the announcement may have been missed: read the head.
      if (revision === undefined) return void this.sync().catch(() => {});
      if (revision <= this.#view.revision) return;
      // Writes are waiting: their batch begins by reading what other replicas committed, under the
      // lock, within a round trip of now. Replicas that both write would otherwise each read the
      // other's every batch twice (issue 12: two replicas' CPU per call).
      if (this.#pending.length > 0) return;
      // The announced revision is committed, so no head query is needed; and queued behind the
      // batch in flight, whose `begin` usually brought the view past it already, this then reads
      // nothing.
      this.#exclusive(() => (this.#stale ? this.#reload() : this.#applyCommitted(revision))).catch(() => {});
    });
  }

  /**
   * Returns a promise that settles when every change visible in the view is committed and durable,
   * or undefined when that is already so. Readers await it before answering, so no client ever
   * sees a change that a power loss or a failed commit could still take back (it rejects then).
   */
  durableBarrier(): Promise<void> | undefined {
    return this.#durable;
  }

  /** Runs `operation` in the next batch; resolves with its result once committed durably. */
  submit<T>(operation: WriteOperation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ operation, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /**
   * Brings the view up to every record committed before the call, by any process (read-your-writes
   * across replicas). On a shared engine that is one head query, shared by every call made while
   * it is not yet sent, then the missing records; the embedded engine answers from a counter.
   */
  sync(): Promise<void> {
    if (!this.#store.shared) return this.#readHeadAndCatchUp();
    const queued = this.#nextSync;
    if (queued !== undefined) return queued.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#nextSync = { promise, resolve, reject };
    if (!this.#syncRunning) void this.#runSyncs();
    return promise;
  }

  /**
   * Returns a promise that resolves when every record handed to `onCommitted` so far is durable,
   * or undefined when that is already so. The feed waits on it: hosts never enforce a change a
   * power loss could take back. It does not wait for a batch still in flight (unlike
   * `durableBarrier`), whose records are not published yet.
   */
  publishedBarrier(): Promise<void> | undefined {
    return this.#publishedDurable;
  }

  /** The last revision handed to `onCommitted`: committed, in the log, seen by every hook. */
  get publishedRevision(): number {
    return this.#published;
  }

  /** Resolves when no write is waiting or running. */
  idle(): Promise<void> {
    if (!this.#scheduled && this.#pending.length === 0 && this.#durable === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #runSyncs(): Promise<void> {
    this.#syncRunning = true;
    for (let waiter = this.#nextSync; waiter !== undefined; waiter = this.#nextSync) {
      this.#nextSync = undefined;
      try {
        // The head is read after every waiter's call began.
        await this.#readHeadAndCatchUp();
        waiter.resolve();
      } catch (error) {
        waiter.reject(error);
      }
    }
    this.#syncRunning = false;
  }

  /**
   * Schedules a flush, unless one is scheduled or a batch is still in flight: no answer can leave
   * before it is durable anyway, so operations arriving meanwhile wait and then share one
   * transaction (measured: a third of the SQLite transactions at the same latency).
   */
  #schedule(): void {
    if (this.#scheduled || this.#durable !== undefined) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  /** Runs view-advancing work after all earlier such work; the embedded engine never yields within. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => {});
    return run;
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    this.#scheduled = false;
    const done = this.#exclusive(() => this.#commit(batch));
    this.#durable = done;
    // Readers attach their own handlers; this one keeps a failure from being unhandled.
    done.then(
      () => this.#afterBatch(done),
      () => this.#afterBatch(done),
    );
  }

  #afterBatch(done: Promise<void>): void {
    if (this.#durable === done) this.#durable = undefined;
    if (this.#pending.length > 0) this.#schedule();
    else this.#settleIdle();
  }

  /**
   * One batch: lock, catch up, check and emit, write, commit, publish, wait for durability, then
   * answer every caller. Rejects (after rejecting its callers) when nothing of it was committed.
   */
  async #commit(batch: readonly Pending[]): Promise<void> {
    const records: ChangeRecord[] = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const now = this.#clock();
    const at = now.toISOString();
    const context: WriteContext = {
      view: this.#view,
      now,
      ids: this.#ids,
      emit: (accountId, region, change) => {
        const record: ChangeRecord = { revision: this.#view.revision + 1, at, accountId, region, change };
        this.#view.apply(record);
        records.push(record);
      },
    };
    try {
      if (this.#stale) await this.#reload();
      const { head, missed } = await this.#store.begin(this.#view.revision, CATCH_UP_PAGE);
      if (head < this.#view.revision) throw new Error(`the store's log ends at ${head}, behind the view (${this.#view.revision})`);
      if ((missed[0]?.revision ?? 0) > this.#view.revision + 1) await this.#reload();
      else this.#applyRecords(missed);
      if (head > this.#view.revision) await this.#applyCommitted(head);
      for (const item of batch) {
        const before = records.length;
        try {
          outcomes.push({ ok: true, value: item.operation(context) });
        } catch (error) {
          if (records.length !== before) throw error;
          outcomes.push({ ok: false, value: error });
        }
      }
      if (records.length > 0) {
        const touched = this.#view.takeTouched();
        await this.#store.write(
          records,
          [...touched].map(([id, kind]) => ({ kind, id, body: this.#view.storedDocument(kind, id) })),
        );
      }
      await this.#store.commit();
    } catch (error) {
      await this.#store.rollback();
      for (const item of batch) item.reject(error);
      // Nothing of this batch was committed, but the view may hold it: reload, now if possible.
      if (records.length > 0 || !(error instanceof StoreUnavailableError)) {
        this.#stale = true;
        await this.#reload().catch(() => {});
      }
      throw error;
    }
    if (records.length > 0) this.#publish(records);
    const settle = () => {
      batch.forEach((item, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) return;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.value);
      });
    };
    // Nothing written: failures and no-ops answer at once (reads may still wait on the barrier).
    if (records.length === 0) return settle();
    const durable = this.#store.durable();
    this.#publishedDurable = durable;
    try {
      await durable;
      if (this.#publishedDurable === durable) this.#publishedDurable = undefined;
    } catch (error) {
      for (const item of batch) item.reject(error);
      this.#onFatal(error);
      throw error;
    }
    settle();
  }

  /**
   * Reads the log's head and applies what the view lacks (or refills a suspect view). The head is
   * read outside the lock: reads do not queue behind a batch unless there is something to apply.
   */
  async #readHeadAndCatchUp(): Promise<void> {
    const head = await this.#store.headIfChangedElsewhere();
    if (!this.#stale && (head === undefined || head <= this.#view.revision)) return;
    await this.#exclusive(() => (this.#stale ? this.#reload() : this.#applyCommitted(head ?? Number.MAX_SAFE_INTEGER)));
  }

  async #applyCommitted(head: number): Promise<void> {
    while (this.#view.revision < head) {
      const records = await this.#store.changesSince(this.#view.revision, CATCH_UP_PAGE);
      if (records.length === 0) break;
      // Compaction removed records this view never saw: only a snapshot can bring it up to date.
      if ((records[0]?.revision ?? 0) > this.#view.revision + 1) return this.#reload();
      this.#applyRecords(records);
    }
  }

  /** Applies records committed by another process, in order, skipping any the view holds. */
  #applyRecords(records: readonly ChangeRecord[]): void {
    if (records.length === 0) return;
    for (const record of records) if (record.revision > this.#view.revision) this.#view.apply(record);
    // Those documents were written by the process that committed them.
    this.#view.takeTouched();
    this.#publish(records);
  }

  /** Refills the view from the store's snapshot, then publishes what the hooks have not seen. */
  async #reload(): Promise<void> {
    this.#view.reset();
    await fillView(this.#view, this.#store);
    const revision = this.#view.revision;
    this.#stale = false;
    this.#onReload();
    // The feed must not skip what the snapshot jumped over: those records are in the log.
    for (let from = this.#published; from < revision; ) {
      const records = (await this.#store.changesSince(from, CATCH_UP_PAGE)).filter((r) => r.revision <= revision);
      if (records.length === 0) break;
      this.#publish(records);
      from = this.#published;
    }
  }

  #publish(records: readonly ChangeRecord[]): void {
    const fresh = (records[0]?.revision ?? 0) > this.#published ? records : records.filter((r) => r.revision > this.#published);
    const last = fresh[fresh.length - 1];
    if (last === undefined) return;
    this.#published = last.revision;
    this.#onCommitted(fresh);
  }

  #settleIdle(): void {
    if (this.#scheduled || this.#pending.length > 0 || this.#durable !== undefined) return;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
