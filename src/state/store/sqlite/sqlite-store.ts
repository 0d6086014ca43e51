import Database from 'better-sqlite3';
import type { ChangeRecord } from '../../change-record.js';
import type { Store } from '../../store.js';
import { DOCUMENT_KINDS, type DocumentKind, type StoredDocument } from '../../view.js';
import { SQLITE_SCHEMA } from './sqlite-schema.js';
import { WalSync } from './wal-sync.js';

/**
 * The embedded engine: one SQLite file in WAL mode. COMMIT writes the WAL; `durable()` fsyncs it
 * off the event loop (wal-sync.ts), so a commit is on disk when that promise resolves.
 * `BEGIN IMMEDIATE` takes the write lock up front, so a second process (e.g. `stockade accounts
 * create` next to a running server) serialises with us.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepare>;
  readonly #walSync: WalSync;
  #dataVersion = -1;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT does not fsync; WalSync does it off the loop before anything is acknowledged.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SQLITE_SCHEMA);
    this.#statements = prepare(this.#db);
    this.#walSync = new WalSync(file);
  }

  *loadDocuments(): Iterable<StoredDocument> {
    for (const kind of DOCUMENT_KINDS) {
      for (const row of this.#statements.documentsOfKind.iterate(kind) as Iterable<{ id: string; body: string }>) {
        yield { kind, id: row.id, body: JSON.parse(row.body) as unknown };
      }
    }
  }

  lastRevision(): number {
    const row = this.#statements.lastRevision.get() as { revision: number | null };
    return row.revision ?? 0;
  }

  changedElsewhere(): boolean {
    // data_version changes only when another connection commits (sqlite.org/pragma.html#pragma_data_version).
    const version = this.#statements.dataVersion.pluck().get() as number;
    const changed = version !== this.#dataVersion;
    this.#dataVersion = version;
    return changed;
  }

  changesSince(since: number, limit: number): readonly ChangeRecord[] {
    const rows = this.#statements.changesSince.all(since, limit) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as ChangeRecord);
  }

  begin(): void {
    this.#statements.begin.run();
  }

  appendChanges(records: readonly ChangeRecord[]): void {
    for (const r of records) {
      this.#statements.insertChange.run(r.revision, r.at, r.accountId, r.region, r.change.kind, JSON.stringify(r));
    }
  }

  writeDocuments(documents: readonly { kind: DocumentKind; id: string; body: unknown }[]): void {
    for (const d of documents) {
      if (d.body === undefined) this.#statements.deleteDocument.run(d.id);
      else this.#statements.upsertDocument.run(d.id, d.kind, JSON.stringify(d.body));
    }
  }

  commit(): void {
    this.#statements.commit.run();
  }

  durable(): Promise<void> {
    return this.#walSync.durable();
  }

  rollback(): void {
    if (this.#db.inTransaction) this.#statements.rollback.run();
  }

  close(): void {
    this.#walSync.close();
    this.#db.close();
  }
}

function prepare(db: Database.Database) {
  return {
    documentsOfKind: db.prepare('SELECT id, body FROM documents WHERE kind = ? ORDER BY rowid'),
    lastRevision: db.prepare('SELECT max(revision) AS revision FROM changes'),
    dataVersion: db.prepare('PRAGMA data_version'),
    changesSince: db.prepare('SELECT record FROM changes WHERE revision > ? ORDER BY revision LIMIT ?'),
    insertChange: db.prepare(
      'INSERT INTO changes (revision, at, account_id, region, kind, record) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertDocument: db.prepare(
      'INSERT INTO documents (id, kind, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body',
    ),
    deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}
