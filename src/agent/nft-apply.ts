import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isNamespaceName, namespacePath } from './netns.js';
import { hostCommands } from './shell-pool.js';

/**
 * The only code that runs `nft`. A change to a namespace is one transaction text (from
 * dataplane/nft-ruleset.ts) fed to ONE `nsenter --net=/run/netns/NS nft -f -` process on stdin
 * (through shell-pool.ts): nft commits
 * a file as one transaction, so it applies whole or not at all, and the process count per change
 * stays one whatever the number of rules or elements (notes/nftables.md finding 1: the fixed cost
 * of a process is about 4 to 5 ms). Text, not JSON: `nft -j -f -` cannot read a Node pipe
 * (notes/nftables.md finding 5). Nothing on the apply path reads `nft list` back.
 */

/**
 * The outcome of one transaction:
 * - `applied`: nft committed it;
 * - `rejected`: nft ran and refused it (syntax, a missing element, an overlap, …); being one
 *   transaction, none of it was applied. `message` is nft's own error text;
 * - `failed`: the namespace, `ip` or `nft` could not be used, or nft did not finish in time.
 *   Whether anything was applied is unknown, so the caller should replace the whole table.
 */
export type NftApplyResult =
  | { readonly kind: 'applied' }
  | { readonly kind: 'rejected'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

/** Tunables of `applyNftTransaction`. */
export interface NftApplyOptions {
  /**
   * How long nft may take before it is killed and the result is `failed`. The default, 15 s, is
   * ten times the slowest apply measured (about 1 s for a 10000-rule linear table,
   * notes/nftables.md); a stuck process must not hold the agent forever.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// nft's stderr is a few lines; more than this is cut, since it only goes into an error message.
const MAX_MESSAGE_BYTES = 64 * 1024;
/**
 * nsenter (util-linux) rather than `ip netns exec`: only nft's network namespace matters, and
 * `ip netns exec` also makes a mount namespace and remounts /sys, which costs more the more
 * namespaces (mounts) the host has (5.2 against 3.9 ms per transaction with 600 namespaces).
 * nsenter's own failures (namespace gone, nft missing) are told apart by this prefix, or by an
 * exit status other than nft's 1.
 */
const NSENTER_FAILED = 'nsenter:';

/**
 * Applies `transaction` (nft text, e.g. `renderReplaceTransaction(...)` or
 * `renderGroupMembershipChange(...)`) in the network namespace `namespace` with one `nft -f -`
 * process. Never throws: every outcome is an `NftApplyResult`.
 */
export function applyNftTransaction(
  namespace: string,
  transaction: string,
  options: NftApplyOptions = {},
): Promise<NftApplyResult> {
  if (!isNamespaceName(namespace)) {
    return Promise.resolve({ kind: 'failed', message: `${JSON.stringify(namespace)} is not a network namespace name` });
  }
  // A stat, not a process: a missing namespace is `failed`, never mistaken for nft refusing the text.
  if (!existsSync(namespacePath(namespace))) {
    return Promise.resolve({ kind: 'failed', message: `network namespace ${namespace} does not exist` });
  }
  return runNft(['nsenter', `--net=${namespacePath(namespace)}`, 'nft', '-f', '-'], transaction, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

/**
 * The version line of the installed nft (`nftables v1.0.6 (Lester Gooch #5)`), for a start-up
 * check. Rejects with an Error saying what is missing when `nft` cannot be run.
 */
export async function nftVersion(): Promise<string> {
  const result = await runProcess('nft', ['--version'], '', DEFAULT_TIMEOUT_MS);
  if (result.kind === 'exited' && result.code === 0) return result.stdout.trim();
  throw new Error(`nft cannot be run (nftables is required): ${describeFailure(result)}`);
}

/**
 * The ruleset of `namespace` as `nft list ruleset` prints it, for test diagnostics only: the agent
 * keeps its own model and never reads the kernel's back (notes/nftables.md finding 2).
 */
export async function listRulesetForTest(namespace: string): Promise<string> {
  if (!isNamespaceName(namespace)) throw new Error(`${JSON.stringify(namespace)} is not a network namespace name`);
  const result = await runProcess('ip', ['netns', 'exec', namespace, 'nft', 'list', 'ruleset'], '', DEFAULT_TIMEOUT_MS);
  if (result.kind === 'exited' && result.code === 0) return result.stdout;
  throw new Error(`nft list ruleset in ${namespace}: ${describeFailure(result)}`);
}

async function runNft(args: readonly string[], input: string, timeoutMs: number): Promise<NftApplyResult> {
  // Through long-lived shells rather than processes forked from Node (shell-pool.ts).
  const result = await hostCommands.run(args, input, timeoutMs);
  if (result.kind !== 'exited') return { kind: 'failed', message: result.message };
  if (result.code === 0) return { kind: 'applied' };
  const message = result.output.trim();
  // nft exits 1 when it refuses the input (NFT_EXIT_FAILURE); anything else is the tooling.
  if (result.code === 1 && !message.startsWith(NSENTER_FAILED)) {
    return { kind: 'rejected', message };
  }
  return { kind: 'failed', message: `exit status ${result.code}${message === '' ? '' : `: ${message}`}` };
}

type ProcessResult =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'killed'; readonly signal: string; readonly stderr: string; readonly timedOutMs: number | undefined }
  | { readonly kind: 'unstartable'; readonly message: string };

/** Runs `command args` with `input` on stdin; resolves once it has exited and its output is read. */
function runProcess(command: string, args: readonly string[], input: string, timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      // Default stdio: three pipes.
      child = spawn(command, args);
    } catch (error) {
      resolve({ kind: 'unstartable', message: `${command}: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let timedOut = false;
    let settled = false;
    const settle = (result: ProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_MESSAGE_BYTES) stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    child.on('error', (error) => settle({ kind: 'unstartable', message: `${command}: ${error.message}` }));
    child.on('close', (code, signal) => {
      const errText = Buffer.concat(stderr).toString('utf8').slice(0, MAX_MESSAGE_BYTES);
      if (code !== null) {
        settle({ kind: 'exited', code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: errText });
      } else {
        settle({ kind: 'killed', signal: signal ?? 'unknown', stderr: errText, timedOutMs: timedOut ? timeoutMs : undefined });
      }
    });
    // nft may exit before reading everything (a syntax error early on): the broken pipe is not
    // the failure, its exit status is.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function describeFailure(result: ProcessResult): string {
  switch (result.kind) {
    case 'exited':
      return `exit status ${result.code}${result.stderr.trim() === '' ? '' : `: ${result.stderr.trim()}`}`;
    case 'killed':
      return result.timedOutMs !== undefined
        ? `no answer within ${result.timedOutMs} ms, killed`
        : `killed by ${result.signal}${result.stderr.trim() === '' ? '' : `: ${result.stderr.trim()}`}`;
    case 'unstartable':
      return result.message;
    default: {
      const never: never = result;
      return String(never);
    }
  }
}
