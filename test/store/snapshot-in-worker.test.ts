import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../../src/state/open-state.js';
import { StoreUnavailableError } from '../../src/state/store.js';
import { readSnapshotInWorker } from '../../src/state/store/snapshot-in-worker.js';

// How a snapshot read in a worker thread fails (the store contract checks what it reads): as the
// store would fail in process, and never by hanging.

const directory = mkdtempSync(path.join(tmpdir(), 'stockade-snapshot-worker-'));
after(() => rmSync(directory, { recursive: true, force: true }));

test('a SQLite file that cannot be opened rejects with the engine\'s message, not as unavailable', async () => {
  await assert.rejects(readSnapshotInWorker({ engine: 'sqlite', file: path.join(directory, 'missing.db') }, () => {}), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.ok(!(error instanceof StoreUnavailableError));
    assert.match(error.message, /unable to open database file/);
    return true;
  });
});

test('a PostgreSQL server that cannot be reached rejects with StoreUnavailableError', async () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const source = { engine: 'postgres' as const, config: { connectionString: 'postgres://stockade@127.0.0.1:1/stockade', connectionTimeoutMillis: 2000 }, stallMs: 2000 };
  await assert.rejects(readSnapshotInWorker(source, () => {}), (error: unknown) => {
    assert.ok(error instanceof StoreUnavailableError, String(error));
    assert.match(error.message, /^the store is unavailable: .*ECONNREFUSED/);
    return true;
  });
});

test('when taking a document throws, the read rejects with that error and the worker stops', async () => {
  const dataDir = path.join(directory, 'store');
  const store = await openStore({ dataDir });
  try {
    const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
    const documents = Array.from({ length: 40_000 }, (_, i) => ({ kind: 'rule' as const, id: `sgr-${i}`, body: { id: `sgr-${i}` } }));
    await store.write([{ revision: head + 1, at: '2026-12-03T00:00:00.000Z', accountId: '111122223333', region: 'us-east-1', change: { kind: 'SecurityGroupDeleted', groupId: 'sg-1' } }], documents);
    await store.commit();
  } finally {
    await store.close();
  }
  let taken = 0;
  const refusal = new Error('this document is refused');
  await assert.rejects(
    readSnapshotInWorker({ engine: 'sqlite', file: path.join(dataDir, 'stockade.db') }, () => {
      if (++taken === 5000) throw refusal;
    }),
    (error: unknown) => error === refusal,
  );
  assert.equal(taken, 5000);
  // The worker, blocked while it was ahead of the reader, was told to stop and was terminated:
  // nothing keeps this process alive (the test runner would time out otherwise).
});
