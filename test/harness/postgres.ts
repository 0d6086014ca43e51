import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
  /** Creates an empty database and returns its URL: one per test keeps tests apart. */
  createDatabase(): Promise<string>;
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
 * Stockade still asks for `synchronous_commit=on` on every session).
 */
export async function startPostgres(options: { /** PostgreSQL's own durable defaults (benchmarks). */ durable?: boolean } = {}): Promise<ThrowawayPostgres> {
  const base = mkdtempSync(path.join(tmpdir(), 'stockade-pg-'));
  const data = path.join(base, 'data');
  const socket = path.join(base, 'sock');
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
  return {
    port,
    url,
    async createDatabase() {
      const name = `stockade_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stopServer,
    startServer,
    async destroy() {
      await stopServer().catch(() => {});
      rmSync(base, { recursive: true, force: true });
    },
  };
}
