import type { DocumentKind } from '../document-kind.js';
import type { SnapshotSource } from './snapshot-text.js';

/** What a snapshot worker is started with (its `workerData`). */
export interface SnapshotWorkerInput {
  readonly source: SnapshotSource;
  /** An Int32Array's buffer shared with the view's thread: see TAKEN and CANCELLED. */
  readonly flow: SharedArrayBuffer;
}

/** Index in `flow` of the number of batches the view's thread has taken. */
export const TAKEN = 0;
/** Index in `flow` set to 1 when the view's thread no longer wants the snapshot. */
export const CANCELLED = 1;
/** Documents per message: large enough that messaging costs little beside parsing them. */
export const BATCH_DOCUMENTS = 1024;
/**
 * Batches the worker may send ahead of the view's thread. Reading is faster than building the
 * view, so without a bound a million documents' texts would wait in the channel at once.
 */
export const BATCHES_AHEAD = 16;

/** What a snapshot worker sends, in this order: batches, then `done` or `failed`. */
export type SnapshotWorkerMessage =
  | { readonly type: 'documents'; readonly kind: DocumentKind; readonly texts: readonly string[] }
  | { readonly type: 'done'; readonly revision: number }
  /** `unavailable`: the engine cannot be reached now (StoreUnavailableError on the other side). */
  | { readonly type: 'failed'; readonly message: string; readonly unavailable: boolean };
