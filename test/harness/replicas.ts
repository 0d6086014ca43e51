import type { ThrowawayPostgres } from './postgres.js';
import { startStockade, type RunningStockade } from './stockade-process.js';

/** Several `stockade serve --database …` processes on one database, with one bootstrap account. */
export interface ReplicaSet {
  readonly database: string;
  readonly replicas: readonly RunningStockade[];
  stop(): Promise<void>;
}

let sets = 0;

/**
 * Starts `count` replicas on a fresh database of `postgres`; they share the bootstrap account's
 * keys (the first to commit creates it, the others find it). Extra `args` go to every replica.
 */
export async function startReplicas(postgres: ThrowawayPostgres, count: number, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<ReplicaSet> {
  const database = await postgres.createDatabase();
  sets++;
  const env = {
    STOCKADE_BOOTSTRAP_ACCOUNT_ID: '111122223333',
    STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: `AKIDREPLICA${process.pid}X${sets}`,
    STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: `replica/secret+${process.pid}-${sets}`,
    ...options.env,
  };
  const replicas = await Promise.all(Array.from({ length: count }, () => startStockade({ database, env, ...(options.args === undefined ? {} : { args: options.args }) })));
  return {
    database,
    replicas,
    async stop() {
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}
