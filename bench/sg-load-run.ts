import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as readline from 'node:readline';
import { ACCESS_KEY, REPO, SECRET_KEY } from './server-processes.js';

/** The shared load generator (SigV4-signed Query requests; server CPU per phase from --pid). */
export const LOAD = path.resolve(REPO, '../shared/bench/sg-load.mjs');

export const WORKLOADS = ['W1', 'W2', 'W3'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** One generator's part of a workload: its endpoint, the server process it measures, and its share. */
export interface LoadShare {
  /** The endpoint's name in sg-load; W1's groups are named `<prefix>-<name>-<i>`. */
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly groups: number;
  readonly describeCalls: number;
  readonly describeAllCalls: number;
  readonly concurrency: number;
  readonly w3Concurrency: number;
}

/** What every generator of a run shares. */
export interface LoadSettings {
  readonly rules: number;
  /** Names W1's groups (`<prefix>-<share name>-<i>`) and the reports. */
  readonly prefix: string;
  /** Other sg-load options, passed unchanged (e.g. --timeout-ms, --max-seconds). */
  readonly passthrough: readonly string[];
  /** Where the generators' `--json` reports go. */
  readonly reportDir: string;
}

/** One phase as sg-load.mjs reports it in `--json` (the fields used here). */
interface SgLoadPhase {
  readonly phase: string;
  readonly calls: number;
  readonly errors: number;
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly wallS: number;
  readonly rps: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly clientCpuS: number;
  readonly serverCpuS?: number;
}
interface SgLoadEndpoint {
  readonly name: string;
  readonly error?: string;
  readonly phases: readonly SgLoadPhase[];
  readonly w1Total?: { readonly calls: number; readonly wallS: number };
  readonly memory: Readonly<Record<string, { readonly rssMiB: number } | undefined>>;
}

/**
 * A workload's figures over every generator that ran it at once: calls summed, wall time the
 * longest generator's (so rps = total calls / that), server CPU summed (each generator measures
 * the server it targets, over its own phase).
 */
export interface WorkloadFigures {
  readonly calls: number;
  readonly wallS: number;
  readonly rps: number;
  readonly serverCpuS: number;
  readonly errors: number;
  /** W1 only: the AuthorizeSecurityGroupIngress phase (W1b) alone. */
  readonly authorize?: { readonly calls: number; readonly serverCpuS: number; readonly wallS: number };
  /** W1 only: resident memory of the measured servers right after W1, summed. */
  readonly rssAfterMiB?: number;
  /** Each generator's phases, as reported. */
  readonly generators: readonly { readonly name: string; readonly phases: readonly SgLoadPhase[] }[];
}

function shareArgs(share: LoadShare, settings: LoadSettings): string[] {
  return [
    '--access-key', ACCESS_KEY,
    '--secret-key', SECRET_KEY,
    '--endpoint', `${share.name}=${share.url}`,
    '--pid', `${share.name}=${share.pid}`,
    '--workloads', WORKLOADS.join(','),
    '--prefix', settings.prefix,
    '--groups', String(share.groups),
    '--rules', String(settings.rules),
    '--concurrency', String(share.concurrency),
    '--w3-concurrency', String(share.w3Concurrency),
    '--describe-calls', String(share.describeCalls),
    '--describe-all-calls', String(share.describeAllCalls),
    ...settings.passthrough,
    '--json', reportOf(share, settings),
  ];
}

const reportOf = (share: LoadShare, settings: LoadSettings) => path.join(settings.reportDir, `${settings.prefix}-${share.name}.json`);

/** sg-load's line at the end of each phase (on stderr): `  W1b AuthorizeIngress  4000 calls …`. */
const PHASE_END = /^\s+(W1a|W1b|W2|W3) /;
/** The phase whose end ends each workload. */
const LAST_PHASE: Readonly<Record<Workload, string>> = { W1: 'W1b', W2: 'W2', W3: 'W3' };

/**
 * Runs sg-load.mjs; calls `onPhaseEnd` as each phase ends (from its progress line) and resolves
 * with its exit status (1 when any call failed: reported, not thrown).
 */
function runGenerator(args: readonly string[], onPhaseEnd: (phase: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    // Its table goes nowhere (we read its --json); its progress lines mark the phases' ends, and
    // anything else it says on stderr (an error) is passed on.
    const child = spawn(process.execPath, [LOAD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      const phase = PHASE_END.exec(line)?.[1];
      if (phase !== undefined) onPhaseEnd(phase);
      else if (line.trim() !== '' && !line.startsWith('== ')) process.stderr.write(`[sg-load] ${line}\n`);
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** Generators still running: `stopGenerators` ends them when the benchmark is interrupted. */
const running = new Set<ChildProcess>();

/** Sends SIGTERM to every generator still running. */
export function stopGenerators(): void {
  for (const child of running) child.kill('SIGTERM');
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Runs W1, W2 and W3 with one generator per share, all started at once (each generator runs the
 * three in turn, as `npm run bench` does, so it is warm for W2 and W3). `onWorkloadEnd` is called
 * when every generator has ended a workload, with the spread in ms between the first and the last
 * to end it (0 for one generator): with two generators, that much of one's next workload overlaps
 * the other's. Throws when a generator left no report or could not reach its endpoint.
 */
export async function runWorkloads(
  shares: readonly LoadShare[],
  settings: LoadSettings,
  onWorkloadEnd: (workload: Workload, spreadMs: number) => void,
): Promise<Record<Workload, WorkloadFigures>> {
  if (!existsSync(LOAD)) throw new Error(`load generator not found at ${LOAD}`);
  const ends = new Map<Workload, number[]>(WORKLOADS.map((w) => [w, []]));
  await Promise.all(
    shares.map((share) =>
      runGenerator(shareArgs(share, settings), (phase) => {
        const workload = WORKLOADS.find((w) => LAST_PHASE[w] === phase);
        if (workload === undefined) return;
        const times = ends.get(workload) ?? [];
        times.push(performance.now());
        if (times.length === shares.length) onWorkloadEnd(workload, Math.max(...times) - Math.min(...times));
      }),
    ),
  );
  const endpoints = shares.map((share) => {
    const file = reportOf(share, settings);
    if (!existsSync(file)) throw new Error(`${share.name}: sg-load.mjs left no report`);
    const endpoint = (JSON.parse(readFileSync(file, 'utf8')) as { results: SgLoadEndpoint[] }).results[0];
    if (endpoint === undefined || endpoint.error !== undefined) throw new Error(`${share.name}: ${endpoint?.error ?? 'no result'}`);
    return endpoint;
  });
  return { W1: figuresOf('W1', endpoints), W2: figuresOf('W2', endpoints), W3: figuresOf('W3', endpoints) };
}

function figuresOf(workload: Workload, endpoints: readonly SgLoadEndpoint[]): WorkloadFigures {
  const generators = endpoints.map((e) => ({ name: e.name, phases: e.phases.filter((p) => p.phase.startsWith(workload)) }));
  const all = generators.flatMap((g) => g.phases);
  const calls = sum(all.map((p) => p.calls));
  const wallS = Math.max(...generators.map((g) => sum(g.phases.map((p) => p.wallS))));
  const figures = {
    calls,
    wallS,
    rps: calls / wallS,
    serverCpuS: sum(all.map((p) => p.serverCpuS ?? NaN)),
    errors: sum(all.map((p) => p.errors)),
    generators,
  };
  if (workload !== 'W1') return figures;
  const authorizes = all.filter((p) => p.phase.startsWith('W1b'));
  return {
    ...figures,
    authorize: {
      calls: sum(authorizes.map((p) => p.calls)),
      serverCpuS: sum(authorizes.map((p) => p.serverCpuS ?? NaN)),
      wallS: Math.max(...authorizes.map((p) => p.wallS)),
    },
    rssAfterMiB: sum(endpoints.map((e) => e.memory.afterW1?.rssMiB ?? NaN)),
  };
}
