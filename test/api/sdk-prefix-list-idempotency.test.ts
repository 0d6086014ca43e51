import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateManagedPrefixListCommand, DescribeManagedPrefixListsCommand } from '@aws-sdk/client-ec2';
import { withSdkServer } from '../harness/sdk-session.js';

// The SDK fills in CreateManagedPrefixList's ClientToken and reuses it when it retries a call whose
// answer was lost; the retry must get the first list, not a second one (spec/api.md §5.14 for
// RunInstances, the same rule). The token is part of the stored list, so it holds after a restart.
describe('CreateManagedPrefixList with a ClientToken', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-test-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a repeated token returns the first list, before and after a restart', async () => {
    const env = { STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDPREFIXIDEMPOTENT', STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: 'prefix/idempotent' };
    const create = (name: string, clientToken: string) =>
      new CreateManagedPrefixListCommand({ PrefixListName: name, MaxEntries: 5, AddressFamily: 'IPv4', Entries: [{ Cidr: '10.1.0.0/16' }], ClientToken: clientToken });

    await withSdkServer({ dataDir, env }, async (ec2) => {
      const first = (await ec2.send(create('office', 'token-1'))).PrefixList;
      const retry = (await ec2.send(create('office', 'token-1'))).PrefixList;
      assert.ok(first?.PrefixListId);
      assert.equal(retry?.PrefixListId, first.PrefixListId);
      const other = (await ec2.send(create('office', 'token-2'))).PrefixList;
      assert.notEqual(other?.PrefixListId, first.PrefixListId);
    });
    await withSdkServer({ dataDir, env }, async (ec2) => {
      const again = (await ec2.send(create('office', 'token-1'))).PrefixList;
      const mine = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['office'] }] }))).PrefixLists ?? [];
      assert.equal(mine.length, 2);
      assert.ok(mine.some((l) => l.PrefixListId === again?.PrefixListId));
    });
  });
});
