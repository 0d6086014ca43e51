import { startPostgres } from '../test/harness/postgres.js';
import { processFamilyCpuSeconds } from './process-cpu.js';

/**
 * A throwaway PostgreSQL cluster for a benchmark, with the server's DEFAULT durability: fsync on,
 * full_page_writes on, synchronous_commit on (Stockade asks for it on every session anyway). Unlike
 * the test suites' clusters (the same recipe, test/harness/postgres.ts, with fsync off for speed),
 * an acknowledged write here has reached the disk, as SQLite's has in the same benchmark.
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

/** Starts the cluster; `onCreated` gets `destroy` as soon as there is something to clean up. */
export async function startDurablePostgres(onCreated: (destroy: () => Promise<void>) => void): Promise<DurablePostgres> {
  const cluster = await startPostgres({ durable: true, onCreated });
  const [version] = await cluster.adminQuery<{ version: string }>('SELECT version()');
  const settings = await cluster.adminQuery<{ name: string; setting: string }>(
    "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers') ORDER BY name",
  );
  const pid = cluster.postmasterPid();
  return {
    version: version?.version ?? '?',
    settings: Object.fromEntries(settings.map((r) => [r.name, r.setting])),
    createDatabase: (name) => cluster.createDatabase(name),
    async checkpoint() {
      await cluster.adminQuery('CHECKPOINT');
    },
    cpuSeconds: () => processFamilyCpuSeconds(pid),
    destroy: () => cluster.destroy(),
  };
}
