import type pg from 'pg';
import type { DocumentKind } from '../document-kind.js';
import type { StoreEngine } from '../store.js';

/**
 * Receives one stored document of a snapshot as the store holds it: its kind and its JSON text.
 * Each engine reads its snapshot as text through one such function, in process or in a snapshot
 * worker (snapshot-in-worker.ts); only the view's thread parses it.
 */
export type TakeDocumentText = (kind: DocumentKind, text: string) => void;

/**
 * What a snapshot worker needs to read a store on a connection of its own: plain data, copied
 * into the worker. One entry per engine (the worker's reader table fails to compile without it).
 */
export interface SnapshotSources {
  readonly sqlite: { readonly file: string };
  readonly postgres: { readonly config: pg.ClientConfig; readonly stallMs: number };
}
export type SnapshotSource = { [E in StoreEngine]: { readonly engine: E } & SnapshotSources[E] }[StoreEngine];

/**
 * How large a store must be before its snapshot is read in a worker thread (issue 12: at a
 * million rules, 545 MB of SQLite, the worker takes 0.65–0.75 s off a restart). It has a price:
 * tens of milliseconds to start, and 9–15 MiB that the worker thread's allocator keeps resident
 * afterwards. Below this size (about 230,000 rules) the saving is under 0.2 s and not worth that
 * memory. Tests lower it to 0.
 */
export const SNAPSHOT_WORKER_FROM_BYTES = 128 * 1024 * 1024;

/** How a store reads its snapshots; each engine takes it when it opens. */
export interface SnapshotOptions {
  /** Stored bytes from which a snapshot is read in a worker (default SNAPSHOT_WORKER_FROM_BYTES). */
  readonly workerFromBytes?: number;
}
