import { openState, type OpenState } from '../state/open-state.js';

/**
 * Runs `work` against the store of the data directory named by `--data-dir` (else
 * `STOCKADE_DATA_DIR`, else `./data`), then lets pending commits reach the disk and closes it.
 * Administration commands work this way, also beside a running server, which catches up from the
 * change log.
 */
export async function withDataDirectory<T>(
  options: Readonly<Record<string, string | boolean | undefined>>,
  work: (state: OpenState) => Promise<T>,
): Promise<T> {
  const dataDir = typeof options['data-dir'] === 'string' ? options['data-dir'] : (process.env.STOCKADE_DATA_DIR ?? './data');
  const state = openState({ dataDir });
  try {
    return await work(state);
  } finally {
    await state.queue.idle();
    state.store.close();
  }
}
