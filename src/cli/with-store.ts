import { openState, type OpenState } from '../state/open-state.js';
import { storeLocation } from './server-config.js';

/**
 * Runs `work` against the store the options name (`storeLocation`: `--database`, else
 * `--data-dir`), then lets pending commits become durable and closes it. Administration commands
 * work this way, also beside running servers, which learn of their changes from the change log.
 */
export async function withStore<T>(
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
