import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ChangeRecord } from '../../change-record.js';
import { SchemaTooNewError, type ConsoleToken, type ConsoleTokenKind, type DocumentWrite, type EnforcementReport, type Store } from '../../store.js';
import type { TakeDocument } from '../../document-kind.js';
import { readSnapshotBySize } from '../snapshot-in-worker.js';
import type { SnapshotOptions } from '../snapshot-text.js';
import { LAST_REVISION_SQL, readSqliteSnapshot } from './sqlite-snapshot.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { WalSync } from './wal-sync.js';

/**
 * The embedded engine: one SQLite file in WAL mode. COMMIT writes the WAL; `durable()` fsyncs it
 * off the event loop (wal-sync.ts), so a commit is on disk when that promise resolves.
 * `BEGIN IMMEDIATE` takes the write lock up front, so a second process (e.g. `stockade accounts
 * create` next to a running server) serialises with us. Every method does its work at once and
 * returns a settled promise: a batch through the commit queue runs in one turn of the event loop.
 */
export class SqliteStore implements Store {
  readonly engine = 'sqlite';
  readonly shared = false;
  readonly #db: Database.Database;
  readonly #statements: ReturnType<typeof prepare>;
  readonly #walSync: WalSync;
  readonly #file: string;
  readonly #snapshotOptions: SnapshotOptions;
  #dataVersion = -1;

  /** The schema migration this open performed: `from` = `to` when the file was current. */
  readonly migration: { from: number; to: number };

  constructor(file: string, options: SnapshotOptions = {}) {
    this.#file = file;
    this.#snapshotOptions = options;
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT does not fsync; WalSync does it off the loop before anything is acknowledged.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.migration = migrateSqlite(this.#db);
    this.#statements = prepare(this.#db);
    this.#walSync = new WalSync(file);
  }

  async snapshot(take: TakeDocument): Promise<number> {
    // A large file is read by a worker on a connection of its own (snapshot-in-worker.ts). It sees
    // what this one would: what is committed, since no snapshot is taken inside a write transaction.
    return readSnapshotBySize(statSync(this.#file).size, this.#snapshotOptions, { engine: 'sqlite', file: this.#file }, take, (texts) => readSqliteSnapshot(this.#db, texts));
  }

  async head(): Promise<number> {
    return this.#lastRevision();
  }

  async headIfChangedElsewhere(): Promise<number | undefined> {
    // data_version changes only when another connection commits (sqlite.org/pragma.html#pragma_data_version).
    const version = this.#statements.dataVersion.pluck().get() as number;
    const changed = version !== this.#dataVersion;
    this.#dataVersion = version;
    return changed ? this.#lastRevision() : undefined;
  }

  async changesSince(since: number, limit: number): Promise<readonly ChangeRecord[]> {
    const rows = this.#statements.changesSince.all(since, limit) as { record: string }[];
    return rows.map((r) => JSON.parse(r.record) as ChangeRecord);
  }

  async begin(since: number, limit: number): Promise<{ head: number; missed: readonly ChangeRecord[] }> {
    this.#statements.begin.run();
    const head = this.#lastRevision();
    return { head, missed: head > since ? await this.changesSince(since, limit) : [] };
  }

  async write(records: readonly ChangeRecord[], documents: readonly DocumentWrite[]): Promise<void> {
    for (const r of records) {
      this.#statements.insertChange.run(r.revision, r.at, r.accountId, r.region, r.change.kind, JSON.stringify(r));
    }
    for (const d of documents) {
      if (d.body === undefined) this.#statements.deleteDocument.run(d.id);
      else this.#statements.upsertDocument.run(d.id, d.kind, JSON.stringify(d.body));
    }
  }

  async commit(): Promise<void> {
    this.#statements.commit.run();
  }

  durable(): Promise<void> {
    return this.#walSync.durable();
  }

  async recordEnforcement(reports: readonly EnforcementReport[]): Promise<void> {
    // Never inside a batch's transaction: batches run to COMMIT in one turn of the event loop.
    // WAL without an fsync of its own: a power loss may take back the last reports, which the
    // agent sends again after it reconnects (it reports everything then).
    this.#db.transaction(() => {
      for (const r of reports) this.#statements.upsertEnforcement.run(r.instanceId, r.hostName, r.revision, r.failure ?? null);
    })();
  }

  async enforcementOf(instanceIds: readonly string[]): Promise<ReadonlyMap<string, EnforcementReport>> {
    const found = new Map<string, EnforcementReport>();
    for (const instanceId of instanceIds) {
      const row = this.#statements.enforcementOf.get(instanceId) as { host_name: string; revision: number; failure: string | null } | undefined;
      if (row !== undefined) found.set(instanceId, { instanceId, hostName: row.host_name, revision: row.revision, failure: row.failure ?? undefined });
    }
    return found;
  }

  async saveConsoleToken(token: ConsoleToken, now: number): Promise<void> {
    // Like enforcement reports: outside any batch, WAL without an fsync of its own (a power loss
    // may take back a session or link just made; its user signs in again).
    this.#db.transaction(() => {
      this.#statements.purgeConsoleTokens.run(now);
      this.#statements.insertConsoleToken.run(token.tokenHash, token.kind, token.accountId, token.expiresAt);
    })();
  }

  async consoleToken(tokenHash: string): Promise<ConsoleToken | undefined> {
    return consoleTokenOf(this.#statements.consoleToken.get(tokenHash) as ConsoleTokenRow | undefined);
  }

  async takeConsoleToken(tokenHash: string): Promise<ConsoleToken | undefined> {
    return consoleTokenOf(this.#statements.takeConsoleToken.get(tokenHash) as ConsoleTokenRow | undefined);
  }

  async compact(through: number): Promise<void> {
    this.#statements.compact.run(through);
  }

  async oldestRevision(): Promise<number> {
    const row = this.#statements.oldestRevision.get() as { revision: number | null };
    return row.revision ?? this.#lastRevision() + 1;
  }

  async rollback(): Promise<void> {
    if (this.#db.inTransaction) this.#statements.rollback.run();
  }

  onForeignCommit(): void {
    // One server process per data directory: other writers (the admin commands) are noticed
    // through `headIfChangedElsewhere`, which the commit queue asks before every batch and read.
  }

  async close(): Promise<void> {
    this.#walSync.close();
    this.#db.close();
  }

  #lastRevision(): number {
    const row = this.#statements.lastRevision.get() as { revision: number | null };
    return row.revision ?? 0;
  }
}

/** Brings the file's schema to the newest version this build knows; refuses a newer one. */
export function migrateSqlite(db: Database.Database): { from: number; to: number } {
  return db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > SQLITE_MIGRATIONS.length) throw new SchemaTooNewError(from, SQLITE_MIGRATIONS.length);
    for (const sql of SQLITE_MIGRATIONS.slice(from)) db.exec(sql);
    if (from < SQLITE_MIGRATIONS.length) db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
    return { from, to: SQLITE_MIGRATIONS.length };
  }).immediate();
}

function prepare(db: Database.Database) {
  return {
    lastRevision: db.prepare(LAST_REVISION_SQL),
    dataVersion: db.prepare('PRAGMA data_version'),
    changesSince: db.prepare('SELECT record FROM changes WHERE revision > ? ORDER BY revision LIMIT ?'),
    insertChange: db.prepare(
      'INSERT INTO changes (revision, at, account_id, region, kind, record) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertDocument: db.prepare(
      'INSERT INTO documents (id, kind, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body',
    ),
    deleteDocument: db.prepare('DELETE FROM documents WHERE id = ?'),
    // The last record stays: the head revision is read from the log.
    compact: db.prepare('DELETE FROM changes WHERE revision <= ? AND revision < (SELECT max(revision) FROM changes)'),
    oldestRevision: db.prepare('SELECT min(revision) AS revision FROM changes'),
    upsertEnforcement: db.prepare(
      'INSERT INTO enforcement (instance_id, host_name, revision, failure) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (instance_id) DO UPDATE SET host_name = excluded.host_name, revision = excluded.revision, failure = excluded.failure',
    ),
    enforcementOf: db.prepare('SELECT host_name, revision, failure FROM enforcement WHERE instance_id = ?'),
    purgeConsoleTokens: db.prepare('DELETE FROM console_tokens WHERE expires_at <= ?'),
    insertConsoleToken: db.prepare('INSERT INTO console_tokens (token_hash, kind, account_id, expires_at) VALUES (?, ?, ?, ?)'),
    consoleToken: db.prepare('SELECT token_hash, kind, account_id, expires_at FROM console_tokens WHERE token_hash = ?'),
    // One statement, so two connections redeeming one link cannot both read it (SQLite 3.35+).
    takeConsoleToken: db.prepare('DELETE FROM console_tokens WHERE token_hash = ? RETURNING token_hash, kind, account_id, expires_at'),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
  };
}

interface ConsoleTokenRow {
  token_hash: string;
  kind: string;
  account_id: string;
  expires_at: number;
}

function consoleTokenOf(row: ConsoleTokenRow | undefined): ConsoleToken | undefined {
  if (row === undefined) return undefined;
  return { tokenHash: row.token_hash, kind: row.kind as ConsoleTokenKind, accountId: row.account_id, expiresAt: Number(row.expires_at) };
}
