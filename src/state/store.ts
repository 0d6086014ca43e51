import type { ChangeRecord } from './change-record.js';
import type { DocumentKind, TakeDocument } from './document-kind.js';

/** The engines a store can run on: the embedded default, and the one several servers can share. */
export const STORE_ENGINES = ['sqlite', 'postgres'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];


/**
 * What a host reported as in force for one of its instances (issue 5's reports, made durable by
 * issue 10): the revision of the ruleset it enforces, and why its last attempt failed, if it did.
 */
export interface EnforcementReport {
  readonly instanceId: string;
  readonly hostName: string;
  readonly revision: number;
  readonly failure: string | undefined;
}

/** The kinds of console credential (issue 11): a signed-in browser session, a one-time sign-in link. */
export const CONSOLE_TOKEN_KINDS = ['session', 'link'] as const;
export type ConsoleTokenKind = (typeof CONSOLE_TOKEN_KINDS)[number];

/**
 * A console credential as stored (issue 11): only the SHA-256 of the token, so a copy of the
 * database opens no browser session; the account it signs in; when it stops being accepted.
 */
export interface ConsoleToken {
  readonly tokenHash: string;
  readonly kind: ConsoleTokenKind;
  readonly accountId: string;
  /** Milliseconds since the epoch; refused from then on, and deleted by a later save. */
  readonly expiresAt: number;
}

/** A document to write; an `undefined` body deletes it. */
export interface DocumentWrite {
  readonly kind: DocumentKind;
  readonly id: string;
  readonly body: unknown;
}

/**
 * Durable storage: the change log plus the current document of every resource (DESIGN, Scale-out).
 * An engine lives in its own folder under `store/` (Kysely's dialect layout) and passes the one
 * contract suite (test/store/store-contract.test.ts). The contract is asynchronous because a
 * shared engine answers over the network; the embedded one answers at once, but no caller may
 * assume so.
 *
 * Writes happen only between `begin` and `commit`/`rollback`, and `begin` excludes every other
 * writer, in this process or any other, until then: revisions are handed out under that lock, so
 * the log is total and gap-free, and no revision becomes visible after a higher one.
 */
export interface Store {
  readonly engine: StoreEngine;
  /** Whether other server processes may write to this store at any time (they must tail the log). */
  readonly shared: boolean;
  /** The schema versions before and after opening (each engine migrates when it opens). */
  readonly migration: { readonly from: number; readonly to: number };
  /**
   * Reads every document and the revision they reflect, in one consistent read, handing each to
   * `take` as it is read (in DOCUMENT_KINDS order, each kind in the order its resources were first
   * written), so that a million rules never sit in memory twice. Resolves with the revision.
   */
  snapshot(take: TakeDocument): Promise<number>;
  /** Returns the revision of the last committed change record (0 when none). */
  head(): Promise<number>;
  /**
   * Returns the committed head revision if another process may have committed since this one
   * last looked, else undefined; cheap (the embedded engine reads a counter, no query).
   */
  headIfChangedElsewhere(): Promise<number | undefined>;
  /** Returns up to `limit` committed records with revision > `since`, in revision order. */
  changesSince(since: number, limit: number): Promise<readonly ChangeRecord[]>;
  /**
   * Starts the exclusive write transaction; resolves with the committed head revision under it
   * and the first committed records after `since` (at most `limit`; the caller reads the rest with
   * `changesSince`), in the same round trip where the engine can.
   */
  begin(since: number, limit: number): Promise<{ readonly head: number; readonly missed: readonly ChangeRecord[] }>;
  /** Appends records (revisions head+1, head+2, …) and writes documents, inside the transaction. */
  write(records: readonly ChangeRecord[], documents: readonly DocumentWrite[]): Promise<void>;
  /** Commits: visible to every reader at once. */
  commit(): Promise<void>;
  /**
   * Resolves once every transaction committed before the call survives power loss; rejects if
   * that cannot be guaranteed any more (the caller must stop).
   */
  durable(): Promise<void>;
  /**
   * Stores hosts' enforcement reports, the latest per instance winning. Outside the change log and
   * its lock: reports are frequent, concern no invariant, and no reader of the log needs them; but
   * any server reading the store sees them at once (`enforcementOf`), after its own restart too.
   */
  recordEnforcement(reports: readonly EnforcementReport[]): Promise<void>;
  /** The last report stored for each of `instanceIds` that has one. */
  enforcementOf(instanceIds: readonly string[]): Promise<ReadonlyMap<string, EnforcementReport>>;
  /**
   * Stores a console credential (issue 11) and deletes every one expired at `now`. Outside the
   * change log: credentials must never reach the feed or `/changes`, and they expire and are
   * revoked far more often than anything the log holds; any replica reads them at once.
   */
  saveConsoleToken(token: ConsoleToken, now: number): Promise<void>;
  /** The console credential with that hash, if stored (expired ones included: the caller checks). */
  consoleToken(tokenHash: string): Promise<ConsoleToken | undefined>;
  /**
   * Deletes the console credential with that hash and returns it, atomically: of two replicas
   * redeeming one single-use link at once, exactly one gets it back.
   */
  takeConsoleToken(tokenHash: string): Promise<ConsoleToken | undefined>;
  /**
   * Removes the change records up to `through` (never the last one): the documents hold the state,
   * and readers of older revisions must start from a snapshot (issue 10; etcd's compaction).
   */
  compact(through: number): Promise<void>;
  /** The oldest revision the log still holds (head + 1 when it holds none). */
  oldestRevision(): Promise<number>;
  /** Abandons the open transaction, if any; never throws. */
  rollback(): Promise<void>;
  /**
   * Calls `listener` whenever another process may have committed, with the revision it announced
   * or `undefined` for "unknown, read the head" (a wake-up only: the log is the truth, and the
   * listener must read it). The embedded engine never calls it.
   */
  onForeignCommit(listener: (revision: number | undefined) => void): void;
  close(): Promise<void>;
}

/**
 * The store could not be reached or failed mid-transaction (a shared engine's server restarting,
 * a dropped connection). Nothing of the failed transaction was committed unless its commit was
 * already sent; requests answer EC2's `Unavailable` and may be retried.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** A database whose schema is newer than this build understands: refuse it, never guess. */
export class SchemaTooNewError extends Error {
  constructor(found: number, understood: number) {
    super(
      `the database's schema version is ${found}, newer than this Stockade understands (${understood}); ` +
        'run a Stockade release at least as new as the one that migrated it',
    );
    this.name = 'SchemaTooNewError';
  }
}
