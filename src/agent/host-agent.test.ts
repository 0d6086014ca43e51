import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { ChangeRecord } from '../state/change-record.js';
import { FeedScriptForTest, instanceIdForTest as id } from './agent-fixture.js';
import type { InstanceNetwork } from './enforcer.js';
import { HostAgent } from './host-agent.js';

/**
 * The agent against a scripted feed server: each connection gets the next script entry (the
 * `x-stockade-revision` header and the records after `since`), so the tests can play a server
 * whose log went backwards, or a stream that skips a revision.
 */
async function withScriptedFeed(
  answer: (since: number, connection: number) => { revision: number; records: readonly ChangeRecord[]; end?: boolean },
  check: (agent: HostAgent, requests: number[], reports: unknown[], snapshots: () => number) => Promise<void>,
): Promise<void> {
  const requests: number[] = [];
  const reports: unknown[] = [];
  let snapshots = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // The scripted server's snapshot is its empty state: the agent then reads the script from 0.
    if (url.pathname === '/feed/snapshot') {
      snapshots++;
      res.end('{"revision":0}\n');
      return;
    }
    if (url.pathname === '/feed/enforced') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        reports.push(JSON.parse(body));
        res.end('{}');
      });
      return;
    }
    const since = Number(url.searchParams.get('since'));
    requests.push(since);
    const { revision, records, end } = answer(since, requests.length);
    res.writeHead(200, { 'x-stockade-revision': String(revision) });
    res.flushHeaders();
    for (const record of records) if (record.revision > since) res.write(`${JSON.stringify(record)}\n`);
    // The stream stays open, as a live feed does, unless the script ends it (a server stopping).
    if (end === true) res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const namespaces = new Set<string>();
  const network: InstanceNetwork = {
    existingNamespaces: () => Promise.resolve(new Set(namespaces)),
    createInstanceNamespace: (name) => Promise.resolve(void namespaces.add(name)),
    ensureAttached: () => Promise.resolve(),
    removeInstance: (name) => Promise.resolve(namespaces.delete(name)),
  };
  const agent = new HostAgent({
    serverUrls: [new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)],
    hostName: 'h1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    region: 'us-east-1',
    resyncIntervalMs: 0,
    log: { info: () => undefined, warn: () => undefined },
    network,
    nft: () => Promise.resolve({ kind: 'applied' }),
  });
  agent.start();
  try {
    await check(agent, requests, reports, () => snapshots);
  } finally {
    await agent.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('a server whose log is behind the agent makes it start again from a snapshot', async () => {
  const first = new FeedScriptForTest();
  const before = [first.group('sg-a'), first.launch(1, 'h1', ['sg-a']), first.allow('sg-a', 22, '10.0.0.0/8')];
  // The "restored" server has a shorter, different history.
  const second = new FeedScriptForTest();
  const after = [second.group('sg-b'), second.launch(2, 'h1', ['sg-b'])];
  await withScriptedFeed(
    (_since, connection) => (connection === 1 ? { revision: 3, records: before, end: true } : { revision: 2, records: after }),
    async (agent, requests, reports, snapshots) => {
      // The first stream ends: the agent reconnects with since=3, sees revision 2, and resets.
      await until(() => requests.length >= 3, 'the reconnection from the snapshot');
      assert.deepEqual(requests.slice(0, 3), [0, 3, 0]);
      assert.equal(snapshots(), 2, 'one snapshot at start, one after the reset');
      await until(() => agent.revision === 2, 'the new log');
      await agent.settled();
      // Instance 1 is unknown to the new log; instance 2 is enforced at revision 2.
      await until(() => JSON.stringify(reports.at(-1)).includes(id(2)), 'a report of instance 2');
      assert.deepEqual(agent.reports(), new Map([[id(2), { revision: 2, failure: undefined }]]));
    },
  );
});

test('a skipped revision makes the agent start again from a snapshot', async () => {
  const feed = new FeedScriptForTest();
  const records = [feed.group('sg-a'), feed.launch(1, 'h1', ['sg-a']), feed.allow('sg-a', 22, '10.0.0.0/8'), feed.allow('sg-a', 23, '10.0.0.0/8')];
  await withScriptedFeed(
    // First connection: revisions 1, 2 and then 4 (3 is missing).
    (_since, connection) => (connection === 1 ? { revision: 4, records: records.filter((r) => r.revision !== 3) } : { revision: 4, records }),
    async (agent, requests) => {
      await until(() => requests.length >= 2, 'the reconnection');
      assert.deepEqual(requests.slice(0, 2), [0, 0]);
      await until(() => agent.revision === 4, 'the whole log');
      await agent.settled();
      assert.deepEqual(agent.reports(), new Map([[id(1), { revision: 4, failure: undefined }]]));
    },
  );
});
