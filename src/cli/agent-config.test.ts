import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveAgentConfig } from './agent-config.js';
import { ConfigError } from './server-config.js';

const KEYS = { STOCKADE_HOST_ACCESS_KEY_ID: 'AKIDHOST', STOCKADE_HOST_SECRET_ACCESS_KEY: 'secret' };

test('resolveAgentConfig: options, environment and defaults', () => {
  const config = resolveAgentConfig({ server: 'http://10.0.0.1:8773', host: 'node-1' }, KEYS);
  assert.deepEqual(config.serverUrls.map((u) => u.href), ['http://10.0.0.1:8773/']);
  assert.equal(config.hostName, 'node-1');
  assert.deepEqual(config.credentials, { accessKeyId: 'AKIDHOST', secretAccessKey: 'secret' });
  assert.deepEqual([config.region, config.resyncIntervalMs, config.concurrency], ['us-east-1', 60_000, 8]);
  const tuned = resolveAgentConfig({ server: 'https://sg.example', host: 'n', 'resync-interval': '0.5', concurrency: '2', region: 'eu-west-1' }, KEYS);
  assert.deepEqual([tuned.region, tuned.resyncIntervalMs, tuned.concurrency], ['eu-west-1', 500, 2]);
  assert.equal(config.metricsPort, undefined);
  assert.equal(resolveAgentConfig({ server: 'http://h', host: 'n', 'metrics-port': '9100' }, KEYS).metricsPort, 9100);
});

test('resolveAgentConfig reads the key from --credentials (hosts add --json output)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-config-'));
  try {
    const file = path.join(dir, 'host.json');
    writeFileSync(file, JSON.stringify({ hostName: 'n', accessKeyId: 'AKIDFILE', secretAccessKey: 's3' }));
    assert.deepEqual(resolveAgentConfig({ server: 'http://h', host: 'n', credentials: file }, {}).credentials, { accessKeyId: 'AKIDFILE', secretAccessKey: 's3' });
    writeFileSync(file, '{"accessKeyId": 1}');
    assert.throws(() => resolveAgentConfig({ server: 'http://h', host: 'n', credentials: file }, {}), /must hold/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveAgentConfig refuses what it cannot use', () => {
  const rows: [Record<string, string>, NodeJS.ProcessEnv, RegExp][] = [
    [{ host: 'n' }, KEYS, /needs --server/],
    [{ server: 'not a url', host: 'n' }, KEYS, /invalid --server/],
    [{ server: 'ftp://h', host: 'n' }, KEYS, /http or https/],
    [{ server: 'http://h' }, KEYS, /needs --host/],
    [{ server: 'http://h', host: 'Bad_Name' }, KEYS, /invalid host name/],
    [{ server: 'http://h', host: 'n' }, {}, /needs the host key/],
    [{ server: 'http://h', host: 'n', 'resync-interval': '-1' }, KEYS, /resync-interval/],
    [{ server: 'http://h', host: 'n', concurrency: '0' }, KEYS, /concurrency/],
    [{ server: 'http://h', host: 'n', 'metrics-port': '70000' }, KEYS, /metrics-port/],
  ];
  for (const [options, env, message] of rows) assert.throws(() => resolveAgentConfig(options, env), (e: unknown) => e instanceof ConfigError && message.test(e.message));
});
