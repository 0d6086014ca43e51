import pg from 'pg';
import type { ChangeRecord } from '../../change-record.js';
import { SchemaTooNewError, StoreUnavailableError, type ConsoleToken, type ConsoleTokenKind, type DocumentWrite, type EnforcementReport, type Store } from '../../store.js';
import type { TakeDocument } from '../../document-kind.js';
import { CHANGES_CHANNEL, MIGRATION_LOCK_KEY, POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { ChangeListener } from './change-listener.js';
import { readSnapshotBySize } from '../snapshot-in-worker.js';
import type { SnapshotOptions } from '../snapshot-text.js';
import { readSnapshotOnNewConnection } from './snapshot-copy.js';
import { isUnavailability } from './unavailability.js';

/** How long a connection attempt may take before the request answers Unavailable (never a hang). */
const CONNECT_TIMEOUT_MS = 3000;
/** How long one statement may run, server side and client side. */
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The shared engine: PostgreSQL, for several server processes on one database (DESIGN,
 * Scale-out). A write transaction locks the single `log_head` row first, which serialises writers
 * across every replica (the invariants are then checked against a view caught up under that lock)
 * and hands out revisions in commit order. Commits are acknowledged with `synchronous_commit = on`,
 * so `commit` resolving means durable. Each commit notifies `stockade_changes`; replicas treat that
 * as a wake-up and read the log.
 */
export class PostgresStore implements Store {
  readonly engine = 'postgres';
  readonly shared = true;
  readonly #pool: pg.Pool;
  readonly #listener: ChangeListener;
  readonly #config: pg.ClientConfig;
  readonly #snapshotOptions: SnapshotOptions;
  /** The connection of the open write transaction. */
  #writer: pg.PoolClient | undefined;

  /** The schema migration this open performed: `from` = `to` when the database was current. */
  readonly migration: { from: number; to: number };

  private constructor(config: pg.ClientConfig, pool: pg.Pool, listener: ChangeListener, migration: { from: number; to: number }, options: SnapshotOptions) {
    this.#config = config;
    this.#snapshotOptions = options;
    this.#pool = pool;
    this.#listener = listener;
    this.migration = migration;
  }

  /** Connects, brings the schema to this build's version (refusing a newer one) and starts listening. */
  static async open(connectionString: string, options: SnapshotOptions = {}): Promise<PostgresStore> {
    const config = connectionConfig(connectionString);
    const pool = new pg.Pool({ ...config, max: 4, idleTimeoutMillis: 30_000 });
    // A client that loses its server emits 'error': on the pool while idle, on the client while
    // checked out (between two statements of a transaction). Either way the next query fails with
    // the cause and becomes StoreUnavailableError; unhandled, the event would end the process.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    let migration: { from: number; to: number };
    try {
      migration = await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw isUnavailability(error) ? new StoreUnavailableError(error) : error;
    }
    return new PostgresStore(config, pool, new ChangeListener(config, CHANGES_CHANNEL), migration, options);
  }

  async snapshot(take: TakeDocument): Promise<number> {
    const bytes = await this.#guard(() => this.#pool.query<{ bytes: string | null }>(DOCUMENT_BYTES));
    // A worker's failures come back classified already (StoreUnavailableError or not).
    return readSnapshotBySize(Number(bytes.rows[0]?.bytes ?? 0), this.#snapshotOptions, { engine: 'postgres', config: this.#config, stallMs: STATEMENT_TIMEOUT_MS }, take, (texts) =>
      this.#guard(() => readSnapshotOnNewConnection(this.#config, texts, STATEMENT_TIMEOUT_MS)),
    );
  }

  head(): Promise<number> {
    return this.#guard(async () => {
      const result = await this.#pool.query<{ revision: string }>('SELECT revision FROM log_head');
      return Number(result.rows[0]?.revision ?? 0);
    });
  }

  headIfChangedElsewhere(): Promise<number | undefined> {
    // Any replica may have committed: there is no cheaper signal than asking.
    return this.head();
  }

  changesSince(since: number, limit: number): Promise<readonly ChangeRecord[]> {
    return this.#guard(async () => {
      const result = await this.#pool.query<[string]>({
        text: 'SELECT record FROM changes WHERE revision > $1 ORDER BY revision LIMIT $2',
        values: [since, limit],
        rowMode: 'array',
      });
      return result.rows.map(([record]) => JSON.parse(record) as ChangeRecord);
    });
  }

  begin(since: number, limit: number): Promise<{ head: number; missed: readonly ChangeRecord[] }> {
    return this.#guard(async () => {
      if (!Number.isSafeInteger(since) || !Number.isSafeInteger(limit)) throw new Error(`bad revision range ${since}, ${limit}`);
      const client = await this.#pool.connect();
      this.#writer = client;
      // One round trip, a multi-statement simple query (hence the integers inlined, checked
      // above): the lock, held until COMMIT, and the records other replicas committed since this
      // one last looked — which the second replica of a pair needs before nearly every batch.
      const results = (await client.query(
        `BEGIN; SELECT revision FROM log_head FOR UPDATE; SELECT record FROM changes WHERE revision > ${since} ORDER BY revision LIMIT ${limit}`,
      )) as unknown as [pg.QueryResult, pg.QueryResult<{ revision: string }>, pg.QueryResult<{ record: string }>];
      return {
        head: Number(results[1].rows[0]?.revision ?? 0),
        missed: results[2].rows.map((r) => JSON.parse(r.record) as ChangeRecord),
      };
    });
  }

  write(records: readonly ChangeRecord[], documents: readonly DocumentWrite[]): Promise<void> {
    return this.#guard(async () => {
      const client = this.#transaction();
      const last = records[records.length - 1];
      if (last === undefined) return;
      const upserts = documents.filter((d) => d.body !== undefined);
      const deletes = documents.filter((d) => d.body === undefined);
      // One statement, one round trip: records, documents, the head, and the wake-up (NOTIFY is
      // delivered at commit, and only if it commits).
      // Prepared once per connection (named): planning a statement over the partitioned documents
      // table on every batch cost PostgreSQL more than running it.
      await client.query({ name: 'stockade-write', text: WRITE_STATEMENT, values: [
        records.map((r) => r.revision),
        records.map((r) => r.at),
        records.map((r) => r.accountId),
        records.map((r) => r.region),
        records.map((r) => r.change.kind),
        records.map((r) => JSON.stringify(r)),
        upserts.map((d) => d.id),
        upserts.map((d) => d.kind),
        upserts.map((d) => JSON.stringify(d.body)),
        deletes.map((d) => d.id),
        last.revision,
        deletes.map((d) => d.kind),
      ] });
    });
  }

  commit(): Promise<void> {
    return this.#guard(async () => {
      const client = this.#transaction();
      this.#writer = undefined;
      try {
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        client.release(true);
        throw error;
      }
    });
  }

  durable(): Promise<void> {
    // synchronous_commit = on: COMMIT answered only once the WAL was flushed.
    return Promise.resolve();
  }

  recordEnforcement(reports: readonly EnforcementReport[]): Promise<void> {
    return this.#guard(async () => {
      if (reports.length === 0) return;
      await this.#pool.query(
        `INSERT INTO enforcement (instance_id, host_name, revision, failure)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
         ON CONFLICT (instance_id) DO UPDATE SET host_name = excluded.host_name, revision = excluded.revision, failure = excluded.failure`,
        [reports.map((r) => r.instanceId), reports.map((r) => r.hostName), reports.map((r) => r.revision), reports.map((r) => r.failure ?? null)],
      );
    });
  }

  enforcementOf(instanceIds: readonly string[]): Promise<ReadonlyMap<string, EnforcementReport>> {
    return this.#guard(async () => {
      const result = await this.#pool.query<{ instance_id: string; host_name: string; revision: string; failure: string | null }>(
        'SELECT instance_id, host_name, revision, failure FROM enforcement WHERE instance_id = ANY($1::text[])',
        [instanceIds],
      );
      return new Map(result.rows.map((r) => [r.instance_id, { instanceId: r.instance_id, hostName: r.host_name, revision: Number(r.revision), failure: r.failure ?? undefined }]));
    });
  }

  saveConsoleToken(token: ConsoleToken, now: number): Promise<void> {
    return this.#guard(async () => {
      // One statement: the purge and the insert need no transaction of their own.
      await this.#pool.query(
        `WITH purged AS (DELETE FROM console_tokens WHERE expires_at <= $5)
         INSERT INTO console_tokens (token_hash, kind, account_id, expires_at) VALUES ($1, $2, $3, $4)`,
        [token.tokenHash, token.kind, token.accountId, token.expiresAt, now],
      );
    });
  }

  consoleToken(tokenHash: string): Promise<ConsoleToken | undefined> {
    return this.#guard(async () => {
      const result = await this.#pool.query<ConsoleTokenRow>('SELECT token_hash, kind, account_id, expires_at FROM console_tokens WHERE token_hash = $1', [tokenHash]);
      return consoleTokenOf(result.rows[0]);
    });
  }

  takeConsoleToken(tokenHash: string): Promise<ConsoleToken | undefined> {
    return this.#guard(async () => {
      // DELETE … RETURNING takes the row lock: of two replicas redeeming one link, one gets the row.
      const result = await this.#pool.query<ConsoleTokenRow>('DELETE FROM console_tokens WHERE token_hash = $1 RETURNING token_hash, kind, account_id, expires_at', [tokenHash]);
      return consoleTokenOf(result.rows[0]);
    });
  }

  compact(through: number): Promise<void> {
    return this.#guard(async () => {
      await this.#pool.query('DELETE FROM changes WHERE revision <= $1 AND revision < (SELECT revision FROM log_head)', [through]);
    });
  }

  oldestRevision(): Promise<number> {
    return this.#guard(async () => {
      const result = await this.#pool.query<{ oldest: string | null; head: string }>('SELECT (SELECT min(revision) FROM changes) AS oldest, revision AS head FROM log_head');
      const row = result.rows[0];
      return row?.oldest === null || row?.oldest === undefined ? Number(row?.head ?? 0) + 1 : Number(row.oldest);
    });
  }

  async rollback(): Promise<void> {
    const client = this.#writer;
    this.#writer = undefined;
    if (client === undefined) return;
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (error) {
      // A broken connection: the server rolls the transaction back when it notices.
      client.release(error instanceof Error ? error : true);
    }
  }

  onForeignCommit(listener: (revision: number | undefined) => void): void {
    this.#listener.start(listener);
  }

  async close(): Promise<void> {
    await this.#listener.stop();
    await this.#pool.end();
  }

  #transaction(): pg.PoolClient {
    if (this.#writer === undefined) throw new Error('no write transaction is open');
    return this.#writer;
  }

  /** Runs `work`; a lost or refused connection becomes StoreUnavailableError, bugs stay as they are. */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw isUnavailability(error) && !(error instanceof StoreUnavailableError) ? new StoreUnavailableError(error) : error;
    }
  }
}

/** The documents' size on disk, every partition's (a partitioned table's own is 0): cheap, from the catalogue. */
const DOCUMENT_BYTES = `SELECT sum(pg_relation_size(inhrelid))::bigint AS bytes FROM pg_inherits WHERE inhparent = 'documents'::regclass`;

const WRITE_STATEMENT = `
WITH appended AS (
  INSERT INTO changes (revision, at, account_id, region, kind, record)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
), upserted AS (
  INSERT INTO documents (id, kind, body) SELECT * FROM unnest($7::text[], $8::text[], $9::text[])
  ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body
), deleted AS (
  DELETE FROM documents d USING unnest($12::text[], $10::text[]) AS gone (kind, id) WHERE d.kind = gone.kind AND d.id = gone.id
), advanced AS (
  UPDATE log_head SET revision = $11
)
SELECT pg_notify('${CHANGES_CHANNEL}', $11::text)`;

/** The connection settings every client of this store uses. */
export function connectionConfig(connectionString: string): pg.ClientConfig {
  return {
    connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 2000,
    // Acknowledgement means durable, whatever the server's default (issue 12).
    options: `-c synchronous_commit=on -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
    application_name: 'stockade',
  };
}

/** Brings the database to this build's schema version under an advisory lock (replicas may race). */
export async function migratePostgres(pool: pg.Pool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const from = found.rows[0]?.version ?? 0;
    if (from > POSTGRES_MIGRATIONS.length) throw new SchemaTooNewError(from, POSTGRES_MIGRATIONS.length);
    for (const sql of POSTGRES_MIGRATIONS.slice(from)) await client.query(sql);
    if (found.rows.length === 0) await client.query('INSERT INTO schema_version VALUES ($1)', [POSTGRES_MIGRATIONS.length]);
    else await client.query('UPDATE schema_version SET version = $1', [POSTGRES_MIGRATIONS.length]);
    await client.query('COMMIT');
    client.release();
    return { from, to: POSTGRES_MIGRATIONS.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    client.release(true);
    throw error;
  }
}

interface ConsoleTokenRow {
  token_hash: string;
  kind: string;
  account_id: string;
  expires_at: string;
}

function consoleTokenOf(row: ConsoleTokenRow | undefined): ConsoleToken | undefined {
  if (row === undefined) return undefined;
  return { tokenHash: row.token_hash, kind: row.kind as ConsoleTokenKind, accountId: row.account_id, expiresAt: Number(row.expires_at) };
}
