import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ChangeRecord } from '../../src/state/change-record.js';
import { openStore, type StoreLocation } from '../../src/state/open-state.js';
import { SchemaTooNewError, type Store } from '../../src/state/store.js';
import type { DocumentKind } from '../../src/state/document-kind.js';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';

// The store contract (src/state/store.ts), run once per engine against real storage: SQLite files
// in a temporary directory, and a PostgreSQL server this suite starts. Each test gets a location of
// its own (a directory, or a database).

interface Engine {
  readonly name: 'sqlite' | 'postgres';
  location(): Promise<StoreLocation>;
  /** Sets the recorded schema version behind the store's back. */
  setSchemaVersion(location: StoreLocation, version: number): Promise<void>;
}

const directories: string[] = [];
let server: ThrowawayPostgres | undefined;

const ENGINES: readonly Engine[] = [
  {
    name: 'sqlite',
    async location() {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-contract-'));
      directories.push(dataDir);
      return { dataDir };
    },
    async setSchemaVersion(location, version) {
      const db = new Database(path.join(location.dataDir, 'stockade.db'));
      db.pragma(`user_version = ${version}`);
      db.close();
    },
  },
  {
    name: 'postgres',
    async location() {
      server ??= await startPostgres();
      return { dataDir: '', database: await server.createDatabase() };
    },
    async setSchemaVersion(location, version) {
      const client = new pg.Client({ connectionString: location.database });
      await client.connect();
      await client.query('UPDATE schema_version SET version = $1', [version]);
      await client.end();
    },
  },
];

after(async () => {
  await server?.destroy();
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

function record(revision: number, groupId: string): ChangeRecord {
  return {
    revision,
    at: '2026-12-02T00:00:00.000Z',
    accountId: '111122223333',
    region: 'us-east-1',
    change: { kind: 'SecurityGroupDeleted', groupId },
  };
}

/** A document as a snapshot hands it over: its kind and body (which holds its ID, as real ones do). */
interface SnapshotDocument {
  readonly kind: DocumentKind;
  readonly body: unknown;
}

/** The snapshot as a revision and a list of documents. */
async function readSnapshot(store: Store): Promise<{ revision: number; documents: SnapshotDocument[] }> {
  const documents: SnapshotDocument[] = [];
  const revision = await store.snapshot((kind, body) => documents.push({ kind, body }));
  return { revision, documents };
}

/** The ID a test document's body holds. */
function idOf(document: SnapshotDocument): unknown {
  return (document.body as { id?: unknown }).id;
}

/** Commits one transaction of `records` and documents, as the commit queue does. */
async function commitOne(store: Store, records: readonly ChangeRecord[], documents: { kind: 'group' | 'rule'; id: string; body: unknown }[] = []): Promise<void> {
  const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
  assert.equal(head + 1, records[0]?.revision, 'revisions continue the head');
  await store.write(records, documents);
  await store.commit();
  await store.durable();
}

for (const engine of ENGINES) {
  describe(`store contract: ${engine.name}`, () => {
    let location: StoreLocation;
    let store: Store;
    before(async () => {
      location = await engine.location();
      store = await openStore(location);
    });
    after(async () => {
      await store.close();
    });

    test('a new store is migrated to the current schema and empty at revision 0', async () => {
      assert.equal(store.engine, engine.name);
      assert.equal(store.migration.from, 0);
      assert.ok(store.migration.to >= 1);
      assert.equal(await store.head(), 0);
      const snapshot = await readSnapshot(store);
      assert.equal(snapshot.revision, 0);
      assert.deepEqual(snapshot.documents, []);
    });

    test('committed records are read back in revision order, pages after `since`', async () => {
      await commitOne(store, [record(1, 'sg-1'), record(2, 'sg-2')]);
      await commitOne(store, [record(3, 'sg-3')]);
      assert.equal(await store.head(), 3);
      assert.deepEqual((await store.changesSince(0, 10)).map((r) => r.revision), [1, 2, 3]);
      assert.deepEqual((await store.changesSince(1, 1)).map((r) => r.revision), [2]);
      assert.deepEqual(await store.changesSince(3, 10), []);
      assert.deepEqual(await store.changesSince(0, 1).then((r) => r[0]), record(1, 'sg-1'));
    });

    test('documents come back by kind, in the order first written; updates keep the place, deletes remove', async () => {
      await commitOne(store, [record(4, 'x')], [
        { kind: 'rule', id: 'sgr-b', body: { id: 'sgr-b', n: 1 } },
        { kind: 'group', id: 'sg-b', body: { id: 'sg-b', n: 1 } },
        { kind: 'group', id: 'sg-a', body: { id: 'sg-a', n: 2 } },
      ]);
      await commitOne(store, [record(5, 'x')], [
        { kind: 'group', id: 'sg-b', body: { id: 'sg-b', n: 3 } },
        { kind: 'group', id: 'sg-a', body: undefined },
        { kind: 'group', id: 'sg-c', body: { id: 'sg-c', n: 4 } },
      ]);
      const snapshot = await readSnapshot(store);
      assert.equal(snapshot.revision, 5);
      assert.deepEqual(snapshot.documents, [
        { kind: 'group', body: { id: 'sg-b', n: 3 } },
        { kind: 'group', body: { id: 'sg-c', n: 4 } },
        { kind: 'rule', body: { id: 'sgr-b', n: 1 } },
      ]);
    });

    test('a snapshot returns every document exactly: escapes, control characters and multi-byte text, across many reads', async () => {
      // Descriptions are free text (spec/api.md: any Unicode for VPC groups). The PostgreSQL engine
      // reads snapshots as COPY text, which escapes backslashes and control characters and arrives
      // in socket-sized pieces that may cut a multi-byte character: every byte must come back.
      const awkward = 'say "hi" \\ back\\slash \t tab \n newline \r\n crlf \u0001 \b\f\v é ü 日本 🚀';
      const documents = Array.from({ length: 3000 }, (_, i) => ({
        kind: 'rule' as const,
        id: `sgr-text${i}`,
        body: { id: `sgr-text${i}`, description: `${awkward} ${i}`, padding: 'ü'.repeat(i % 97), n: i },
      }));
      const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
      await store.write([record(head + 1, 'x')], documents);
      await store.commit();
      const snapshot = await readSnapshot(store);
      const read = snapshot.documents.filter((d) => String(idOf(d)).startsWith('sgr-text'));
      assert.deepEqual(read, documents.map((d) => ({ kind: d.kind, body: d.body })));
      // Leave the store as the later tests expect it.
      const { head: after } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
      await store.write([record(after + 1, 'x')], documents.map((d) => ({ kind: d.kind, id: d.id, body: undefined })));
      await store.commit();
    });

    test('a snapshot read in a worker thread hands over what one read in process does, in order, across many batches', async () => {
      // Large stores are read in a worker (store/snapshot-in-worker.ts); a store opened with the
      // threshold at 0 always is. 20,000 documents: many batches, more than the worker may send
      // ahead of the reader, so its flow control runs; awkward text, so nothing is lost on the way.
      const awkward = 'say "hi" \\ back\\slash \t tab \n newline \u0001 é 日本 🚀';
      const documents = Array.from({ length: 20_000 }, (_, i) => ({
        kind: i % 7 === 0 ? ('group' as const) : ('rule' as const),
        id: `sgr-many${i}`,
        body: { id: `sgr-many${i}`, description: `${awkward} ${i}`, n: i },
      }));
      const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
      await store.write([record(head + 1, 'x')], documents);
      await store.commit();
      const inWorker = await openStore(location, { workerFromBytes: 0 });
      try {
        const expected = await readSnapshot(store);
        assert.ok(expected.documents.length >= 20_000);
        const read = await readSnapshot(inWorker);
        assert.equal(read.revision, head + 1);
        assert.deepEqual(read, expected);
      } finally {
        await inWorker.close();
      }
      const { head: after } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
      await store.write([record(after + 1, 'x')], documents.map((d) => ({ kind: d.kind, id: d.id, body: undefined })));
      await store.commit();
    });

    test('enforcement reports: the latest per instance wins, failures round-trip, any store instance sees them', async () => {
      await store.recordEnforcement([
        { instanceId: 'i-1', hostName: 'h1', revision: 4, failure: undefined },
        { instanceId: 'i-2', hostName: 'h1', revision: 3, failure: 'nft refused the transaction' },
      ]);
      await store.recordEnforcement([{ instanceId: 'i-1', hostName: 'h2', revision: 5, failure: undefined }]);
      const other = await openStore(location);
      try {
        const found = await other.enforcementOf(['i-1', 'i-2', 'i-3']);
        assert.deepEqual(found.get('i-1'), { instanceId: 'i-1', hostName: 'h2', revision: 5, failure: undefined });
        assert.deepEqual(found.get('i-2'), { instanceId: 'i-2', hostName: 'h1', revision: 3, failure: 'nft refused the transaction' });
        assert.equal(found.has('i-3'), false);
      } finally {
        await other.close();
      }
    });

    test('console tokens: stored hashed, seen by any store instance, taken once, expired ones purged', async () => {
      await store.saveConsoleToken({ tokenHash: 'h-old', kind: 'session', accountId: '111122223333', expiresAt: 1_000 }, 500);
      await store.saveConsoleToken({ tokenHash: 'h-link', kind: 'link', accountId: '111122223333', expiresAt: 5_000 }, 2_000);
      // The second save purged what had expired at its `now`.
      assert.equal(await store.consoleToken('h-old'), undefined);
      const other = await openStore(location);
      try {
        assert.deepEqual(await other.consoleToken('h-link'), { tokenHash: 'h-link', kind: 'link', accountId: '111122223333', expiresAt: 5_000 });
        const [first, second] = await Promise.all([store.takeConsoleToken('h-link'), other.takeConsoleToken('h-link')]);
        assert.equal([first, second].filter((t) => t !== undefined).length, 1);
        assert.equal(await store.consoleToken('h-link'), undefined);
      } finally {
        await other.close();
      }
    });

    test('a rolled-back transaction leaves no trace', async () => {
      const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
      await store.write([record(head + 1, 'gone')], [{ kind: 'group', id: 'sg-gone', body: { id: 'sg-gone' } }]);
      await store.rollback();
      assert.equal(await store.head(), head);
      assert.deepEqual(await store.changesSince(head, 10), []);
      assert.ok(!(await readSnapshot(store)).documents.some((d) => idOf(d) === 'sg-gone'));
    });

    test('the write transaction excludes a second store on the same location until it commits', async () => {
      const other = await openStore(location);
      try {
        assert.equal(other.migration.from, other.migration.to, 'a current schema is not migrated again');
        const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
        await store.write([record(head + 1, 'first')], []);
        let secondHead: number | undefined;
        let missed: readonly ChangeRecord[] = [];
        // PostgreSQL's row lock waits in the server, so the second begin is sent at once and must
        // not end before the commit. SQLite's BEGIN IMMEDIATE waits in a busy handler that blocks
        // the thread, so within one process it can only be sent after the commit
        // (test/durability covers two processes); both must then see the first commit as head.
        const second = (async () => {
          if (engine.name === 'sqlite') await new Promise((r) => setTimeout(r, 50));
          // As a replica that last saw `head - 1`: the lock comes with what it missed.
          ({ head: secondHead, missed } = await other.begin(head - 1, 10));
        })();
        if (engine.name === 'postgres') {
          await new Promise((r) => setTimeout(r, 100));
          assert.equal(secondHead, undefined, 'the second writer waits for the lock');
        }
        await store.commit();
        await second;
        assert.equal(secondHead, head + 1, 'the second writer sees the first one’s commit as its head');
        assert.deepEqual(missed.map((r) => r.revision), [head, head + 1], 'and the records after the revision it gave');
        await other.write([record(head + 2, 'second')], []);
        await other.commit();
        assert.equal(await store.head(), head + 2);
        assert.equal(await store.headIfChangedElsewhere(), head + 2, 'another process committed: the new head');
      } finally {
        await other.close();
      }
    });

    test('a database whose schema is newer than this build is refused with a clear error', async () => {
      const newer = await engine.location();
      await (await openStore(newer)).close();
      await engine.setSchemaVersion(newer, 99);
      await assert.rejects(openStore(newer), (error: unknown) => {
        assert.ok(error instanceof SchemaTooNewError);
        assert.match(error.message, /schema version is 99, newer than this Stockade understands/);
        return true;
      });
    });

    if (engine.name === 'postgres') {
      test('another process’s commit wakes the listener with its revision', async () => {
        const other = await openStore(location);
        try {
          const heard: (number | undefined)[] = [];
          store.onForeignCommit((revision) => heard.push(revision));
          const deadline = Date.now() + 5000;
          // The first call says "look now" once listening starts.
          while (heard.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          const { head } = await other.begin(Number.MAX_SAFE_INTEGER, 1);
          await other.write([record(head + 1, 'announced')], []);
          await other.commit();
          while (!heard.includes(head + 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
          assert.ok(heard.includes(head + 1), `heard ${JSON.stringify(heard)}`);
        } finally {
          await other.close();
        }
      });
    }
  });
}
