import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { handleQuery, type QueryEnvironment } from '../../src/api/handle-query.js';
import { parseFormEncoded } from '../../src/api/query-params.js';
import { SecurityGroupXmlCache } from '../../src/api/xml/security-group-xml-cache.js';
import { addAccessKey, createAccount, removeAccessKey } from '../../src/service/accounts.js';
import { openState, type OpenState } from '../../src/state/open-state.js';
import { Sha256 } from '../harness/sha256.js';

// A write makes no head query before it is authenticated (handle-query.ts): its operation runs
// against a view caught up under the write lock, where the caller's key is checked again. Two
// stores on one SQLite file stand for two replicas: B changes the keys, A has not looked at the
// log since, and A's answers must be what they would be had it looked.

const ACCOUNT = '210987654321';
const KEPT = { accessKeyId: 'AKIAKEPTKEPTKEPTKEPT', secretAccessKey: 'kept/secret/kept/secret/kept/secret/kept' };
const REMOVED = { accessKeyId: 'AKIAGONEGONEGONEGONE', secretAccessKey: 'gone/secret/gone/secret/gone/secret/gone' };
const ADDED = { accessKeyId: 'AKIANEWWNEWWNEWWNEWW', secretAccessKey: 'new0/secret/new0/secret/new0/secret/new0' };

let dir: string;
let a: OpenState;
let b: OpenState;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'stockade-write-caller-'));
  a = await openState({ dataDir: dir });
  await a.queue.submit(createAccount({ accountId: ACCOUNT, platform: 'vpc-only', isAdmin: false, ...KEPT }));
  await a.queue.submit(addAccessKey({ accountId: ACCOUNT, ...REMOVED }));
  b = await openState({ dataDir: dir });
});
after(async () => {
  await a.store.close();
  await b.store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One signed Query request into `state`'s handleQuery, as its server would pass it. */
async function call(state: OpenState, key: { accessKeyId: string; secretAccessKey: string }, params: Record<string, string>) {
  const environment: QueryEnvironment = { ...state, groupXml: new SecurityGroupXmlCache(), quotaProfile: 'current', defaultRegion: 'us-east-1', regions: new Set(['us-east-1']), clock: () => new Date() };
  const signer = new SignatureV4({ service: 'ec2', region: 'us-east-1', credentials: key, sha256: Sha256 });
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8773, path: '/', query: {}, headers: { host: '127.0.0.1:8773', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  const outcome = await handleQuery({ method: 'POST', path: '/', rawQuery: '', headers: signed.headers, body: Buffer.from(body), params: parseFormEncoded(body) }, environment, 'test');
  return { status: outcome.status, body: String(outcome.body) };
}

test('a key removed through another replica is refused for a write, although this replica had not seen the removal', async () => {
  await b.queue.submit(removeAccessKey(REMOVED.accessKeyId));
  assert.ok(a.view.accessKeys.has(REMOVED.accessKeyId), 'the test needs A not to have looked at the log yet');
  const created = await call(a, REMOVED, { Action: 'CreateSecurityGroup', GroupName: 'after-removal', GroupDescription: 'x' });
  assert.equal(created.status, 401);
  assert.match(created.body, /<Code>AuthFailure<\/Code>/);
  // Nothing of it was written: not the group, nor the region's defaults on its behalf.
  assert.equal(a.view.accessKeys.has(REMOVED.accessKeyId), false, 'the batch caught A up');
  assert.deepEqual([...a.view.groups.values()].filter((g) => g.groupName === 'after-removal'), []);
  assert.equal(a.view.regionState(ACCOUNT, 'us-east-1'), undefined);
});

test("a write's DryRun with a key removed through another replica is refused, not answered DryRunOperation", async () => {
  const key = { accessKeyId: 'AKIADRYYDRYYDRYYDRYY', secretAccessKey: 'dry0/secret/dry0/secret/dry0/secret/dry0' };
  await a.queue.submit(addAccessKey({ accountId: ACCOUNT, ...key }));
  const before = await call(a, key, { Action: 'CreateSecurityGroup', GroupName: 'dry', GroupDescription: 'x', DryRun: 'true' });
  assert.equal(before.status, 412);
  assert.match(before.body, /<Code>DryRunOperation<\/Code>/);
  await b.queue.submit(removeAccessKey(key.accessKeyId));
  assert.ok(a.view.accessKeys.has(key.accessKeyId), 'the test needs A not to have looked at the log yet');
  const after = await call(a, key, { Action: 'CreateSecurityGroup', GroupName: 'dry', GroupDescription: 'x', DryRun: 'true' });
  assert.equal(after.status, 401);
  assert.match(after.body, /<Code>AuthFailure<\/Code>/);
});

test('a key added through another replica is accepted at once for a write', async () => {
  await b.queue.submit(addAccessKey({ accountId: ACCOUNT, ...ADDED }));
  assert.equal(a.view.accessKeys.has(ADDED.accessKeyId), false, 'the test needs A not to have looked at the log yet');
  const created = await call(a, ADDED, { Action: 'CreateSecurityGroup', GroupName: 'with-new-key', GroupDescription: 'x' });
  assert.equal(created.status, 200, created.body);
  assert.match(created.body, /<groupId>sg-[0-9a-f]{17}<\/groupId>/);
});

test('a read catches up before it answers: a group created through another replica is found', async () => {
  const made = await call(b, KEPT, { Action: 'CreateSecurityGroup', GroupName: 'made-on-b', GroupDescription: 'x' });
  const groupId = /<groupId>(sg-[0-9a-f]+)</.exec(made.body)?.[1] ?? '';
  const read = await call(a, KEPT, { Action: 'DescribeSecurityGroups', 'GroupId.1': groupId });
  assert.equal(read.status, 200, read.body);
  assert.match(read.body, /<groupName>made-on-b<\/groupName>/);
});
