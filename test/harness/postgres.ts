import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);
/** Debian's server binaries (`.ci/run` installs postgresql-15 when missing). */
const PG_BIN = process.env.STOCKADE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL server started by a test suite (shared/notes/postgres.md's recipe). */
export interface ThrowawayPostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:PORT/DB` for a database of this server. */
  url(database?: string): string;
  /** Creates an empty database (named, or a fresh name) and returns its URL: one per test keeps tests apart. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one statement as the superuser on the `postgres` database; returns its rows. */
  adminQuery<T extends object>(sql: string): Promise<T[]>;
  /** The postmaster's PID now (from postmaster.pid: the first line, PostgreSQL's LOCK_FILE_LINE_PID). */
  postmasterPid(): number;
  /** Stops the server (fast shutdown: sessions are cut, as in a restart). */
  stopServer(): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}


/** initdb and postgres refuse to run as root: run them as the `postgres` user then. */
function asServerUser(command: string, args: string[]): Promise<unknown> {
  const binary = path.join(PG_BIN, command);
  return userInfo().uid === 0 ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args);
}

let databases = 0;

/**
 * Starts a PostgreSQL server in a fresh temporary directory, on a free loopback port, trusting
 * local connections. Durable settings are the defaults except `fsync=off` (the suite's speed;
 * Stockade still asks for `synchronous_commit=on` on every session), unless `durable` (the
 * benchmarks: PostgreSQL's own defaults). `onCreated` gets `destroy` as soon as there is something
 * to clean up, so that an interrupted start is undone too.
 */
export async function startPostgres(
  options: { durable?: boolean; onCreated?: (destroy: () => Promise<void>) => void } = {},
): Promise<ThrowawayPostgres> {
  const base = mkdtempSync(path.join(tmpdir(), 'stockade-pg-'));
  const data = path.join(base, 'data');
  const socket = path.join(base, 'sock');
  const postmasterPid = () => Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const destroy = async () => {
    await asServerUser('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop']).catch(() => {
      try {
        process.kill(postmasterPid(), 'SIGKILL');
      } catch {
        // Never started, or already gone.
      }
    });
    rmSync(base, { recursive: true, force: true });
  };
  options.onCreated?.(destroy);
  mkdirSync(socket);
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const dir of [base, socket]) chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asServerUser('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const speed = options.durable === true ? '' : ' -c fsync=off -c full_page_writes=off';
  const serverOptions = `-p ${port} -k ${socket} -c listen_addresses=127.0.0.1 -c max_connections=200${speed}`;
  const startServer = async () => {
    await asServerUser('pg_ctl', ['-D', data, '-l', path.join(base, 'server.log'), '-w', '-o', serverOptions, 'start']);
  };
  const stopServer = async () => {
    await asServerUser('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await startServer();
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const adminQuery = async <T extends object>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    async createDatabase(name = `stockade_${process.pid}_${++databases}`) {
      await adminQuery(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return url(name);
    },
    adminQuery,
    postmasterPid,
    stopServer,
    startServer,
    destroy,
  };
}
