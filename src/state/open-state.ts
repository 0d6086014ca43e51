import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ID_HEX_LENGTH, type IdSource, type ResourcePrefix } from '../domain/ids.js';
import type { ChangeRecord } from './change-record.js';
import { CommitQueue } from './commit-queue.js';
import type { Store } from './store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { View } from './view.js';

/** The store, the view rebuilt from it, and the queue that writes to both. */
export interface OpenState {
  readonly store: Store;
  readonly view: View;
  readonly queue: CommitQueue;
}

/**
 * Opens (creating if needed) the embedded store in `dataDir` (`stockade.db`), loads every document
 * into a fresh view and catches up on any change committed after them.
 */
export function openState(options: {
  dataDir: string;
  clock?: () => Date;
  onCommitted?: (records: readonly ChangeRecord[]) => void;
  onFatal?: (error: unknown) => void;
  /** Called after the view was rebuilt from the store (caches derived from it must be dropped). */
  onReload?: () => void;
}): OpenState {
  mkdirSync(options.dataDir, { recursive: true });
  const store = new SqliteStore(path.join(options.dataDir, 'stockade.db'));
  // On reload the same View object is refilled, so every holder keeps a valid reference.
  const view = new View();
  refill(view, store);
  const ids = randomIds(view);
  const queue = new CommitQueue({
    store,
    view,
    ids,
    clock: options.clock ?? (() => new Date()),
    ...(options.onCommitted === undefined ? {} : { onCommitted: options.onCommitted }),
    reload: () => {
      refill(view, store);
      options.onReload?.();
    },
    ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
  });
  return { store, view, queue };
}

/** Replaces the view's contents with what the store holds (start-up, and after a failed batch). */
function refill(view: View, store: Store): void {
  view.reset();
  for (const doc of store.loadDocuments()) view.load(doc.kind, doc.body);
  view.revision = store.lastRevision();
}

/** Random lower-case hex IDs, never one the view already holds (32-bit `sg-` IDs can collide). */
function randomIds(v: View): IdSource {
  // One 4 KiB draw from the CSPRNG serves ~450 IDs: a syscall per ID showed in profiles.
  let pool = Buffer.alloc(0);
  let offset = 0;
  const take = (bytes: number): string => {
    if (offset + bytes > pool.length) {
      pool = randomBytes(4096);
      offset = 0;
    }
    offset += bytes;
    return pool.toString('hex', offset - bytes, offset);
  };
  return {
    next(prefix: ResourcePrefix): string {
      for (;;) {
        const hex = take(9).slice(0, ID_HEX_LENGTH[prefix]);
        const id = `${prefix}-${hex}`;
        if (!v.holdsResourceId(id)) return id;
      }
    },
  };
}
