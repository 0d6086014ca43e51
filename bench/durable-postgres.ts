import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { processFamilyCpuSeconds } from './process-cpu.js';
import { freePort } from '../test/harness/free-port.js';

const run = promisify(execFile);
/** Debian's server binaries, as in test/harness/postgres.ts. */
const PG_BIN = process.env.STOCKADE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster for a benchmark, with the server's DEFAULT durability: fsync on,
 * full_page_writes on, synchronous_commit on (Stockade asks for it on every session anyway). Unlike
 * the test harness (test/harness/postgres.ts), which turns fsync off for the suites' speed, an
 * acknowledged write here has reached the disk, as SQLite's has in the same benchmark.
 */
export interface DurablePostgres {
  /** PostgreSQL's own version string (`SELECT version()`). */
  readonly version: string;
  /** The durability settings the server reports, to print beside the figures. */
  readonly settings: Readonly<Record<string, string>>;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs CHECKPOINT, so that each configuration starts without the previous one's dirty pages. */
  checkpoint(): Promise<void>;
  /** CPU seconds used so far by the cluster: the postmaster and every process it forked. */
  cpuSeconds(): number;
  /** Stops the server (fast shutdown; SIGKILL of the postmaster if that fails) and removes its files. */
  destroy(): Promise<void>;
}


/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function asServerUser(command: string, args: readonly string[]): Promise<unknown> {
  const binary = path.join(PG_BIN, command);
  return userInfo().uid === 0 ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args);
}

/**
 * Starts a cluster in a fresh temporary directory on a free loopback port, trusting local
 * connections (shared/notes/postgres.md's recipe, without its speed settings). `onCreated` gets
 * the handle as soon as there is something to clean up, so an interrupted start is undone too.
 */
export async function startDurablePostgres(onCreated: (destroy: () => Promise<void>) => void): Promise<DurablePostgres> {
  const base = mkdtempSync(path.join(tmpdir(), 'stockade-bench-pg-'));
  const data = path.join(base, 'data');
  const socket = path.join(base, 'sock');
  let postmasterPid: number | undefined;
  const destroy = async () => {
    await asServerUser('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop']).catch(() => {
      if (postmasterPid !== undefined) {
        try {
          process.kill(postmasterPid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    });
    rmSync(base, { recursive: true, force: true });
  };
  onCreated(destroy);
  mkdirSync(socket);
  if (userInfo().uid === 0) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const dir of [base, socket]) chownSync(dir, Number(uid.trim()), Number(gid.trim()));
  }
  // --no-sync: initdb's own files need not reach the disk; the server's writes do (fsync=on).
  await asServerUser('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${socket} -c listen_addresses=127.0.0.1`;
  await asServerUser('pg_ctl', ['-D', data, '-l', path.join(base, 'server.log'), '-w', '-o', options, 'start']);
  // postmaster.pid: the first line is the postmaster's PID (PostgreSQL's miscadmin.h, LOCK_FILE_LINE_PID).
  postmasterPid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url('postgres') });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const { version, settings } = await admin(async (client) => {
    const v = await client.query<{ version: string }>('SELECT version()');
    const s = await client.query<{ name: string; setting: string }>(
      "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers') ORDER BY name",
    );
    return { version: v.rows[0]?.version ?? '?', settings: Object.fromEntries(s.rows.map((r) => [r.name, r.setting])) };
  });
  const pid = postmasterPid;
  return {
    version,
    settings,
    async createDatabase(name) {
      await admin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
      return url(name);
    },
    async checkpoint() {
      await admin((client) => client.query('CHECKPOINT'));
    },
    cpuSeconds: () => processFamilyCpuSeconds(pid),
    destroy,
  };
}
