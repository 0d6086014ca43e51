import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { errorCode, query, type RawResponse } from '../harness/query-client.js';
import { REPO_ROOT, startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';
import { signedFetch } from '../harness/signed-fetch.js';


/** `GET /changes?since=N`, SigV4-signed with `credentials` (unsigned when undefined). */
async function changes(server: RunningStockade, since: number, credentials: AccountCredentials | undefined): Promise<RawResponse> {
  if (credentials !== undefined) return signedFetch(server, { method: 'GET', path: '/changes', query: { since: String(since) } }, { credentials });
  const response = await fetch(`${server.url}/changes?since=${since}`);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

describe('operations: health, metrics, change feed', () => {
  let server: RunningStockade;
  let other: AccountCredentials;
  before(async () => {
    server = await startStockade();
    other = await server.createAccount({ accountId: '444455556666', platform: 'vpc-only' });
  });
  after(() => server.stop());

  test('GET /health reports the current revision', async () => {
    const before = (await (await fetch(`${server.url}/health`)).json()) as { status: string; revision: number };
    assert.equal(before.status, 'ok');
    const created = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'health', GroupDescription: 'h' });
    assert.equal(created.status, 200, created.body);
    const after = (await (await fetch(`${server.url}/health`)).json()) as { revision: number };
    assert.ok(after.revision > before.revision, `${after.revision} > ${before.revision}`);
  });

  test('GET /metrics counts requests by action and code', async () => {
    await query(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': 'sg-00000000' });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(text, /stockade_requests_total\{action="DescribeSecurityGroups",code="InvalidGroup.NotFound"\} [1-9]/);
    assert.match(text, /stockade_request_duration_seconds_bucket\{le="0.005",action="DescribeSecurityGroups"\} [0-9]+/);
    // Unknown actions share one label, so clients cannot grow the metric without bound.
    await query(server, { Action: 'NoSuchActionAtAll' });
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /stockade_requests_total\{action="unknown",code="InvalidAction"\} 1/);
  });

  test('GET /changes: the admin account reads the log as JSON lines, secrets redacted', async () => {
    const response = await changes(server, 0, server.bootstrap);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson');
    const records = response.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { revision: number; accountId: string; change: { kind: string; accessKey?: { secretAccessKey: string } } });
    assert.deepEqual(
      records.map((r) => r.revision),
      records.map((_, i) => i + 1),
    );
    assert.deepEqual(records.slice(0, 2).map((r) => r.change.kind), ['AccountCreated', 'AccessKeyCreated']);
    for (const r of records) if (r.change.accessKey !== undefined) assert.equal(r.change.accessKey.secretAccessKey, '');
    assert.ok(records.some((r) => r.change.kind === 'SecurityGroupCreated'));
    const tail = (await changes(server, records.length - 1, server.bootstrap)).body;
    assert.equal(tail.trim().split('\n').length, 1);
  });

  test('GET /changes refuses unsigned callers and other accounts', async () => {
    const unsigned = await changes(server, 0, undefined);
    assert.equal(unsigned.status, 401);
    assert.equal(errorCode(unsigned.body), 'AuthFailure');
    const notAdmin = await changes(server, 0, other);
    assert.equal(notAdmin.status, 403);
    assert.equal(errorCode(notAdmin.body), 'UnauthorizedOperation');
  });
});

describe('process lifecycle', () => {
  test('first start creates the bootstrap account once, in a 0600 credentials file', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-boot-'));
    try {
      const start = () =>
        new Promise<string>((resolve, reject) => {
          const env: NodeJS.ProcessEnv = { ...process.env, STOCKADE_LOG_LEVEL: 'warn' };
          for (const k of Object.keys(env)) if (k.startsWith('STOCKADE_BOOTSTRAP_')) delete env[k];
          const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/stockade'), 'serve', '--port', '0', '--data-dir', dataDir], { env });
          let out = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.includes('listening on')) child.kill('SIGTERM');
          });
          child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
        });
      const first = await start();
      assert.match(first, /^Created bootstrap account [0-9]{12} \(vpc-only\)\.\n {2}aws_access_key_id {5}= AKIA[A-Z2-7]{16}\n {2}aws_secret_access_key = \S{40}\nSaved to .*credentials; it is shown only this once\.\n/);
      const file = path.join(dataDir, 'credentials');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const key = /aws_access_key_id {5}= (\S+)/.exec(first)?.[1];
      assert.ok(readFileSync(file, 'utf8').includes(`aws_access_key_id = ${key}`));
      const second = await start();
      assert.doesNotMatch(second, /Created bootstrap account/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('SIGTERM exits 0, and what was acknowledged is there after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-term-'));
    try {
      const env = { STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDTERMTEST', STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: 'term-secret' };
      const first = await startStockade({ dataDir, env });
      const inFlight = Array.from({ length: 20 }, (_, i) => query(first, { Action: 'CreateSecurityGroup', GroupName: `g${i}`, GroupDescription: 'd' }));
      const answered = await Promise.all(inFlight);
      const exited = new Promise<number | null>((resolve) => first.process.once('exit', (code) => resolve(code)));
      first.process.kill('SIGTERM');
      assert.equal(await exited, 0);
      const second = await startStockade({ dataDir, env });
      try {
        const names = answered.filter((r) => r.status === 200).length;
        const listed = await query(second, { Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'g*' });
        assert.equal((listed.body.match(/<groupName>g[0-9]+<\/groupName>/g) ?? []).length, names);
        assert.equal(names, 20);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
