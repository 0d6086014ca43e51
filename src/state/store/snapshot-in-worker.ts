import { Worker } from 'node:worker_threads';
import type { TakeDocument } from '../document-kind.js';
import { StoreUnavailableError } from '../store.js';
import type { SnapshotSource } from './snapshot-text.js';
import { CANCELLED, TAKEN, type SnapshotWorkerInput, type SnapshotWorkerMessage } from './snapshot-worker-protocol.js';

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
