import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/harness/free-port.js';

// `npm run bench`: the shared load generator (../shared/bench/sg-load.mjs) against Stockade and
// against moto's server in one run, one after the other, then the ratios the control-plane issue
// sets as targets. Extra arguments go to sg-load.mjs (e.g. `npm run bench -- --groups 50`).

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOAD = path.resolve(REPO, '../shared/bench/sg-load.mjs');
// The keys sg-load.mjs signs with by default (AWS documentation example keys).
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

interface Phase {
  readonly phase: string;
  readonly rps: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly errors: number;
}
interface EndpointResult {
  readonly name: string;
  readonly phases: readonly Phase[];
  readonly w1Total?: { readonly rps: number };
  readonly memory: Record<string, { readonly rssMiB: number } | undefined>;
}


/** Polls `url` until it answers (any HTTP status); resolves with the ms since `startedAt`. */
async function firstAnswer(url: string, startedAt: bigint, child: ChildProcess, limitMs = 30_000): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return Number(process.hrtime.bigint() - startedAt) / 1e6;
    } catch {
      if (Number(process.hrtime.bigint() - startedAt) / 1e6 > limitMs) throw new Error(`${url} did not answer`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A server that does nothing but answer W1's calls as EC2 would shape them: the ceiling the load
 * generator can reach on this machine, since it shares the two cores with the server it measures.
 */
function startNullServer(port: number): Promise<() => Promise<void>> {
  let n = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const create = Buffer.concat(chunks).toString().includes('Action=CreateSecurityGroup');
      const body = create ? `<CreateSecurityGroupResponse><return>true</return><groupId>sg-${(n++).toString(16).padStart(8, '0')}</groupId></CreateSecurityGroupResponse>` : '<AuthorizeSecurityGroupIngressResponse><return>true</return></AuthorizeSecurityGroupIngressResponse>';
      res.writeHead(200, { 'content-type': 'text/xml' }).end(body);
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(() => new Promise((r) => server.close(() => r())))));
}

/** The W1 rate of the one endpoint in an sg-load.mjs `--json` report. */
function w1RateOf(reportFile: string): number {
  return (JSON.parse(readFileSync(reportFile, 'utf8')) as { results: EndpointResult[] }).results[0]?.w1Total?.rps ?? NaN;
}

/** Runs sg-load.mjs with `args`; resolves with its exit status. */
function runLoad(args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const load = spawn(process.execPath, [LOAD, '--access-key', ACCESS_KEY, '--secret-key', SECRET_KEY, ...args], { stdio: 'inherit' });
    load.once('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  if (!existsSync(LOAD)) throw new Error(`load generator not found at ${LOAD}`);
  const extra = process.argv.slice(2);
  const [motoPort, ourPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-bench-'));
  const jsonOut = path.join(dataDir, 'sg-load.json');

  const ourStart = process.hrtime.bigint();
  const ours = spawn(
    process.execPath,
    ['--max-semi-space-size=1', path.join(REPO, 'bin/stockade'), 'serve', '--port', String(ourPort), '--data-dir', path.join(dataDir, 'data')],
    {
      env: {
        ...process.env,
        STOCKADE_LOG_LEVEL: 'warn',
        STOCKADE_BOOTSTRAP_ACCOUNT_ID: '123456789012',
        STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY,
        STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_KEY,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const oursFirstMs = await firstAnswer(`http://127.0.0.1:${ourPort}/health`, ourStart, ours);
  const motoStart = process.hrtime.bigint();
  const moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(motoPort)], { stdio: ['ignore', 'ignore', 'ignore'] });
  const motoFirstMs = await firstAnswer(`http://127.0.0.1:${motoPort}/`, motoStart, moto);
  try {
    const status = await runLoad([
      '--endpoint', `stockade=http://127.0.0.1:${ourPort}`,
      '--endpoint', `moto=http://127.0.0.1:${motoPort}`,
      '--pid', `stockade=${ours.pid}`,
      '--pid', `moto=${moto.pid}`,
      '--json', jsonOut,
      ...extra,
    ]);
    // Warm W1: on each server, W1 twice back to back (new group names each time); the second run
    // finds the JIT done. A server left idle for a minute pays much of it again (measured: 1.0 s of
    // server CPU per W1 back to back, 1.35 s after a 60 s pause), so the two runs are back to back
    // rather than after the other server's run.
    const withoutWorkloads = extra.filter((a, i, all) => a !== '--workloads' && all[i - 1] !== '--workloads' && a !== '--prefix' && all[i - 1] !== '--prefix');
    const warmRun = async (name: string, port: number): Promise<number> => {
      let rps = NaN;
      for (const pass of ['first', 'second']) {
        const out = path.join(dataDir, `warm-${name}-${pass}.json`);
        await runLoad(['--endpoint', `${name}=http://127.0.0.1:${port}`, '--workloads', 'W1', '--prefix', `warm-${pass}-${Date.now().toString(36)}`, '--quiet', '--json', out, ...withoutWorkloads]);
        rps = w1RateOf(out);
      }
      return rps;
    };
    const warm = { stockade: await warmRun('stockade', ourPort), moto: await warmRun('moto', motoPort) };
    // The ceiling: W1 against a do-nothing server, same machine, same run.
    const nullPort = await freePort();
    const stopNull = await startNullServer(nullPort);
    const ceilingOut = path.join(dataDir, 'ceiling.json');
    await runLoad(['--endpoint', `null=http://127.0.0.1:${nullPort}`, '--workloads', 'W1', '--quiet', '--json', ceilingOut, ...withoutWorkloads]);
    await stopNull();
    const ceiling = w1RateOf(ceilingOut);
    const report = JSON.parse(readFileSync(jsonOut, 'utf8')) as { results: EndpointResult[] };
    const [s, m] = ['stockade', 'moto'].map((n) => report.results.find((r) => r.name === n));
    if (s === undefined || m === undefined) throw new Error('missing results');
    const rps = (r: EndpointResult, prefix: string) => r.phases.find((p) => p.phase.startsWith(prefix))?.rps ?? NaN;
    const ratio = (a: number, b: number, digits = 1) => `${(a / b).toFixed(digits)}x`;
    const rows: [string, string, string, string, string][] = [
      ['W1 create+authorize req/s', String(s.w1Total?.rps), String(m.w1Total?.rps), ratio(s.w1Total?.rps ?? NaN, m.w1Total?.rps ?? NaN), '>= 15x'],
      ['W1 warm (second of two back-to-back runs)', String(warm.stockade), String(warm.moto), ratio(warm.stockade, warm.moto), 'reference'],
      ['W1 against a do-nothing server (ceiling)', String(ceiling), String(m.w1Total?.rps), ratio(ceiling, m.w1Total?.rps ?? NaN), 'reference'],
      ['W2 describe by id req/s', String(rps(s, 'W2')), String(rps(m, 'W2')), ratio(rps(s, 'W2'), rps(m, 'W2')), '>= 30x'],
      ['W3 describe all req/s', String(rps(s, 'W3')), String(rps(m, 'W3')), ratio(rps(s, 'W3'), rps(m, 'W3')), '>= 100x'],
      [
        'server RSS after W1, MiB',
        String(s.memory.afterW1?.rssMiB),
        String(m.memory.afterW1?.rssMiB),
        // Two decimals: the target is a third.
        ratio(s.memory.afterW1?.rssMiB ?? NaN, m.memory.afterW1?.rssMiB ?? NaN, 2),
        '<= 0.33x',
      ],
      ['first answer after start, ms', oursFirstMs.toFixed(0), motoFirstMs.toFixed(0), ratio(oursFirstMs, motoFirstMs), '<= 500 ms'],
    ];
    console.log('\n| measure | Stockade | moto | ratio | target |\n|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
    console.log(`\nmachine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}, node ${process.version}`);
    return status;
  } finally {
    await Promise.all([stop(ours), stop(moto)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
