import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ec2Error } from './ec2-error.js';
import { entriesAtVersion, isExpiredTombstone, PREFIX_LIST_TOMBSTONE_MS, withEntriesChanged, type ManagedPrefixList } from './prefix-list.js';

const base: ManagedPrefixList = {
  prefixListId: 'pl-0123456789abcdef0',
  ownerId: '111122223333',
  region: 'us-east-1',
  prefixListName: 'test',
  addressFamily: 'IPv4',
  maxEntries: 10,
  entries: ['10.0.0.0/8', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map((cidr) => ({ cidr })),
  version: 1,
  tags: [],
  ordinal: 1,
};
const cidrs = (list: readonly { cidr: string }[] | undefined) => list?.map((e) => e.cidr);

test('every past version reads back exactly, in its own order', () => {
  // One row per modification: [remove, add]; removals anywhere, additions appended.
  const steps: [string[], string[]][] = [
    [['10.1.0.0/16', '10.3.0.0/16'], ['10.9.0.0/16']],
    [[], ['10.8.0.0/16', '10.7.0.0/16']],
    [['10.0.0.0/8', '10.8.0.0/16'], []],
    [['10.9.0.0/16'], ['10.1.0.0/16']],
  ];
  const versions = [base];
  for (const [remove, add] of steps) versions.push(withEntriesChanged(versions.at(-1) ?? base, remove, add.map((cidr) => ({ cidr }))));
  const latest = versions.at(-1) ?? base;
  assert.equal(latest.version, 5);
  for (const v of versions) assert.deepEqual(cidrs(entriesAtVersion(latest, v.version)), cidrs(v.entries), `version ${v.version}`);
  assert.equal(entriesAtVersion(latest, 0), undefined);
  assert.equal(entriesAtVersion(latest, 6), undefined);
});

test('refused changes throw before anything changes', () => {
  const codes = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      assert.ok(error instanceof Ec2Error);
      return error.code;
    }
    return 'none';
  };
  assert.equal(codes(() => withEntriesChanged(base, ['10.1.0.0/16'], [{ cidr: '10.1.0.0/16' }])), 'InvalidRequest');
  assert.equal(codes(() => withEntriesChanged(base, ['10.5.0.0/16'], [])), 'InvalidParameterValue');
  assert.equal(codes(() => withEntriesChanged(base, [], [{ cidr: '10.2.0.0/16' }])), 'InvalidParameterValue');
  assert.equal(codes(() => withEntriesChanged({ ...base, maxEntries: 4 }, [], [{ cidr: '10.5.0.0/16' }])), 'InvalidParameterValue');
});

test('a tombstone expires PREFIX_LIST_TOMBSTONE_MS after the delete', () => {
  const deletedAt = '2026-01-01T00:00:00.000Z';
  const tombstone = { ...base, state: 'delete-complete' as const, deletedAt };
  const at = (ms: number) => new Date(Date.parse(deletedAt) + ms);
  assert.equal(isExpiredTombstone(tombstone, at(PREFIX_LIST_TOMBSTONE_MS - 1)), false);
  assert.equal(isExpiredTombstone(tombstone, at(PREFIX_LIST_TOMBSTONE_MS)), true);
  assert.equal(isExpiredTombstone(base, at(PREFIX_LIST_TOMBSTONE_MS * 10)), false);
});
