import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ID_HEX_LENGTH, type IdSource, type ResourcePrefix } from '../domain/ids.js';
import type { ChangeRecord } from './change-record.js';
import { CommitQueue } from './commit-queue.js';
import { fillView } from './fill-view.js';
import type { Store } from './store.js';
import type { SnapshotOptions } from './store/snapshot-text.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { View } from './view.js';

/** The store, the view rebuilt from it, and the queue that writes to both. */
export interface OpenState {
  readonly store: Store;
  readonly view: View;
  readonly queue: CommitQueue;
}

/** Where state lives: a PostgreSQL URL (shared by replicas), else SQLite in `dataDir`. */
export interface StoreLocation {
  readonly dataDir: string;
  /** `postgres://…`; undefined for the embedded engine. */
  readonly database?: string | undefined;
}

/**
 * Opens the store (creating and migrating its schema if needed): PostgreSQL when `database` is
 * set, else the embedded engine in `dataDir` (`stockade.db`). PostgreSQL's code is loaded only
 * then. Does not read any state.
 */
export async function openStore(location: StoreLocation, snapshot: SnapshotOptions = {}): Promise<Store> {
  if (location.database !== undefined) {
    const { PostgresStore } = await import('./store/postgres/postgres-store.js');
    return PostgresStore.open(location.database, snapshot);
  }
  mkdirSync(location.dataDir, { recursive: true });
  return new SqliteStore(path.join(location.dataDir, 'stockade.db'), snapshot);
}

/** Opens the store and fills a fresh view from its snapshot; the queue then keeps both in step. */
export async function openState(
  options: StoreLocation & {
    clock?: () => Date;
    onCommitted?: (records: readonly ChangeRecord[]) => void;
    onFatal?: (error: unknown) => void;
    /** Called after the view was refilled from the store (caches derived from it must be dropped). */
    onReload?: () => void;
  },
): Promise<OpenState> {
  const store = await openStore(options);
  // On reload the same View object is refilled, so every holder keeps a valid reference.
  const view = new View();
  try {
    await fillView(view, store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const queue = new CommitQueue({
    store,
    view,
    ids: randomIds(view),
    clock: options.clock ?? (() => new Date()),
    ...(options.onCommitted === undefined ? {} : { onCommitted: options.onCommitted }),
    ...(options.onReload === undefined ? {} : { onReload: options.onReload }),
    ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
  });
  return { store, view, queue };
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
    next(prefix: ResourcePrefix, hexDigits = ID_HEX_LENGTH[prefix]): string {
      for (;;) {
        const hex = take(9).slice(0, hexDigits);
        const id = `${prefix}-${hex}`;
        if (!v.holdsResourceId(id)) return id;
      }
    },
  };
}
