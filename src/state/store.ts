import type { ChangeRecord } from './change-record.js';
import type { DocumentKind, StoredDocument } from './view.js';

/**
 * Durable storage: the change log plus the current document of every resource. An engine lives in
 * its own folder under `store/` (Kysely's dialect layout). All methods are synchronous; writes
 * happen only between `begin` and `commit`/`rollback`.
 */
export interface Store {
  /** Returns every stored document, in DOCUMENT_KINDS order. */
  loadDocuments(): Iterable<StoredDocument>;
  /** Returns the revision of the last committed change record (0 when none). */
  lastRevision(): number;
  /** Reports whether another process has committed since the last call (cheap; true the first time). */
  changedElsewhere(): boolean;
  /** Returns up to `limit` committed records with revision > `since`, in revision order. */
  changesSince(since: number, limit: number): readonly ChangeRecord[];
  /** Starts a write transaction that excludes every other writer (other processes included). */
  begin(): void;
  /** Appends records to the change log. */
  appendChanges(records: readonly ChangeRecord[]): void;
  /** Writes (or, for `undefined` bodies, deletes) documents. */
  writeDocuments(documents: readonly { kind: DocumentKind; id: string; body: unknown }[]): void;
  /** Commits: visible to every reader, and to the process's crash, at once. */
  commit(): void;
  /**
   * Resolves once every transaction committed before the call survives power loss; rejects if
   * that cannot be guaranteed any more (the caller must stop).
   */
  durable(): Promise<void>;
  /** Abandons the open transaction, if any. */
  rollback(): void;
  close(): void;
}
