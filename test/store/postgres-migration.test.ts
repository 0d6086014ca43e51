import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { ChangeRecord } from '../../src/state/change-record.js';
import { openStore } from '../../src/state/open-state.js';
import { POSTGRES_MIGRATIONS } from '../../src/state/store/postgres/postgres-schema.js';
import type { DocumentKind } from '../../src/state/document-kind.js';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';

// A database made by a build before documents were partitioned by kind (schema version 4) keeps
// every document, their order of creation and the form they were stored in; writes and deletes go
// on from there, new documents after the old ones.

let server: ThrowawayPostgres;
before(async () => {
  server = await startPostgres();
});
after(async () => {
  await server.destroy();
});

const record = (revision: number): ChangeRecord => ({
  revision,
  at: '2026-12-03T00:00:00.000Z',
  accountId: '111122223333',
  region: 'us-east-1',
  change: { kind: 'SecurityGroupDeleted', groupId: 'sg-x' },
});

test('a version-4 database is migrated to partitions with its documents, their order and their stored form', async () => {
  const database = await server.createDatabase();
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    await client.query('CREATE TABLE schema_version (version integer NOT NULL)');
    for (const sql of POSTGRES_MIGRATIONS.slice(0, 4)) await client.query(sql);
    await client.query('INSERT INTO schema_version VALUES (4)');
    // Interleaved as a version-4 server writes them: a group, its rules (one stored as an object,
    // as before version 4), another group, an account.
    for (const [id, kind, body] of [
      ['sg-2', 'group', '{"groupId":"sg-2"}'],
      ['sgr-1', 'rule', '{"ruleId":"sgr-1"}'],
      ['sgr-2', 'rule', '["sgr-2","sg-2"]'],
      ['sg-1', 'group', '{"groupId":"sg-1"}'],
      ['111122223333', 'account', '{"accountId":"111122223333"}'],
    ] as const)
      await client.query('INSERT INTO documents (id, kind, body) VALUES ($1, $2, $3)', [id, kind, body]);
    await client.query('UPDATE log_head SET revision = 1');
  } finally {
    await client.end();
  }

  const store = await openStore({ dataDir: '', database });
  try {
    assert.deepEqual(store.migration, { from: 4, to: POSTGRES_MIGRATIONS.length });
    const read = async () => {
      const documents: [DocumentKind, unknown][] = [];
      const revision = await store.snapshot((kind, body) => documents.push([kind, body]));
      return { revision, documents };
    };
    assert.deepEqual(await read(), {
      revision: 1,
      documents: [
        ['account', { accountId: '111122223333' }],
        ['group', { groupId: 'sg-2' }],
        ['group', { groupId: 'sg-1' }],
        ['rule', { ruleId: 'sgr-1' }],
        ['rule', ['sgr-2', 'sg-2']],
      ],
    });
    // A rewrite keeps its place, a new document comes after the old ones, a delete removes.
    const { head } = await store.begin(Number.MAX_SAFE_INTEGER, 1);
    await store.write(
      [record(head + 1)],
      [
        { kind: 'group', id: 'sg-0', body: { groupId: 'sg-0' } },
        { kind: 'group', id: 'sg-2', body: { groupId: 'sg-2', n: 2 } },
        { kind: 'rule', id: 'sgr-1', body: undefined },
      ],
    );
    await store.commit();
    assert.deepEqual((await read()).documents, [
      ['account', { accountId: '111122223333' }],
      ['group', { groupId: 'sg-2', n: 2 }],
      ['group', { groupId: 'sg-1' }],
      ['group', { groupId: 'sg-0' }],
      ['rule', ['sgr-2', 'sg-2']],
    ]);
  } finally {
    await store.close();
  }
});
