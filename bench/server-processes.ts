import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/harness/free-port.js';

/** The repository root (this file runs from dist/bench/). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STOCKADE_BIN = path.join(REPO, 'bin', 'stockade');
/** The bootstrap account, with the keys sg-load.mjs signs with by default (AWS documentation example keys). */
export const ACCOUNT_ID = '123456789012';
export const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** The bootstrap account above, as the test harness's signed requests take it. */
export const BOOTSTRAP = { accountId: ACCOUNT_ID, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } as const;

/** A server process under measurement. */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 20 s; resolves once it has exited. */
  stop(): Promise<void>;
}


function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
}

/**
 * `stockade serve` on a free loopback port with the bootstrap account above, logging at warn
 * (warnings go to our stderr): SQLite in `dataDir`, or `database` when given. `nodeFlags` go before
 * the script (e.g. `--cpu-prof`). `onSpawned` gets the stop function before the server is ready,
 * so that a failed start is cleaned up too.
 */
export async function startStockade(
  options: { dataDir: string; database?: string; nodeFlags?: readonly string[] },
  onSpawned: (stop: () => Promise<void>) => void,
): Promise<ServerProcess> {
  const store = options.database === undefined ? [] : ['--database', options.database];
  // --max-semi-space-size=1 as bin/stockade's own shebang line gives it.
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=1', ...(options.nodeFlags ?? []), STOCKADE_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', options.dataDir, ...store],
    {
      env: {
        ...process.env,
        STOCKADE_LOG_LEVEL: 'warn',
        STOCKADE_BOOTSTRAP_ACCOUNT_ID: ACCOUNT_ID,
        STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: ACCESS_KEY,
        STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: SECRET_KEY,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const stop = stopper(child);
  onSpawned(stop);
  const lines = readline.createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stockade serve did not start within 30 s')), 30_000);
    lines.on('line', (line) => {
      const m = /Stockade listening on http:\/\/[^\s]+:(\d+)/.exec(line);
      if (m?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(Number(m[1]));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`stockade serve exited (${code ?? signal}) before listening`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid ?? 0, stop };
}

/** moto's server (`python3 -m moto.server`), as `npm run bench` starts it; ready at its first answer. */
export async function startMoto(onSpawned: (stop: () => Promise<void>) => void): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'ignore'] });
  const stop = stopper(child);
  onSpawned(stop);
  const url = `http://127.0.0.1:${port}`;
  const startedAt = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with ${child.exitCode}`);
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() - startedAt > 30_000) throw new Error('moto did not answer within 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { url, port, pid: child.pid ?? 0, stop };
}
