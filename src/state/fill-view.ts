import type { Store } from './store.js';
import type { View } from './view.js';

/**
 * Rules moved into the map of rules by ID per turn of the event loop: about 10 ms of work on the
 * project's two-core machine, so a request arriving meanwhile waits no longer than that.
 */
const RULES_PER_TURN = 16_384;

/**
 * Fills a fresh (or reset) view from the store's snapshot and sets its revision, then completes
 * its map of rules by ID in the background. The one way a view is filled from a store: at open
 * and when the commit queue refills a suspect view.
 */
export async function fillView(view: View, store: Store): Promise<void> {
  view.revision = await store.snapshot((kind, body) => view.load(kind, body));
  indexLoadedRulesInBackground(view);
}

/**
 * After a snapshot was loaded, completes the view's map of rules by ID in slices, between other
 * work (View.indexLoadedRules says why it is deferred). Until it is done, whoever uses the map
 * completes it at once; nothing waits for this, nor does it keep the process alive.
 */
export function indexLoadedRulesInBackground(view: View): void {
  const step = () => {
    if (!view.indexLoadedRules(RULES_PER_TURN)) setImmediate(step).unref();
  };
  setImmediate(step).unref();
}
