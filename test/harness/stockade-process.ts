import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (tests run from dist/test/harness/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const STOCKADE_BIN = path.join(REPO_ROOT, 'bin', 'stockade');

/** Credentials of an account. */
export interface AccountCredentials {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Where a signed request goes, and whose keys sign it by default: any running Stockade. */
export type StockadeEndpoint = Pick<RunningStockade, 'url' | 'port' | 'bootstrap'>;

/** A Stockade server running as a real child process on a free loopback port. */
export interface RunningStockade {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The options that name this server's store for admin commands (`--data-dir D` or `--database URL`). */
  readonly storeArgs: readonly string[];
  readonly bootstrap: AccountCredentials;
  readonly process: ChildProcess;
  /** Creates another account through `bin/stockade accounts create --json`. */
  createAccount(options: { accountId: string; platform: 'classic' | 'vpc-only' }): Promise<AccountCredentials>;
  /** SIGTERM, then wait for exit; removes the data directory unless it was given. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for exit; keeps the data directory. */
  kill9(): Promise<void>;
}

let counter = 0;

/**
 * Starts `bin/stockade serve --port 0` (or `options.port`) with a bootstrap account whose keys are fixed per call
 * (platform from `env.STOCKADE_BOOTSTRAP_PLATFORM`, default vpc-only) and waits for its
 * "listening" line.
 */
export async function startStockade(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; args?: string[]; /** A PostgreSQL URL: serve --database. */ database?: string } = {},
): Promise<RunningStockade> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'stockade-test-'));
  counter++;
  const bootstrap: AccountCredentials = {
    accountId: options.env?.STOCKADE_BOOTSTRAP_ACCOUNT_ID ?? '111122223333',
    accessKeyId: options.env?.STOCKADE_BOOTSTRAP_ACCESS_KEY_ID ?? `AKIDTEST${String(process.pid).padStart(8, '0')}${counter}`,
    secretAccessKey: options.env?.STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY ?? `test/secret+${process.pid}-${counter}`,
  };
  // --database wins over --data-dir wherever both are given (cli/server-config.ts storeLocation).
  const storeArgs = ['--data-dir', dataDir, ...(options.database === undefined ? [] : ['--database', options.database])];
  const child = spawn(process.execPath, [STOCKADE_BIN, 'serve', '--port', String(options.port ?? 0), ...storeArgs, ...(options.args ?? [])], {
    env: {
      ...process.env,
      STOCKADE_LOG_LEVEL: 'warn',
      STOCKADE_BOOTSTRAP_ACCOUNT_ID: bootstrap.accountId,
      STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: bootstrap.accessKeyId,
      STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: bootstrap.secretAccessKey,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Stockade listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m?.[1] !== undefined) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`stockade exited with ${code} before listening: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    dataDir,
    storeArgs,
    bootstrap,
    process: child,
    async createAccount({ accountId, platform }) {
      const { stdout } = await run(process.execPath, [STOCKADE_BIN, 'accounts', 'create', '--id', accountId, '--platform', platform, '--json', ...storeArgs]);
      return JSON.parse(stdout) as AccountCredentials;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
