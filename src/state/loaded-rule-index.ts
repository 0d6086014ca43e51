import type { View } from './view.js';

/**
 * Rules moved into the map of rules by ID per turn of the event loop: about 10 ms of work on the
 * project's two-core machine, so a request arriving meanwhile waits no longer than that.
 */
const RULES_PER_TURN = 16_384;

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
