import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StoreLocation } from '../src/state/open-state.js';
import { LOAD_REGIONS, openInProcessApi } from './in-process-api.js';
import { startDurablePostgres, type DurablePostgres } from './durable-postgres.js';
import { ACCESS_KEY, SECRET_KEY, startStockade, type ServerProcess } from './server-processes.js';
import { LOAD } from './sg-load-run.js';

// `npm run bench:scale [-- --sizes 100000,1000000 --engines sqlite,postgres --json]` (issue 12, "State at
// scale"). For each engine and size: loads that many rules in process, through the API's own
// request path (signed Query requests into handleQuery, 60 rules per AuthorizeSecurityGroupIngress,
// at most 2,400 groups per region so the quota holds), then starts `stockade serve` on that state
// and measures, through HTTP: the time from spawn to the first answer, resident memory per stored
// rule (above an empty server's), and the server's CPU per DescribeSecurityGroups by ID (the shared
// load generator's W2 over 200 of the groups, with --pid, 10 s after the first answer).

const RULES_PER_GROUP = 60;
const GROUPS_PER_REGION = 2400;
const PREFIX = 'scale';
/** Idle time before memory is read: V8 gives freed pages back to the system only after a while. */
const SETTLE_MS = 10_000;

interface Row {
  readonly engine: string;
  readonly rules: number;
  readonly groups: number;
  readonly loadSeconds: number;
  readonly firstAnswerMs: number;
  readonly rssMiB: number;
  /** Resident bytes per stored rule, above an empty server's, after 10 s idle. */
  readonly rssBytesPerRule: number;
  /** Live JavaScript heap per stored rule, above an empty server's (the server's /metrics). */
  readonly heapBytesPerRule: number;
  readonly describeByIdCpuMsPerCall: number;
  readonly describeByIdRps: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}


/** Loads `rules` rules into the store at `location`, through signed requests into handleQuery. */
async function load(location: StoreLocation, rules: number): Promise<number> {
  const api = await openInProcessApi(location);
  const call = api.call;
  const groups = Math.ceil(rules / RULES_PER_GROUP);
  const started = process.hrtime.bigint();
  // 32 requests in flight: the commit queue batches them into shared transactions.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let g = next++; g < groups; g = next++) {
        const region = LOAD_REGIONS[Math.floor(g / GROUPS_PER_REGION)] as string;
        // sg-load's W2 looks groups up by `${prefix}-${i}` names: the first region's come first.
        const created = await call(region, { Action: 'CreateSecurityGroup', GroupName: `${PREFIX}-${g}`, GroupDescription: `scale ${g}` });
        const groupId = /<groupId>(sg-[0-9a-f]+)</.exec(created)?.[1] ?? '';
        const count = Math.min(RULES_PER_GROUP, rules - g * RULES_PER_GROUP);
        const params: Record<string, string> = { Action: 'AuthorizeSecurityGroupIngress', GroupId: groupId, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '443', 'IpPermissions.1.ToPort': '443' };
        for (let r = 0; r < count; r++) params[`IpPermissions.1.IpRanges.${r + 1}.CidrIp`] = `10.${(g >> 8) & 255}.${g & 255}.${r * 4}/30`;
        await call(region, params);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await api.close();
  if (location.database !== undefined) await settle(location.database);
  return seconds;
}

/**
 * What PostgreSQL's manual advises after a bulk load ("Populating a Database": run ANALYZE; VACUUM
 * sets the hint bits and visibility map), then a CHECKPOINT: the restart below is then measured on
 * a database at rest, as an operator's restart is, not beside autovacuum and the checkpointer still
 * working off a million-row load, nor setting every row's hint bits as the first reader after it.
 * SQLite needs nothing: its WAL is checkpointed as the load commits.
 */
async function settle(database: string): Promise<void> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

interface Running {
  readonly server: ServerProcess;
  readonly firstAnswerMs: number;
}

/** `stockade serve` on `location`; the first answer is `/health`'s, right after the server listens. */
async function serve(location: StoreLocation): Promise<Running> {
  const started = process.hrtime.bigint();
  const server = await startStockade({ dataDir: location.dataDir, ...(location.database === undefined ? {} : { database: location.database }) }, () => {});
  await fetch(`${server.url}/health`);
  return { server, firstAnswerMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** Resident set and live heap of a server after `settleMs` idle (V8 returns freed pages lazily). */
async function memoryOf(running: Running, settleMs: number): Promise<{ rss: number; heap: number }> {
  await new Promise((r) => setTimeout(r, settleMs));
  const metrics = await (await fetch(`${running.server.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1]);
  return { rss: gauge('stockade_resident_memory_bytes'), heap: gauge('stockade_heap_used_bytes') };
}

/** W2 over 200 of the loaded groups; returns the server's CPU ms per call and the rate. */
async function describeById(running: Running, workDir: string): Promise<{ cpuMsPerCall: number; rps: number }> {
  const out = path.join(workDir, `w2-${running.server.port}.json`);
  const status = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [LOAD, '--access-key', ACCESS_KEY, '--secret-key', SECRET_KEY, '--endpoint', `s=${running.server.url}`, '--pid', `s=${running.server.pid}`, '--workloads', 'W2', '--reuse-prefix', PREFIX, '--groups', '200', '--describe-calls', '5000', '--json', out, '--quiet'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('exit', (code) => resolve(code ?? 1));
  });
  if (status !== 0) throw new Error(`sg-load exited with ${status}`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { results: { phases: { phase: string; rps: number; calls: number; serverCpuS?: number }[] }[] };
  const phase = report.results[0]?.phases.find((p) => p.phase.startsWith('W2'));
  if (phase === undefined || phase.serverCpuS === undefined) throw new Error(`no W2 phase with server CPU: ${JSON.stringify(report.results[0]?.phases.map((p) => ({ ...p, latency: undefined })))}`);
  return { cpuMsPerCall: (phase.serverCpuS * 1000) / phase.calls, rps: phase.rps };
}

async function main(): Promise<void> {
  const sizes = option('sizes', '100000,1000000').split(',').map(Number);
  const engines = option('engines', 'sqlite,postgres').split(',');
  const rows: Row[] = [];
  const workDir = mkdtempSync(path.join(tmpdir(), 'stockade-scale-'));
  let postgres: DurablePostgres | undefined;
  try {
    for (const engine of engines) {
      // The empty server's memory, subtracted to get the cost per stored rule.
      const emptyLocation = await locationFor(engine, workDir, 'empty');
      const empty = await serve(emptyLocation);
      const emptyMemory = await memoryOf(empty, SETTLE_MS);
      await empty.server.stop();
      for (const rules of sizes) {
        const location = await locationFor(engine, workDir, String(rules));
        const loadSeconds = await load(location, rules);
        const running = await serve(location);
        try {
          // Described once start-up's deferred work is done (the rules-by-ID map, completed after
          // the first answer, and the collection that follows it): the rate at rest, which is
          // what must not depend on how many groups exist.
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          const describe = await describeById(running, workDir);
          const memory = await memoryOf(running, SETTLE_MS);
          rows.push({
            engine,
            rules,
            groups: Math.ceil(rules / RULES_PER_GROUP),
            loadSeconds: round(loadSeconds, 1),
            firstAnswerMs: Math.round(running.firstAnswerMs),
            rssMiB: round(memory.rss / 1048576, 1),
            rssBytesPerRule: Math.round((memory.rss - emptyMemory.rss) / rules),
            heapBytesPerRule: Math.round((memory.heap - emptyMemory.heap) / rules),
            describeByIdCpuMsPerCall: round(describe.cpuMsPerCall, 3),
            describeByIdRps: Math.round(describe.rps),
          });
          process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
        } finally {
          await running.server.stop();
        }
      }
    }
  } finally {
    await postgres?.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }
  async function locationFor(engine: string, dir: string, name: string): Promise<StoreLocation> {
    if (engine === 'sqlite') return { dataDir: path.join(dir, name) };
    postgres ??= await startDurablePostgres(() => {});
    return { dataDir: path.join(dir, name), database: await postgres.createDatabase(`scale_${name}`) };
  }
  if (process.argv.includes('--json')) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
  process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  process.stdout.write('| engine | rules | groups | load s | first answer ms | RSS MiB | RSS bytes/rule | heap bytes/rule | describe by ID: server CPU ms/call | req/s |\n|---|---|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.engine} | ${r.rules.toLocaleString('en')} | ${r.groups.toLocaleString('en')} | ${r.loadSeconds} | ${r.firstAnswerMs} | ${r.rssMiB} | ${r.rssBytesPerRule} | ${r.heapBytesPerRule} | ${r.describeByIdCpuMsPerCall} | ${r.describeByIdRps} |\n`);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

await main();
