import { Worker } from 'node:worker_threads';
import type { TakeDocument } from '../document-kind.js';
import { StoreUnavailableError } from '../store.js';
import { SNAPSHOT_WORKER_FROM_BYTES, type SnapshotOptions, type SnapshotSource, type TakeDocumentText } from './snapshot-text.js';
import { CANCELLED, TAKEN, type SnapshotWorkerInput, type SnapshotWorkerMessage } from './snapshot-worker-protocol.js';

/**
 * Reads a store's snapshot where that is cheaper: in a worker thread when the store holds at least
 * `options.workerFromBytes` (default SNAPSHOT_WORKER_FROM_BYTES), else on this thread with the
 * engine's text reader, `inProcess`. Each engine calls this with its own size and reader.
 */
export async function readSnapshotBySize(
  storedBytes: number,
  options: SnapshotOptions,
  source: SnapshotSource,
  take: TakeDocument,
  inProcess: (take: TakeDocumentText) => Promise<number> | number,
): Promise<number> {
  if (storedBytes >= (options.workerFromBytes ?? SNAPSHOT_WORKER_FROM_BYTES)) return readSnapshotInWorker(source, take);
  return inProcess((kind, text) => take(kind, JSON.parse(text) as unknown));
}

/**
 * Reads a store's snapshot in a worker thread and hands each document, parsed, to `take` on this
 * thread; resolves with the revision the documents reflect.
 *
 * Why (issue 12: restart at a million rules on two cores): walking the database and receiving its
 * rows took a sixth of a restart, and none of it needs the view. The worker does that on the
 * other core while this thread parses and builds the view, which it alone can do (objects do not
 * cross threads). Texts arrive in batches of BATCH_DOCUMENTS, at most BATCHES_AHEAD ahead.
 *
 * A failure rejects as the store would in process: StoreUnavailableError when the engine cannot
 * be reached now, an Error with the engine's message otherwise. If `take` throws, the worker is
 * stopped and that error rejects.
 */
export function readSnapshotInWorker(source: SnapshotSource, take: TakeDocument): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const flow = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const input: SnapshotWorkerInput = { source, flow: flow.buffer as SharedArrayBuffer };
    const worker = new Worker(new URL('./snapshot-worker.js', import.meta.url), { workerData: input });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      Atomics.store(flow, CANCELLED, 1);
      Atomics.notify(flow, TAKEN);
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (message: SnapshotWorkerMessage) => {
      if (settled) return;
      switch (message.type) {
        case 'documents':
          try {
            for (const text of message.texts) take(message.kind, JSON.parse(text) as unknown);
          } catch (error) {
            return fail(error);
          }
          Atomics.add(flow, TAKEN, 1);
          Atomics.notify(flow, TAKEN);
          return;
        case 'done':
          // The worker ends by itself: nothing is left on its event loop.
          settled = true;
          return resolve(message.revision);
        case 'failed':
          return fail(message.unavailable ? new StoreUnavailableError(new Error(message.message)) : new Error(message.message));
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the snapshot worker stopped (exit code ${code}) before the snapshot was read`)));
  });
}
