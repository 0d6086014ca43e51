import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { measureFeedPropagation, type FeedPropagation } from './cross-replica-feed.js';
import { startDurablePostgres, type DurablePostgres } from './durable-postgres.js';
import { processCpuSeconds } from './process-cpu.js';
import { startMoto, startStockade, type ServerProcess } from './server-processes.js';
import { runWorkloads, stopGenerators, WORKLOADS, type LoadSettings, type LoadShare, type Workload, type WorkloadFigures } from './sg-load-run.js';

// `npm run bench:replicas` (issue 12): the shared load generator (../shared/bench/sg-load.mjs)
// against four configurations, one after the other in one run:
//   sqlite  one `stockade serve --data-dir` (the embedded engine);
//   pg-1    one `stockade serve --database` on a fresh PostgreSQL database;
//   pg-2    two replicas on one fresh database, the load spread across them: two generators at
//           once, one per replica, each with half the groups (W1), half the describe calls (W2,
//           W3) and half the concurrency, so that the offered load is the same as for one server;
//   moto    moto's server, as `npm run bench` starts it.
// Each generator runs W1, W2 and W3 in turn, as `npm run bench` does (a generator started afresh
// per workload is cold: W2 at about two thirds of the rate). Per workload: throughput (pg-2: total calls over
// the longer generator's time), the server's CPU per call from sg-load's --pid (every thread;
// summed over replicas) and, for PostgreSQL, the cluster's own CPU per call (postmaster and every
// backend), read when the last generator ends each workload. pg-2's generators end a workload a
// little apart (reported): for that long, one's next workload overlaps the other's. With pg-2 running, the delay from a write's response on replica A to the
// arrival of its record on replica B's `GET /feed`. PostgreSQL runs with its default durability
// (fsync on, synchronous_commit on).
//
// Options: --runs N (default 1; the table then gives each run and the median of each cell),
// --configs sqlite,pg-1,pg-2,moto, --feed-writes N (200), --feed-warmup N (20), --feed-pause-ms N
// (5), --cpu-prof DIR (V8 CPU profiles of the Stockade servers, written when they stop), --json
// (only a JSON object on stdout; progress on stderr). Other options go to sg-load.mjs: --groups,
// --rules, --concurrency, --w3-concurrency, --describe-calls, --describe-all-calls (its defaults
// when absent: 200, 20, 16, 16, 5000, 200), and e.g. --timeout-ms.

const CONFIGS = ['sqlite', 'pg-1', 'pg-2', 'moto'] as const;
type ConfigName = (typeof CONFIGS)[number];

/** sg-load.mjs's defaults, which the shares of pg-2 are halves of. */
const SG_LOAD_DEFAULTS = { groups: 200, rules: 20, concurrency: 16, 'describe-calls': 5000, 'describe-all-calls': 200 } as const;
/** Options this benchmark sets per generator itself. */
const OWN_LOAD_OPTIONS = new Set(['endpoint', 'pid', 'workloads', 'prefix', 'reuse-prefix', 'json', 'quiet', 'access-key', 'secret-key', 'selftest', 'help']);
const LOAD_FLAGS = new Set(['no-keepalive']);

/** The issue's targets. */
const TARGETS = { sqliteAuthorizeMs: 0.25, postgresW1Ratio: 3, crossReplicaFeedP99Ms: 20 } as const;

interface Options {
  readonly runs: number;
  readonly configs: readonly ConfigName[];
  readonly feedWrites: number;
  readonly feedWarmup: number;
  readonly feedPauseMs: number;
  readonly cpuProfileDir: string | undefined;
  readonly json: boolean;
  readonly groups: number;
  readonly rules: number;
  readonly concurrency: number;
  readonly w3Concurrency: number;
  readonly describeCalls: number;
  readonly describeAllCalls: number;
  readonly passthrough: readonly string[];
}

function parseOptions(argv: readonly string[]): Options {
  const own: Record<string, string> = {};
  const load: Record<string, string> = {};
  const passthrough: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const name = arg.slice(2);
    if (name === 'json') {
      json = true;
      continue;
    }
    if (LOAD_FLAGS.has(name)) {
      passthrough.push(arg);
      continue;
    }
    if (OWN_LOAD_OPTIONS.has(name)) throw new Error(`${arg} is set by the benchmark itself`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`missing value for ${arg}`);
    if (['runs', 'configs', 'feed-writes', 'feed-warmup', 'feed-pause-ms', 'cpu-prof'].includes(name)) own[name] = value;
    else if (name in SG_LOAD_DEFAULTS || name === 'w3-concurrency') load[name] = value;
    else passthrough.push(arg, value);
  }
  const count = (value: string | undefined, fallback: number, what: string) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a whole number, got ${value}`);
    return n;
  };
  const configs = (own.configs ?? CONFIGS.join(',')).split(',').map((c) => c.trim());
  for (const c of configs) if (!(CONFIGS as readonly string[]).includes(c)) throw new Error(`--configs: unknown configuration ${c} (known: ${CONFIGS.join(', ')})`);
  const concurrency = count(load.concurrency, SG_LOAD_DEFAULTS.concurrency, '--concurrency');
  return {
    runs: Math.max(1, count(own.runs, 1, '--runs')),
    configs: CONFIGS.filter((c) => configs.includes(c)),
    feedWrites: Math.max(1, count(own['feed-writes'], 200, '--feed-writes')),
    feedWarmup: count(own['feed-warmup'], 20, '--feed-warmup'),
    feedPauseMs: count(own['feed-pause-ms'], 5, '--feed-pause-ms'),
    cpuProfileDir: own['cpu-prof'] === undefined ? undefined : path.resolve(own['cpu-prof']),
    json,
    groups: count(load.groups, SG_LOAD_DEFAULTS.groups, '--groups'),
    rules: count(load.rules, SG_LOAD_DEFAULTS.rules, '--rules'),
    concurrency,
    w3Concurrency: count(load['w3-concurrency'], concurrency, '--w3-concurrency'),
    describeCalls: count(load['describe-calls'], SG_LOAD_DEFAULTS['describe-calls'], '--describe-calls'),
    describeAllCalls: count(load['describe-all-calls'], SG_LOAD_DEFAULTS['describe-all-calls'], '--describe-all-calls'),
    passthrough,
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

// ---- cleanup ---------------------------------------------------------------------------------

/** Undo actions (servers, the PostgreSQL cluster, temporary directories), run last first. */
const undo: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  while (undo.length > 0) {
    const step = undo.pop();
    await step?.().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  }
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  log(`\n${signal}: stopping load generators, servers and PostgreSQL, removing temporary files…`);
  stopGenerators();
  void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** Stops the servers of a configuration now (their undo steps stay, harmless once they have exited). */
async function stopAll(servers: readonly ServerProcess[]): Promise<void> {
  await Promise.all(servers.map((s) => s.stop()));
}

// ---- one configuration -----------------------------------------------------------------------

/** A workload's figures, with the PostgreSQL cluster's CPU over the same workload. */
type MeasuredWorkload = WorkloadFigures & {
  /**
   * CPU of the cluster over the workload's window: from the previous workload's end (or the
   * generators' start) to the moment the last generator ended this one.
   */
  readonly postgresCpuS?: number;
  /** CPU of the measured servers over that same window (sg-load's figure covers its own phases). */
  readonly serverCpuWindowS: number;
  /** ms between the first and the last generator ending this workload (0 with one generator). */
  readonly endSpreadMs: number;
};

interface ConfigResult {
  readonly config: ConfigName;
  readonly replicas: number;
  readonly workloads: Readonly<Record<Workload, MeasuredWorkload>>;
  /** pg-2 only. */
  readonly feed?: FeedPropagation;
}

/** Splits `n` into `parts` near-equal whole shares (the first ones take the remainder). */
function split(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
}

function sharesFor(options: Options, targets: readonly { name: string; server: ServerProcess }[]): LoadShare[] {
  const k = targets.length;
  const [groups, describeCalls, describeAllCalls, concurrency, w3Concurrency] = [
    options.groups,
    options.describeCalls,
    options.describeAllCalls,
    options.concurrency,
    options.w3Concurrency,
  ].map((n) => split(n, k));
  return targets.map(({ name, server }, i) => ({
    name,
    url: server.url,
    pid: server.pid,
    groups: groups?.[i] ?? 0,
    describeCalls: describeCalls?.[i] ?? 0,
    describeAllCalls: describeAllCalls?.[i] ?? 0,
    concurrency: Math.max(1, concurrency?.[i] ?? 1),
    w3Concurrency: Math.max(1, w3Concurrency?.[i] ?? 1),
  }));
}

const msPerCall = (cpuS: number | undefined, calls: number) => (cpuS === undefined ? undefined : (cpuS / calls) * 1000);

async function runConfig(config: ConfigName, run: number, options: Options, workDir: string, postgres: DurablePostgres | undefined): Promise<ConfigResult> {
  const tag = `${config}-run${run}`;
  const dataDir = path.join(workDir, tag);
  mkdirSync(dataDir);
  const nodeFlags = (replica: string) =>
    options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-name', `${tag}-${replica}.cpuprofile`];
  const servers: ServerProcess[] = [];
  const onSpawned = (stop: () => Promise<void>) => undo.push(stop);
  let database: string | undefined;
  let targets: { name: string; server: ServerProcess }[];
  if (config === 'moto') {
    const moto = await startMoto(onSpawned);
    servers.push(moto);
    targets = [{ name: 'moto', server: moto }];
  } else if (config === 'sqlite') {
    const server = await startStockade({ dataDir, nodeFlags: nodeFlags('a') }, onSpawned);
    servers.push(server);
    targets = [{ name: 'sqlite', server }];
  } else {
    if (postgres === undefined) throw new Error('PostgreSQL is not running');
    await postgres.checkpoint();
    database = await postgres.createDatabase(`bench_${config.replace('-', '_')}_run${run}`);
    const names = config === 'pg-1' ? ['a'] : ['a', 'b'];
    // Started at once: one of them creates the bootstrap account (decided under the write lock).
    const started = await Promise.all(
      names.map((replica) => {
        const replicaDir = path.join(dataDir, replica);
        mkdirSync(replicaDir);
        return startStockade({ dataDir: replicaDir, database, nodeFlags: nodeFlags(replica) }, onSpawned);
      }),
    );
    servers.push(...started);
    targets = started.map((server, i) => ({ name: config === 'pg-1' ? 'pg-1' : `pg-2${names[i]}`, server }));
  }
  try {
    const shares = sharesFor(options, targets);
    const settings: LoadSettings = { rules: options.rules, prefix: `r${run}-${Date.now().toString(36)}`, passthrough: options.passthrough, reportDir: workDir };
    // CPU counters read at each workload's end (once every generator has ended it).
    const serverCpu = () => servers.reduce((sum, s) => sum + processCpuSeconds(s.pid), 0);
    let serverMark = serverCpu();
    let postgresMark = database === undefined ? undefined : postgres?.cpuSeconds();
    const windows = new Map<Workload, { serverCpuWindowS: number; postgresCpuS?: number; endSpreadMs: number }>();
    const figures = await runWorkloads(shares, settings, (workload, endSpreadMs) => {
      const server = serverCpu();
      const database = postgresMark === undefined ? undefined : postgres?.cpuSeconds();
      windows.set(workload, {
        serverCpuWindowS: server - serverMark,
        ...(database === undefined || postgresMark === undefined ? {} : { postgresCpuS: database - postgresMark }),
        endSpreadMs,
      });
      serverMark = server;
      postgresMark = database;
    });
    const measured = (workload: Workload): MeasuredWorkload => {
      const f = figures[workload];
      const window = windows.get(workload) ?? { serverCpuWindowS: NaN, endSpreadMs: NaN };
      const pgPart = window.postgresCpuS === undefined ? '' : `, PostgreSQL ${fmt(msPerCall(window.postgresCpuS, f.calls), 3)} ms/call`;
      const spread = targets.length > 1 ? `; generators ended ${fmt(window.endSpreadMs, 0)} ms apart` : '';
      log(
        `  ${config} ${workload}: ${f.calls} calls, ${fmt(f.rps, 0)} req/s, server ${fmt(msPerCall(f.serverCpuS, f.calls), 3)} ms/call${pgPart}${f.errors > 0 ? `, ${f.errors} ERRORS` : ''}${spread}`,
      );
      return { ...f, ...window };
    };
    const workloads: Record<Workload, MeasuredWorkload> = { W1: measured('W1'), W2: measured('W2'), W3: measured('W3') };
    let feed: FeedPropagation | undefined;
    const [a, b] = servers;
    if (config === 'pg-2' && database !== undefined && a !== undefined && b !== undefined) {
      feed = await measureFeedPropagation({ writer: a, reader: b, database, writes: options.feedWrites, warmup: options.feedWarmup, pauseMs: options.feedPauseMs });
      log(`  pg-2 feed A→B: p50 ${feed.crossReplica.p50Ms} ms, p99 ${feed.crossReplica.p99Ms} ms (A→A: p50 ${feed.sameReplica.p50Ms} ms, p99 ${feed.sameReplica.p99Ms} ms)`);
    }
    return { config, replicas: servers.length, workloads, ...(feed === undefined ? {} : { feed }) };
  } finally {
    await stopAll(servers);
  }
}

// ---- figures and the table -------------------------------------------------------------------

/** One row of the table: how to read it off a configuration's result (undefined: not applicable). */
interface Measure {
  readonly key: string;
  readonly label: string;
  readonly digits: number;
  readonly of: (r: ConfigResult) => number | undefined;
}

const perCall = (w: MeasuredWorkload, cpu: number | undefined) => msPerCall(cpu, w.calls);

const MEASURES: readonly Measure[] = [
  { key: 'w1Rps', label: 'W1 create+authorize req/s', digits: 0, of: (r) => r.workloads.W1.rps },
  { key: 'w1ServerMs', label: 'W1 server CPU per call, ms', digits: 3, of: (r) => perCall(r.workloads.W1, r.workloads.W1.serverCpuS) },
  {
    key: 'authorizeServerMs',
    label: 'W1b server CPU per authorize, ms',
    digits: 3,
    of: (r) => (r.workloads.W1.authorize === undefined ? undefined : msPerCall(r.workloads.W1.authorize.serverCpuS, r.workloads.W1.authorize.calls)),
  },
  { key: 'w1PostgresMs', label: 'W1 PostgreSQL CPU per call, ms', digits: 3, of: (r) => perCall(r.workloads.W1, r.workloads.W1.postgresCpuS) },
  { key: 'w2Rps', label: 'W2 describe by id req/s', digits: 0, of: (r) => r.workloads.W2.rps },
  { key: 'w2ServerMs', label: 'W2 server CPU per call, ms', digits: 3, of: (r) => perCall(r.workloads.W2, r.workloads.W2.serverCpuS) },
  { key: 'w2PostgresMs', label: 'W2 PostgreSQL CPU per call, ms', digits: 3, of: (r) => perCall(r.workloads.W2, r.workloads.W2.postgresCpuS) },
  { key: 'w3Rps', label: 'W3 describe all req/s', digits: 1, of: (r) => r.workloads.W3.rps },
  { key: 'w3ServerMs', label: 'W3 server CPU per call, ms', digits: 2, of: (r) => perCall(r.workloads.W3, r.workloads.W3.serverCpuS) },
  { key: 'w3PostgresMs', label: 'W3 PostgreSQL CPU per call, ms', digits: 3, of: (r) => perCall(r.workloads.W3, r.workloads.W3.postgresCpuS) },
  { key: 'rssAfterW1MiB', label: 'server RSS after W1, MiB (all replicas)', digits: 1, of: (r) => r.workloads.W1.rssAfterMiB },
  { key: 'errors', label: 'failed calls (all workloads)', digits: 0, of: (r) => WORKLOADS.reduce((n, w) => n + r.workloads[w].errors, 0) },
  { key: 'feedCrossP50Ms', label: 'feed, write on A → line on B: p50 ms', digits: 2, of: (r) => r.feed?.crossReplica.p50Ms },
  { key: 'feedCrossP99Ms', label: 'feed, write on A → line on B: p99 ms', digits: 2, of: (r) => r.feed?.crossReplica.p99Ms },
  { key: 'feedSameP50Ms', label: 'feed, write on A → line on A: p50 ms', digits: 2, of: (r) => r.feed?.sameReplica.p50Ms },
  { key: 'feedSameP99Ms', label: 'feed, write on A → line on A: p99 ms', digits: 2, of: (r) => r.feed?.sameReplica.p99Ms },
];

function fmt(x: number | undefined, digits: number): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function median(values: readonly number[]): number | undefined {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

type Cells = Record<string, Partial<Record<ConfigName, number>>>;

function cellsOf(results: readonly ConfigResult[]): Cells {
  const cells: Cells = {};
  for (const m of MEASURES) {
    const row: Partial<Record<ConfigName, number>> = {};
    for (const r of results) {
      const v = m.of(r);
      if (v !== undefined && !Number.isNaN(v)) row[r.config] = v;
    }
    cells[m.key] = row;
  }
  return cells;
}

function medianCells(runs: readonly Cells[], configs: readonly ConfigName[]): Cells {
  const out: Cells = {};
  for (const m of MEASURES) {
    const row: Partial<Record<ConfigName, number>> = {};
    for (const c of configs) {
      const v = median(runs.flatMap((run) => (run[m.key]?.[c] === undefined ? [] : [run[m.key]?.[c] ?? NaN])));
      if (v !== undefined) row[c] = v;
    }
    out[m.key] = row;
  }
  return out;
}

function table(cells: Cells, configs: readonly ConfigName[]): string {
  const lines = [`| measure | ${configs.join(' | ')} |`, `|---|${configs.map(() => '---:').join('|')}|`];
  for (const m of MEASURES) {
    const row = configs.map((c) => fmt(cells[m.key]?.[c], m.digits));
    if (row.every((v) => v === '—')) continue;
    lines.push(`| ${m.label} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

interface Verdict {
  readonly target: string;
  readonly value: string;
  readonly met: boolean | undefined;
}

function verdicts(cells: Cells): Verdict[] {
  const out: Verdict[] = [];
  const sqliteAuthorize = cells.authorizeServerMs?.sqlite;
  if (sqliteAuthorize !== undefined)
    out.push({ target: `SQLite server CPU per authorize <= ${TARGETS.sqliteAuthorizeMs} ms`, value: `${fmt(sqliteAuthorize, 3)} ms`, met: sqliteAuthorize <= TARGETS.sqliteAuthorizeMs });
  const sqliteW1 = cells.w1ServerMs?.sqlite;
  for (const config of ['pg-1', 'pg-2'] as const) {
    const server = cells.w1ServerMs?.[config];
    const database = cells.w1PostgresMs?.[config];
    if (sqliteW1 === undefined || server === undefined) continue;
    const ratio = server / sqliteW1;
    out.push({ target: `${config} W1 server CPU per call within ${TARGETS.postgresW1Ratio}x of SQLite's`, value: `${fmt(ratio, 2)}x (${fmt(server, 3)} vs ${fmt(sqliteW1, 3)} ms)`, met: ratio <= TARGETS.postgresW1Ratio });
    if (database !== undefined) {
      const withDatabase = (server + database) / sqliteW1;
      out.push({
        target: `${config} W1 server + PostgreSQL CPU per call within ${TARGETS.postgresW1Ratio}x of SQLite's`,
        value: `${fmt(withDatabase, 2)}x (${fmt(server + database, 3)} vs ${fmt(sqliteW1, 3)} ms)`,
        met: withDatabase <= TARGETS.postgresW1Ratio,
      });
    }
  }
  const feedP99 = cells.feedCrossP99Ms?.['pg-2'];
  if (feedP99 !== undefined) out.push({ target: `cross-replica feed p99 < ${TARGETS.crossReplicaFeedP99Ms} ms`, value: `${fmt(feedP99, 2)} ms`, met: feedP99 < TARGETS.crossReplicaFeedP99Ms });
  return out;
}

// ---- main ------------------------------------------------------------------------------------

function versionOf(command: string, args: readonly string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const workDir = mkdtempSync(path.join(tmpdir(), 'stockade-bench-replicas-'));
  undo.push(async () => rmSync(workDir, { recursive: true, force: true }));
  if (options.cpuProfileDir !== undefined) mkdirSync(options.cpuProfileDir, { recursive: true });
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? '?',
    node: process.version,
    moto: options.configs.includes('moto') ? versionOf('python3', ['-c', 'import moto; print(moto.__version__)']) : undefined,
    loadavgStart: loadavg().map((x) => Number(x.toFixed(2))),
  };
  try {
    const postgres = options.configs.some((c) => c.startsWith('pg')) ? await startDurablePostgres((destroy) => undo.push(destroy)) : undefined;
    if (postgres !== undefined) log(`${postgres.version}; ${Object.entries(postgres.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    const runs: { run: number; at: string; loadavgStart: number[]; loadavgEnd: number[]; results: ConfigResult[] }[] = [];
    for (let run = 1; run <= options.runs; run++) {
      const at = new Date().toISOString();
      const loadavgStart = loadavg().map((x) => Number(x.toFixed(2)));
      log(`\n[run ${run}/${options.runs}] ${at}, load average ${loadavgStart.join(' ')}`);
      const results: ConfigResult[] = [];
      for (const config of options.configs) results.push(await runConfig(config, run, options, workDir, postgres));
      runs.push({ run, at, loadavgStart, loadavgEnd: loadavg().map((x) => Number(x.toFixed(2))), results });
    }
    const perRun = runs.map((r) => cellsOf(r.results));
    const medians = medianCells(perRun, options.configs);
    const targets = verdicts(medians);
    const sizes = { groups: options.groups, rules: options.rules, concurrency: options.concurrency, describeCalls: options.describeCalls, describeAllCalls: options.describeAllCalls };
    if (options.json) {
      const postgresInfo = postgres === undefined ? undefined : { version: postgres.version, settings: postgres.settings };
      process.stdout.write(`${JSON.stringify({ machine: { ...machine, loadavgEnd: loadavg().map((x) => Number(x.toFixed(2))) }, postgres: postgresInfo, sizes, runs, medians, targets }, null, 2)}\n`);
      return;
    }
    const out: string[] = [];
    if (runs.length > 1) {
      for (const [i, r] of runs.entries()) {
        out.push(`\nRun ${r.run} (${r.at}, load average ${r.loadavgStart.join(' ')} → ${r.loadavgEnd.join(' ')}):\n`);
        out.push(table(perRun[i] ?? {}, options.configs));
      }
      out.push(`\nMedian of ${runs.length} runs, cell by cell:\n`);
    } else {
      const r = runs[0];
      if (r !== undefined) out.push(`\nRun ${r.at}, load average ${r.loadavgStart.join(' ')} → ${r.loadavgEnd.join(' ')}:\n`);
    }
    out.push(table(medians, options.configs));
    out.push('\n| target | value | met |\n|---|---|---|');
    for (const v of targets) out.push(`| ${v.target} | ${v.value} | ${v.met === undefined ? '?' : v.met ? 'yes' : 'NO'} |`);
    out.push(
      `\nsizes: ${sizes.groups} groups x ${sizes.rules} rules, ${sizes.describeCalls} describe-by-id calls, ${sizes.describeAllCalls} describe-all calls, concurrency ${sizes.concurrency} in all` +
        ' (pg-2: two generators at once, one per replica, each with half the groups, calls and concurrency).',
    );
    out.push(
      "Server CPU: every thread of the Stockade (or moto) processes, summed over replicas, over sg-load's phases. PostgreSQL CPU: the postmaster and all its backends over the workload (not included in the server column). /proc counts CPU in 10 ms ticks: W3's PostgreSQL figures are a few ticks each.",
    );
    out.push(
      `machine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}${postgres === undefined ? '' : `, ${postgres.version.split(',')[0]} (${Object.entries(postgres.settings).map(([k, v]) => `${k}=${v}`).join(', ')})`}${machine.moto === undefined ? '' : `, moto ${machine.moto}`}.`,
    );
    out.push('The load generators, every server process and PostgreSQL share these cores: no figure here has a core to itself.');
    console.log(out.join('\n'));
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
