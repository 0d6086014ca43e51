import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../test/harness/sha256.js';
import type { RaceResult } from './propagation-probe.js';

// `npm run bench:propagation`: how long a security-group change takes to be enforced by the host
// agent, measured end to end with real TCP connections between instance namespaces on this host.
// Per size N (default 10, 100, 1,000 instances), a fresh `stockade serve --agent` (single-host
// mode, periodic full passes off: `--resync-interval 0`), N instances each with its own group,
// then:
// - authorize: from the response of AuthorizeSecurityGroupIngress (tcp 8000 from the client
//   instance's /32 on a target's own group) to the first TCP connection the client gets through;
// - membership: from the response of ModifyInstanceAttribute moving instance X into group C, which
//   the rules of M = min(10, N-2) targets name as a source (tcp 7000), to the moment X has
//   connected to every one of the M targets;
// - nft processes run by the agent per state change made in the measured phases (authorizes,
//   revokes, ModifyInstanceAttribute calls), from the agent's counters in /metrics.
// Options: --json (only a JSON array on stdout), --sizes 10,100,1000, --samples N (default 100
// per phase at every size; see docs/performance.md), --keep-going (a failed size is reported and
// the next one runs).

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STOCKADE_BIN = path.join(REPO, 'bin', 'stockade');
const PROBE = path.join(REPO, 'dist', 'bench', 'propagation-probe.js');
const ACCOUNT_ID = '123456789012';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const REGION = 'us-east-1';
const AUTHORIZE_PORT = 8000;
const MEMBERSHIP_PORT = 7000;
/** Targets that run a listener and take turns for the authorize samples. */
const AUTHORIZE_TARGETS = 5;
const MAX_MEMBERSHIP_TARGETS = 10;
/** API calls in flight during setup, and /propagation polls in flight. */
const SETUP_CONCURRENCY = 8;
const POLL_CONCURRENCY = 8;
/**
 * Probe pacing: a fresh connection every INTERVAL ms per target (the resolution of a sample),
 * each abandoned after ATTEMPT ms. A dropped SYN is never answered (the kernel would retransmit
 * it only after 1 s), so only fresh connections see a new rule. The abandon time is well above
 * a connect's own latency (a connect that gets through took 1.5–1.9 ms to be seen by a fresh
 * probe here, more under load): abandoning it would discard the very success being timed. A
 * longer life costs only open sockets; the interval alone sets the resolution.
 * Membership races 10 targets at once, hence every 2 ms there (5,000 connects/s).
 */
const AUTHORIZE_INTERVAL_MS = 1;
const MEMBERSHIP_INTERVAL_MS = 2;
const ATTEMPT_TIMEOUT_MS = 25;
/** Before each sample, one attempt per target that must not get through within this (unmeasured). */
const CLOSED_CHECK_MS = 30;
/** A sample that does not connect within this is a failure of the run, not a slow sample. */
const SAMPLE_LIMIT_MS = 10_000;
/** The p99 targets (both measures): < 50 ms at 100 instances, < 250 ms at 1,000. */
const P99_TARGET_MS: Readonly<Record<number, number>> = { 100: 50, 1000: 250 };

/** One size's figures; the first six fields are the documented JSON shape. */
interface SizeResult {
  instances: number;
  authorizeP50Ms: number;
  authorizeP99Ms: number;
  membershipP50Ms: number;
  membershipP99Ms: number;
  /** nft processes per state change over both measured phases. */
  nftCallsPerChange: number;
  /** …of the authorize phase only (authorize + revoke: one instance each). */
  nftCallsPerAuthorizeChange: number;
  /** …of the membership phase only (each change affects `membershipTargets` instances). */
  nftCallsPerMembershipChange: number;
  membershipTargets: number;
  authorizeSamples: number;
  membershipSamples: number;
  authorizeMaxMs: number;
  membershipMaxMs: number;
  /** From the first CreateSecurityGroup to every instance reported in force. */
  setupMs: number;
  /** Wall time of the whole size, start of the server to namespaces deleted. */
  totalS: number;
  /** Agent enforcement failures counted during the measured phases. */
  agentFailures: number;
}

interface Options {
  readonly json: boolean;
  readonly sizes: readonly number[];
  readonly samples: number | undefined;
  readonly keepGoing: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  let json = false;
  let sizes: number[] = [10, 100, 1000];
  let samples: number | undefined;
  let keepGoing = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') json = true;
    else if (arg === '--keep-going') keepGoing = true;
    else if (arg === '--sizes') sizes = value().split(',').map((s) => Number(s.trim()));
    else if (arg === '--samples') samples = Number(value());
    else throw new Error(`unknown option ${arg} (use --json, --sizes 10,100,1000, --samples N, --keep-going)`);
  }
  // At most 2,000: 2,500 VPC groups per region (quota profile `current`) and a /20 default subnet.
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 3 || n > 2000)) throw new Error('--sizes: integers from 3 to 2000');
  if (samples !== undefined && (!Number.isInteger(samples) || samples < 1)) throw new Error('--samples: a positive integer');
  return { json, sizes, samples, keepGoing };
}

/**
 * Samples per phase unless --samples says otherwise: 100 at every size. A sample costs the same at
 * every size (~0.1 s authorize, ~0.2 s membership; only the setup grows with N), and with 100
 * samples the nearest-rank p99 is the 99th value rather than the maximum.
 */
const DEFAULT_SAMPLES = 100;

/** The wall clock, sub-millisecond, comparable with the probes' (same definition). */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Runs `work` over `items` with at most `limit` at once; rejects with the first failure. */
async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---- cleanup ---------------------------------------------------------------------------------

/** Everything a size started, so that it is undone on success, failure or a signal. */
class Resources {
  server: Server | undefined;
  readonly probes = new Set<Probe>();
  readonly namespaces = new Set<string>();
  dataDir: string | undefined;
  #cleaning: Promise<void> | undefined;

  /** Idempotent: probes stopped, server stopped, namespaces deleted, data directory removed. */
  cleanup(): Promise<void> {
    this.#cleaning ??= this.#cleanup();
    return this.#cleaning;
  }

  async #cleanup(): Promise<void> {
    await Promise.all([...this.probes].map((p) => p.stop()));
    const server = this.server;
    if (server !== undefined) {
      // Whatever the server knows of, in case a launch answer was lost to an interruption.
      for (const id of await server.api.instanceIds().catch(() => [])) this.namespaces.add(id);
      await server.stop();
    }
    await deleteNamespaces([...this.namespaces]);
    if (this.dataDir !== undefined) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

let current: Resources | undefined;
let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  log(`\n${signal}: stopping the server and removing namespaces…`);
  const done = current?.cleanup() ?? Promise.resolve();
  void done.finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** `ip -force -batch -`: one process deletes every namespace of the list that exists. */
async function deleteNamespaces(names: readonly string[]): Promise<void> {
  const existing = new Set(existsSync('/run/netns') ? readdirSync('/run/netns') : []);
  const present = names.filter((n) => existing.has(n));
  if (present.length === 0) return;
  await new Promise<void>((resolve) => {
    const child = spawn('ip', ['-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => {
      log(`ip netns delete: ${error.message}`);
      resolve();
    });
    child.on('close', (code) => {
      if (code !== 0) log(`ip -batch netns delete exited ${code}: ${stderr.trim().slice(0, 500)}`);
      resolve();
    });
    child.stdin.end(present.map((n) => `netns delete ${n}\n`).join(''));
  });
  const left = new Set(existsSync('/run/netns') ? readdirSync('/run/netns') : []);
  const remaining = present.filter((n) => left.has(n));
  if (remaining.length > 0) log(`namespaces not deleted: ${remaining.join(' ')}`);
}

// ---- the server and its API ------------------------------------------------------------------

/** SigV4-signed calls to the server as the bootstrap account. */
class Api {
  readonly #port: number;
  readonly #signer = new SignatureV4({ service: 'ec2', region: REGION, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }, sha256: Sha256 });

  constructor(port: number) {
    this.#port = port;
  }

  /**
   * One Query call; resolves with the body and `at`, the wall-clock time its response (headers)
   * arrived. Rejects on any non-200 answer.
   */
  async query(params: Record<string, string>): Promise<{ body: string; at: number }> {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const host = `127.0.0.1:${this.#port}`;
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: this.#port,
      path: '/',
      query: {},
      headers: { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    const response = await fetch(`http://${host}/`, { method: 'POST', headers: signed.headers, body });
    const at = wallNow();
    const text = await response.text();
    if (response.status !== 200) {
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]+)<\/Message>/.exec(text)?.[1];
      throw new Error(`${params.Action}: HTTP ${response.status} ${code ?? ''} ${message ?? text.slice(0, 200)}`);
    }
    return { body: text, at };
  }

  async get(pathname: string, query: Record<string, string>): Promise<string> {
    const host = `127.0.0.1:${this.#port}`;
    const signed = await this.#signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: this.#port, path: pathname, query, headers: { host } });
    const response = await fetch(`http://${host}${pathname}?${new URLSearchParams(query).toString()}`, { headers: signed.headers });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${pathname}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return text;
  }

  async createGroup(name: string): Promise<string> {
    const { body } = await this.query({ Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: `propagation benchmark ${name}` });
    const id = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(body)?.[1];
    if (id === undefined) throw new Error(`CreateSecurityGroup ${name}: no groupId in ${body.slice(0, 300)}`);
    return id;
  }

  async runInstance(groupId: string): Promise<{ instanceId: string; ip: string }> {
    const { body } = await this.query({ Action: 'RunInstances', ImageId: 'ami-12345678', MinCount: '1', MaxCount: '1', 'SecurityGroupId.1': groupId });
    const instanceId = /<instanceId>(i-[0-9a-f]+)<\/instanceId>/.exec(body)?.[1];
    const ip = /<privateIpAddress>([0-9.]+)<\/privateIpAddress>/.exec(body)?.[1];
    if (instanceId === undefined || ip === undefined) throw new Error(`RunInstances: no instance in ${body.slice(0, 300)}`);
    return { instanceId, ip };
  }

  /** Authorize or revoke `tcp port` on `groupId` from a CIDR or from a group. Resolves with the response time. */
  async ingress(action: 'Authorize' | 'Revoke', groupId: string, port: number, source: { cidr: string } | { groupId: string }): Promise<number> {
    const params: Record<string, string> = {
      Action: `${action}SecurityGroupIngress`,
      GroupId: groupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': String(port),
      'IpPermissions.1.ToPort': String(port),
    };
    if ('cidr' in source) params['IpPermissions.1.IpRanges.1.CidrIp'] = source.cidr;
    else params['IpPermissions.1.Groups.1.GroupId'] = source.groupId;
    return (await this.query(params)).at;
  }

  /** ModifyInstanceAttribute with the `GroupId.N` form; resolves with the response time. */
  async setGroups(instanceId: string, groupIds: readonly string[]): Promise<number> {
    const params: Record<string, string> = { Action: 'ModifyInstanceAttribute', InstanceId: instanceId };
    groupIds.forEach((g, i) => (params[`GroupId.${i + 1}`] = g));
    return (await this.query(params)).at;
  }

  /** Every instance ID the account has (the data directory is the benchmark's own). */
  async instanceIds(): Promise<string[]> {
    const { body } = await this.query({ Action: 'DescribeInstances' });
    return [...body.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1] ?? '');
  }

  /** Whether the instance's latest desired revision is in force (`GET /propagation`). */
  async enforced(instanceId: string): Promise<{ ok: boolean; failure: string | null }> {
    const p = JSON.parse(await this.get('/propagation', { instance: instanceId })) as { desiredRevision: number; enforcedRevision: number; enforcementFailure: string | null };
    return { ok: p.enforcedRevision >= p.desiredRevision, failure: p.enforcementFailure };
  }

  /** The in-process agent's counters from `GET /metrics`. */
  async agentCounters(): Promise<Record<string, number>> {
    const response = await fetch(`http://127.0.0.1:${this.#port}/metrics`);
    const text = await response.text();
    const counters: Record<string, number> = {};
    for (const m of text.matchAll(/^stockade_agent_total\{counter="([^"]+)"\} (\d+(?:\.\d+)?)$/gm)) counters[m[1] ?? ''] = Number(m[2]);
    if (counters.nftTransactions === undefined) throw new Error('/metrics has no stockade_agent_total{counter="nftTransactions"}');
    return counters;
  }
}

interface Server {
  readonly api: Api;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** `stockade serve --agent` on a free port, logging at warn; its warnings go to our stderr (a few). */
async function startServer(dataDir: string, hostName: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=1', STOCKADE_BIN, 'serve', '--agent', '--agent-host', hostName, '--port', '0', '--data-dir', dataDir, '--resync-interval', '0'],
    {
      env: {
        ...process.env,
        STOCKADE_LOG_LEVEL: 'warn',
        STOCKADE_BOOTSTRAP_ACCOUNT_ID: ACCOUNT_ID,
        STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY,
        STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let forwarded = 0;
  const forward = (line: string): void => {
    if (line.trim() === '' || /Stockade listening/.test(line)) return;
    if (forwarded++ < 20) log(`[server] ${line.slice(0, 400)}`);
    else if (forwarded === 21) log('[server] (further server output not shown)');
  };
  readline.createInterface({ input: child.stderr }).on('line', forward);
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stockade serve did not start within 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = /Stockade listening on http:\/\/[^\s]+:(\d+)/.exec(line);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else forward(line);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`stockade serve exited (${code ?? signal}) before listening`));
    });
  });
  return {
    api: new Api(port),
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `nft list ruleset` of a namespace, for the diagnostics of a failed sample. */
function nftRuleset(namespace: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', namespace, 'nft', 'list', 'ruleset'], { encoding: 'utf8', timeout: 5000 }, (error, stdout, stderr) => resolve(error === null ? stdout : `${error.message} ${stderr}`));
  });
}

// ---- probes ----------------------------------------------------------------------------------

/** A propagation-probe.js process inside an instance namespace. */
class Probe {
  readonly namespace: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #waiting = new Map<number, (message: Record<string, unknown>) => void>();
  #ready: Promise<void>;
  #nextId = 1;

  constructor(namespace: string, args: readonly string[]) {
    this.namespace = namespace;
    this.#child = spawn('ip', ['netns', 'exec', namespace, process.execPath, '--max-semi-space-size=1', PROBE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.stderr?.on('data', (d: Buffer) => log(`[probe ${namespace}] ${d.toString().trim()}`));
    this.#child.stdin?.on('error', () => undefined);
    let onReady: () => void = () => undefined;
    this.#ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      this.#child.once('exit', (code) => reject(new Error(`probe in ${namespace} exited (${code})`)));
    });
    this.#ready.catch(() => undefined);
    readline.createInterface({ input: this.#child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as Record<string, unknown>;
      if (message.ready === true) return onReady();
      const id = message.id as number;
      const waiter = this.#waiting.get(id);
      if (waiter !== undefined) waiter(message);
    });
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  /**
   * Starts a race (a fresh connection to each target every `intervalMs` until it connects);
   * resolves once the probe has started it, with the promise of its results (wrapped: a promise
   * resolved with a promise would wait for it).
   */
  async race(targets: readonly { host: string; port: number }[], intervalMs: number): Promise<{ results: Promise<RaceResult[]> }> {
    const id = this.#nextId++;
    let started: () => void = () => undefined;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const results = new Promise<RaceResult[]>((resolve) => {
      this.#waiting.set(id, (message) => {
        if (message.started !== undefined) return started();
        this.#waiting.delete(id);
        resolve(message.results as RaceResult[]);
      });
    });
    this.#send({ id, op: 'race', targets, intervalMs, attemptTimeoutMs: ATTEMPT_TIMEOUT_MS, limitMs: SAMPLE_LIMIT_MS });
    await this.#unlessExited(isStarted);
    return { results: this.#unlessExited(results) };
  }

  /** One connection attempt: whether it got through within `timeoutMs`. */
  check(host: string, port: number, timeoutMs: number): Promise<boolean> {
    const id = this.#nextId++;
    const answer = new Promise<boolean>((resolve) => {
      this.#waiting.set(id, (message) => {
        this.#waiting.delete(id);
        resolve(message.open === true);
      });
    });
    this.#send({ id, op: 'check', host, port, timeoutMs });
    return this.#unlessExited(answer);
  }

  /** `answer`, or a rejection if the probe exits first (it would never come). */
  #unlessExited<T>(answer: Promise<T>): Promise<T> {
    const exited = this.#exited.then((): never => {
      throw new Error(`probe in ${this.namespace} exited`);
    });
    exited.catch(() => undefined);
    return Promise.race([answer, exited]);
  }

  /** Closes its stdin (it exits), SIGKILL if it has not after 2 s. */
  async stop(): Promise<void> {
    this.#child.stdin?.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 2000);
    if (this.#child.exitCode === null && this.#child.signalCode === null) await this.#exited;
    clearTimeout(timer);
  }

  #send(message: object): void {
    this.#child.stdin?.write(`${JSON.stringify(message)}\n`);
  }
}

// ---- one size --------------------------------------------------------------------------------

interface Instance {
  readonly index: number;
  readonly groupId: string;
  readonly instanceId: string;
  readonly ip: string;
}

/** Polls /propagation until every instance reports its desired revision in force. */
async function waitEnforced(api: Api, instanceIds: readonly string[], limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  await forEachLimit(instanceIds, POLL_CONCURRENCY, async (id) => {
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const state = await api.enforced(id);
      if (state.ok) return;
      if (Date.now() > deadline) throw new Error(`${id} not enforced within ${limitMs} ms${state.failure === null ? '' : `: ${state.failure}`}`);
      await sleep(delay);
    }
  });
}

async function runSize(instances: number, samples: number, resources: Resources): Promise<SizeResult> {
  const started = Date.now();
  const hostName = `bench-${process.pid}-${instances}`;
  resources.namespaces.add(`stockade-${hostName}`);
  resources.dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-propagation-'));
  log(`\n== ${instances} instances (agent host ${hostName}, --resync-interval 0: periodic full passes off) ==`);
  const server = await startServer(resources.dataDir, hostName);
  resources.server = server;
  const { api } = server;

  // Setup: N groups, N instances (one group each), group C, and `tcp 7000 from C` on M targets.
  // Instance 0 is the client of the authorize samples, 1 is X, 2..M+1 are the targets.
  const m = Math.min(MAX_MEMBERSHIP_TARGETS, instances - 2);
  const setupStart = wallNow();
  const groupIds: string[] = new Array<string>(instances);
  await forEachLimit([...Array(instances).keys()], SETUP_CONCURRENCY, async (k) => {
    groupIds[k] = await api.createGroup(`inst-${k}`);
  });
  const groupC = await api.createGroup('C');
  for (let k = 2; k < 2 + m; k++) await api.ingress('Authorize', groupIds[k] as string, MEMBERSHIP_PORT, { groupId: groupC });
  const all: Instance[] = new Array<Instance>(instances);
  await forEachLimit([...Array(instances).keys()], SETUP_CONCURRENCY, async (k) => {
    const groupId = groupIds[k] as string;
    const { instanceId, ip } = await api.runInstance(groupId);
    resources.namespaces.add(instanceId);
    all[k] = { index: k, groupId, instanceId, ip };
  });
  log(`  ${instances} groups and instances created in ${((wallNow() - setupStart) / 1000).toFixed(1)} s; waiting for enforcement…`);
  await waitEnforced(api, all.map((i) => i.instanceId), 120_000 + 500 * instances);
  const setupMs = wallNow() - setupStart;
  log(`  all ${instances} instances enforced ${(setupMs / 1000).toFixed(1)} s after the first call`);

  const client = all[0] as Instance;
  const x = all[1] as Instance;
  const memberTargets = all.slice(2, 2 + m);
  const authorizeTargets = memberTargets.slice(0, AUTHORIZE_TARGETS);

  // Probes: a client in the client's and X's namespaces, a listener in each target's.
  const clientProbe = new Probe(client.instanceId, ['client']);
  const xProbe = new Probe(x.instanceId, ['client']);
  const listeners = memberTargets.map((t) => new Probe(t.instanceId, ['serve', `${MEMBERSHIP_PORT},${AUTHORIZE_PORT}`]));
  for (const p of [clientProbe, xProbe, ...listeners]) resources.probes.add(p);
  await Promise.all([clientProbe, xProbe, ...listeners].map((p) => p.ready()));

  // Sanity: nothing gets through yet.
  for (const t of authorizeTargets) if (await clientProbe.check(t.ip, AUTHORIZE_PORT, 200)) throw new Error(`${t.instanceId}:${AUTHORIZE_PORT} is open before any authorize`);
  for (const t of memberTargets) if (await xProbe.check(t.ip, MEMBERSHIP_PORT, 200)) throw new Error(`${t.instanceId}:${MEMBERSHIP_PORT} is open to X before X is in C`);

  const before = await api.agentCounters();

  // Authorize samples.
  const authorize: number[] = [];
  let changes = 0;
  const clientCidr = `${client.ip}/32`;
  for (let s = 0; s < samples; s++) {
    const target = authorizeTargets[s % authorizeTargets.length] as Instance;
    // The port is closed now (the revoke before is in force): one attempt must not get through.
    if (await clientProbe.check(target.ip, AUTHORIZE_PORT, CLOSED_CHECK_MS)) throw new Error(`authorize sample ${s}: ${target.instanceId}:${AUTHORIZE_PORT} open before the authorize`);
    const race = await clientProbe.race([{ host: target.ip, port: AUTHORIZE_PORT }], AUTHORIZE_INTERVAL_MS);
    const sent = wallNow();
    const t0 = await api.ingress('Authorize', target.groupId, AUTHORIZE_PORT, { cidr: clientCidr });
    changes++;
    const [result] = await race.results;
    if (result?.okAt == null) {
      log(`  race: ${JSON.stringify(result)}\n  ruleset of ${target.instanceId}:\n${await nftRuleset(target.instanceId)}`);
      throw new Error(`authorize sample ${s}: ${target.instanceId}:${AUTHORIZE_PORT} not reachable within ${SAMPLE_LIMIT_MS} ms`);
    }
    if (result.okAt < sent || result.okAttempt < 2) throw new Error(`authorize sample ${s}: the first attempt got through (was the port open?)`);
    authorize.push(result.okAt - t0);
    // Undo, unmeasured: the port must be closed again before the next sample.
    await api.ingress('Revoke', target.groupId, AUTHORIZE_PORT, { cidr: clientCidr });
    changes++;
    await waitEnforced(api, [target.instanceId], 30_000);
  }
  const middle = await api.agentCounters();
  const authorizeChanges = changes;
  log(`  authorize: ${samples} samples, p50 ${percentile([...authorize].sort((a, b) => a - b), 50).toFixed(2)} ms`);

  // Membership samples.
  const membership: number[] = [];
  for (let s = 0; s < samples; s++) {
    const open = await Promise.all(memberTargets.map((t) => xProbe.check(t.ip, MEMBERSHIP_PORT, CLOSED_CHECK_MS)));
    if (open.some(Boolean)) throw new Error(`membership sample ${s}: X reaches a target before it is in C`);
    const race = await xProbe.race(
      memberTargets.map((t) => ({ host: t.ip, port: MEMBERSHIP_PORT })),
      MEMBERSHIP_INTERVAL_MS,
    );
    const sent = wallNow();
    const t0 = await api.setGroups(x.instanceId, [x.groupId, groupC]);
    changes++;
    const results = await race.results;
    for (const r of results) {
      if (r.okAt === null) throw new Error(`membership sample ${s}: ${r.host}:${r.port} not reachable from X within ${SAMPLE_LIMIT_MS} ms`);
      if (r.okAt < sent || r.okAttempt < 2) throw new Error(`membership sample ${s}: X's first attempt reached ${r.host} (was it open?)`);
    }
    membership.push(Math.max(...results.map((r) => r.okAt as number)) - t0);
    await api.setGroups(x.instanceId, [x.groupId]);
    changes++;
    await waitEnforced(api, [x.instanceId, ...memberTargets.map((t) => t.instanceId)], 30_000);
  }
  const after = await api.agentCounters();
  const membershipChanges = changes - authorizeChanges;
  log(`  membership: ${samples} samples, p50 ${percentile([...membership].sort((a, b) => a - b), 50).toFixed(2)} ms`);

  const nft = (a: Record<string, number>, b: Record<string, number>): number => (b.nftTransactions ?? 0) - (a.nftTransactions ?? 0);
  authorize.sort((a, b) => a - b);
  membership.sort((a, b) => a - b);
  const result: Omit<SizeResult, 'totalS'> = {
    instances,
    authorizeP50Ms: round2(percentile(authorize, 50)),
    authorizeP99Ms: round2(percentile(authorize, 99)),
    membershipP50Ms: round2(percentile(membership, 50)),
    membershipP99Ms: round2(percentile(membership, 99)),
    nftCallsPerChange: round2(nft(before, after) / changes),
    nftCallsPerAuthorizeChange: round2(nft(before, middle) / authorizeChanges),
    nftCallsPerMembershipChange: round2(nft(middle, after) / membershipChanges),
    membershipTargets: m,
    authorizeSamples: authorize.length,
    membershipSamples: membership.length,
    authorizeMaxMs: round2(authorize[authorize.length - 1] ?? NaN),
    membershipMaxMs: round2(membership[membership.length - 1] ?? NaN),
    setupMs: round2(setupMs),
    agentFailures: (after.failures ?? 0) - (before.failures ?? 0),
  };
  await resources.cleanup();
  return { ...result, totalS: round2((Date.now() - started) / 1000) };
}

// ---- output ----------------------------------------------------------------------------------

function targetText(instances: number, p99: number): string {
  const limit = P99_TARGET_MS[instances];
  if (limit === undefined) return '—';
  return `< ${limit} ms: ${p99 < limit ? 'met' : 'NOT met'}`;
}

function printTable(results: readonly SizeResult[]): void {
  const rows = results.map((r) => [
    r.instances.toLocaleString('en-US'),
    `${r.authorizeSamples}/${r.membershipSamples}`,
    (r.setupMs / 1000).toFixed(1),
    r.authorizeP50Ms.toFixed(2),
    r.authorizeP99Ms.toFixed(2),
    r.authorizeMaxMs.toFixed(2),
    targetText(r.instances, r.authorizeP99Ms),
    r.membershipP50Ms.toFixed(2),
    r.membershipP99Ms.toFixed(2),
    r.membershipMaxMs.toFixed(2),
    targetText(r.instances, r.membershipP99Ms),
    String(r.membershipTargets),
    r.nftCallsPerChange.toFixed(2),
    r.nftCallsPerAuthorizeChange.toFixed(2),
    r.nftCallsPerMembershipChange.toFixed(2),
    r.totalS.toFixed(0),
  ]);
  console.log(
    '\n| instances | samples (auth/member) | setup s | authorize p50 ms | authorize p99 ms | authorize max ms | authorize p99 target | membership p50 ms | membership p99 ms | membership max ms | membership p99 target | targets M | nft calls / change | nft / authorize or revoke | nft / membership change | size took s |',
  );
  console.log(`|${' --- |'.repeat(16)}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  const perChange = results.map((r) => r.nftCallsPerAuthorizeChange);
  const perTarget = results.map((r) => r.nftCallsPerMembershipChange / r.membershipTargets);
  const constant = (xs: readonly number[]): boolean => xs.every((x) => Math.abs(x - (xs[0] ?? x)) < 0.05);
  console.log(
    `\nnft calls per change constant across sizes: authorize/revoke ${constant(perChange) ? 'yes' : 'NO'} (${perChange.join(', ')}), ` +
      `membership per affected instance ${constant(perTarget) ? 'yes' : 'NO'} (${perTarget.map((x) => round2(x)).join(', ')})`,
  );
  const failures = results.reduce((n, r) => n + r.agentFailures, 0);
  if (failures > 0) console.log(`agent enforcement failures during the measured phases: ${failures}`);
  console.log(
    `\nLatency: from the API response to the first TCP connection that gets through (membership: through to all M targets). ` +
      `Periodic full passes off (--resync-interval 0). Probe: a fresh connection every ${AUTHORIZE_INTERVAL_MS} ms ` +
      `(membership: every ${MEMBERSHIP_INTERVAL_MS} ms per target), each abandoned after ${ATTEMPT_TIMEOUT_MS} ms.`,
  );
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
  console.log(`\n${JSON.stringify(results.map(jsonShape))}`);
}

function jsonShape(r: SizeResult): Record<string, number> {
  return { ...r };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (process.getuid?.() !== 0) throw new Error('the propagation benchmark needs root (network namespaces, nft)');
  if (!existsSync(PROBE)) throw new Error(`${PROBE} not found: build first (npm run bench:propagation does)`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  log(`propagation benchmark: sizes ${options.sizes.join(', ')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const results: SizeResult[] = [];
  let failed = false;
  for (const size of options.sizes) {
    const resources = new Resources();
    current = resources;
    try {
      results.push(await runSize(size, options.samples ?? DEFAULT_SAMPLES, resources));
      const r = results[results.length - 1] as SizeResult;
      log(`  done in ${r.totalS.toFixed(0)} s: authorize p50/p99 ${r.authorizeP50Ms}/${r.authorizeP99Ms} ms, membership p50/p99 ${r.membershipP50Ms}/${r.membershipP99Ms} ms, nft/change ${r.nftCallsPerChange}`);
    } catch (error) {
      failed = true;
      log(`size ${size} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!options.keepGoing) break;
    } finally {
      await resources.cleanup();
      current = undefined;
    }
    if (interrupted) break;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(results.map(jsonShape))}\n`);
  else printTable(results);
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
