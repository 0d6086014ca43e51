import { parentPort, workerData } from 'node:worker_threads';
import type { DocumentKind } from '../document-kind.js';
import type { StoreEngine } from '../store.js';
import type { SnapshotSources, TakeDocumentText } from './snapshot-text.js';
import { BATCH_DOCUMENTS, BATCHES_AHEAD, CANCELLED, TAKEN, type SnapshotWorkerInput, type SnapshotWorkerMessage } from './snapshot-worker-protocol.js';

/**
 * A snapshot worker's thread (snapshot-in-worker.ts starts it): reads the store's documents as
 * text on a connection of its own and sends them in batches to the view's thread, which parses
 * them. Each engine's reader is the one its store uses in process. Modules are loaded per engine,
 * so a SQLite server's worker never loads the PostgreSQL client.
 */

interface SnapshotReader<E extends StoreEngine> {
  read(source: SnapshotSources[E], take: TakeDocumentText): Promise<number>;
  /** Whether a failure means the engine cannot be reached now. */
  unavailable(error: unknown): Promise<boolean>;
}

const READERS: { readonly [E in StoreEngine]: SnapshotReader<E> } = {
  sqlite: {
    async read(source, take) {
      const { default: Database } = await import('better-sqlite3');
      const { readSqliteSnapshot } = await import('./sqlite/sqlite-snapshot.js');
      const db = new Database(source.file, { readonly: true, fileMustExist: true });
      try {
        return readSqliteSnapshot(db, take);
      } finally {
        db.close();
      }
    },
    // A local file: nothing to wait for and retry.
    unavailable: async () => false,
  },
  postgres: {
    async read(source, take) {
      const { readSnapshotOnNewConnection } = await import('./postgres/snapshot-copy.js');
      return readSnapshotOnNewConnection(source.config, take, source.stallMs);
    },
    async unavailable(error) {
      const { isUnavailability } = await import('./postgres/unavailability.js');
      return isUnavailability(error);
    },
  },
};

class Cancelled extends Error {}

const port = parentPort;
if (port === null) throw new Error('snapshot-worker.js runs as a worker thread');
const input = workerData as SnapshotWorkerInput;
const flow = new Int32Array(input.flow);
const send = (message: SnapshotWorkerMessage) => port.postMessage(message);

let sent = 0;
let texts: string[] = [];
let batchKind: DocumentKind | undefined;

/** Sends the batch, then waits while the view's thread is BATCHES_AHEAD batches behind. */
function flush(): void {
  if (batchKind === undefined || texts.length === 0) return;
  send({ type: 'documents', kind: batchKind, texts });
  texts = [];
  sent += 1;
  for (;;) {
    if (Atomics.load(flow, CANCELLED) !== 0) throw new Cancelled();
    const taken = Atomics.load(flow, TAKEN);
    if (sent - taken <= BATCHES_AHEAD) return;
    // Woken by the view's thread as it takes a batch; the timeout only re-checks CANCELLED.
    Atomics.wait(flow, TAKEN, taken, 100);
  }
}

const take: TakeDocumentText = (kind, text) => {
  if (kind !== batchKind) {
    flush();
    batchKind = kind;
  }
  texts.push(text);
  if (texts.length === BATCH_DOCUMENTS) flush();
};

/** Reads with the engine's reader; the cast pairs the source with its own engine's reader. */
function read<E extends StoreEngine>(source: { engine: E } & SnapshotSources[E]): Promise<number> {
  return (READERS[source.engine] as SnapshotReader<E>).read(source, take);
}

try {
  const revision = await read(input.source);
  flush();
  send({ type: 'done', revision });
} catch (error) {
  if (!(error instanceof Cancelled)) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error), unavailable: await READERS[input.source.engine].unavailable(error) });
  }
}
