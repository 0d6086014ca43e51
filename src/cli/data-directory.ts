import { openState, type OpenState, type StoreLocation } from '../state/open-state.js';

/**
 * Where the administration commands find the store: `--database` (else `STOCKADE_DATABASE_URL`)
 * names a PostgreSQL database; otherwise the data directory `--data-dir` (else
 * `STOCKADE_DATA_DIR`, else `./data`).
 */
export function storeLocation(options: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv): StoreLocation {
  const database = typeof options.database === 'string' ? options.database : env.STOCKADE_DATABASE_URL;
  const dataDir = typeof options['data-dir'] === 'string' ? options['data-dir'] : (env.STOCKADE_DATA_DIR ?? './data');
  return { dataDir, ...(database === undefined || database === '' ? {} : { database }) };
}

/**
 * Runs `work` against the store named by the options (`storeLocation`), then lets pending commits
 * become durable and closes it. Administration commands work this way, also beside running
 * servers, which learn of their changes from the change log.
 */
export async function withDataDirectory<T>(
  options: Readonly<Record<string, string | boolean | undefined>>,
  work: (state: OpenState) => Promise<T>,
): Promise<T> {
  const state = await openState(storeLocation(options, process.env));
  try {
    return await work(state);
  } finally {
    await state.queue.idle();
    await state.store.close();
  }
}
