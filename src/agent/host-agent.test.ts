import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { HostScope } from '../dataplane/host-scope.js';
import type { ChangeRecord } from '../state/change-record.js';
import { View } from '../state/view.js';
import { FeedScriptForTest, instanceIdForTest as id } from './agent-fixture.js';
import type { InstanceNetwork } from './enforcer.js';
import { HostAgent } from './host-agent.js';

/**
 * The agent against a scripted host feed (`GET /feed/host`): each connection gets the next script
 * entry (the `x-stockade-revision` header and the lines to send), so the tests can play a server
 * restored from an older backup, or documents sent in place of records.
 */
async function withScriptedFeed(
  answer: (connection: number) => { revision: number; lines: readonly string[]; end?: boolean },
  check: (agent: HostAgent, connections: () => number, reports: unknown[], transactions: string[]) => Promise<void>,
): Promise<void> {
  let connections = 0;
  const reports: unknown[] = [];
  const transactions: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/feed/enforced') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        reports.push(JSON.parse(body));
        res.end('{}');
      });
      return;
    }
    assert.equal(url.pathname, '/feed/host');
    const { revision, lines, end } = answer(++connections);
    res.writeHead(200, { 'x-stockade-revision': String(revision) });
    res.flushHeaders();
    for (const line of lines) res.write(`${line}\n`);
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
    nft: (_namespace, transaction) => {
      transactions.push(transaction);
      return Promise.resolve({ kind: 'applied' });
    },
  });
  agent.start();
  try {
    await check(agent, () => connections, reports, transactions);
  } finally {
    await agent.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The lines a real server sends host `h1` for this history: its snapshot, then each later record's share. */
function hostFeedLines(history: readonly ChangeRecord[], later: readonly ChangeRecord[] = []): { revision: number; lines: string[] } {
  const view = new View();
  for (const record of history) view.apply(record);
  const scope = new HostScope('h1', view);
  const lines = [`{"snapshot":${view.revision}}`, ...scope.snapshot().map((d) => JSON.stringify(d)), `{"heartbeat":${view.revision}}`];
  const revision = view.revision;
  for (const record of later) {
    view.apply(record);
    const delivery = scope.select(record);
    lines.push(...delivery.documents.map((d) => JSON.stringify(d)));
    if (delivery.record !== undefined) lines.push(JSON.stringify(delivery.record));
    else if (delivery.documents.length > 0) lines.push(`{"heartbeat":${record.revision}}`);
  }
  return { revision, lines };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('every connection starts from its snapshot: a server restored from an older backup replaces the model', async () => {
  const first = new FeedScriptForTest();
  const before = hostFeedLines([first.group('sg-a'), first.launch(1, 'h1', ['sg-a']), first.allow('sg-a', 22, '10.0.0.0/8')]);
  // The "restored" server has a shorter, different history.
  const second = new FeedScriptForTest();
  const after = hostFeedLines([second.group('sg-b'), second.launch(2, 'h1', ['sg-b'])]);
  await withScriptedFeed(
    (connection) => (connection === 1 ? { ...before, end: true } : after),
    async (agent, connections, reports) => {
      await until(() => connections() >= 2 && agent.revision === 2, 'the second snapshot');
      await agent.settled();
      // Instance 1 is unknown to the restored server; instance 2 is enforced at revision 2.
      await until(() => JSON.stringify(reports.at(-1) ?? null).includes(id(2)), 'a report of instance 2');
      assert.deepEqual(agent.reports(), new Map([[id(2), { revision: 2, failure: undefined }]]));
    },
  );
});

test('documents sent in place of records come in force with the heartbeat after them', async () => {
  const feed = new FeedScriptForTest();
  const history = [feed.group('sg-web'), feed.group('sg-app'), feed.allow('sg-web', 80, 'sg-app'), feed.launch(1, 'h1', ['sg-web'])];
  // Elsewhere: an unrelated group's rule (nothing sent), then a new sg-app member on h2 (its document).
  const script = hostFeedLines(history, [feed.group('sg-x'), feed.allow('sg-x', 22, '0.0.0.0/0'), feed.launch(7, 'h2', ['sg-app'])]);
  assert.equal(script.lines.filter((line) => line.includes('sg-x')).length, 0, 'nothing about sg-x reaches h1');
  await withScriptedFeed(
    () => script,
    async (agent, _connections, reports, transactions) => {
      await until(() => agent.revision === 7, 'the heartbeat after the document');
      await agent.settled();
      assert.match(transactions.join('\n'), /10\.0\.0\.7/);
      await until(() => JSON.stringify(reports.at(-1) ?? null).includes(`"${id(1)}":7`), 'a report at revision 7');
      assert.deepEqual(agent.reports(), new Map([[id(1), { revision: 7, failure: undefined }]]));
    },
  );
});
