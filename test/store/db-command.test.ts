import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';
import { REPO_ROOT, startStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);
const STOCKADE = path.join(REPO_ROOT, 'bin', 'stockade');

/** Runs `bin/stockade …`; resolves with its exit status and output, whatever the status. */
async function stockade(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [STOCKADE, ...args], { env: { ...process.env, STOCKADE_LOG_LEVEL: 'warn', ...env }, timeout: 20_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

// `stockade db migrate`, the engine options of the admin commands, and the refusal of a database
// whose schema is newer than this build (issue 12), on both engines, through the real command.
describe('stockade db migrate and the engine options', () => {
  let postgres: ThrowawayPostgres;
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stockade-db-'));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres.destroy();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('migrates a new PostgreSQL database once, then says it is current', async () => {
    const url = await postgres.createDatabase();
    const first = await stockade(['db', 'migrate', '--database', url]);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, 'Migrated the PostgreSQL database from schema version 0 to 5.\n');
    const again = await stockade(['db', 'migrate'], { STOCKADE_DATABASE_URL: url });
    assert.equal(again.stdout, 'Schema of the PostgreSQL database is at version 5; nothing to do.\n');
  });

  test('accounts and hosts work against PostgreSQL with --database, beside a running replica', async (t) => {
    const url = await postgres.createDatabase();
    // Hosts need the bootstrap (admin) account, which the first server start creates.
    const server = await startStockade({ database: url });
    t.after(() => server.stop());
    const created = await stockade(['accounts', 'create', '--id', '210987654321', '--platform', 'classic', '--json', '--database', url]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { accountId: string }).accountId, '210987654321');
    assert.equal((await stockade(['hosts', 'add', '--name', 'rack1-host7', '--database', url])).status, 0);
    const accounts = await stockade(['accounts', 'list', '--database', url]);
    assert.match(accounts.stdout, /^210987654321\tclassic\t/m);
    const hosts = await stockade(['hosts', 'list', '--database', url]);
    assert.match(hosts.stdout, /rack1-host7/);
  });

  test('a PostgreSQL database newer than this build is refused by serve and db migrate, untouched', async () => {
    const url = await postgres.createDatabase();
    await stockade(['db', 'migrate', '--database', url]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('UPDATE schema_version SET version = 7');
    try {
      for (const args of [['serve', '--port', '0', '--data-dir', dataDir(), '--database', url], ['db', 'migrate', '--database', url]]) {
        const refused = await stockade(args);
        assert.equal(refused.status, 2, `${args[0]}: ${refused.stdout}${refused.stderr}`);
        assert.equal(
          refused.stderr,
          "stockade: the database's schema version is 7, newer than this Stockade understands (5); run a Stockade release at least as new as the one that migrated it\n",
        );
      }
      assert.equal((await client.query('SELECT version FROM schema_version')).rows[0]?.version, 7);
    } finally {
      await client.end();
    }
  });

  test('a SQLite file newer than this build is refused the same way', async () => {
    const dir = dataDir();
    assert.equal((await stockade(['db', 'migrate', '--data-dir', dir])).stdout, `Migrated ${dir} (sqlite) from schema version 0 to 4.\n`);
    const db = new Database(path.join(dir, 'stockade.db'));
    db.pragma('user_version = 5');
    db.close();
    const refused = await stockade(['serve', '--port', '0', '--data-dir', dir]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /schema version is 5, newer than this Stockade understands \(4\)/);
  });

  test('an unreachable database is a one-line error, not a stack trace', async () => {
    const refused = await stockade(['accounts', 'list', '--database', 'postgres://postgres@127.0.0.1:1/none']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^stockade: the store is unavailable: .*ECONNREFUSED.*\n$/);
  });
});
