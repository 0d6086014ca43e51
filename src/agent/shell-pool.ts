import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * A few long-lived `/bin/sh` processes that run commands for the agent. Forking the agent itself
 * (a Node process of a hundred megabytes or more, the server's too in single-host mode) blocks
 * its event loop for about 2 ms per process, in series, before any of them runs; a small shell
 * forks in a fraction of that and off the event loop (docs/performance.md, propagation). Each
 * shell runs one job at a time: the command with its input as a here-document, stderr merged
 * into stdout, then a marker line carrying the exit status.
 */

/** How one job ended. */
export type ShellResult =
  | { readonly kind: 'exited'; readonly code: number; readonly output: string }
  | { readonly kind: 'killed'; readonly message: string };

interface Job {
  readonly script: string;
  readonly marker: string;
  readonly timeoutMs: number;
  readonly resolve: (result: ShellResult) => void;
}

// Output kept per job (nft's errors are a few lines).
const MAX_OUTPUT = 64 * 1024;

export class ShellPool {
  readonly #size: number;
  readonly #idle: Worker[] = [];
  readonly #queue: Job[] = [];
  #started = 0;

  constructor(size: number) {
    this.#size = size;
  }

  /**
   * Runs `argv` (words, each quoted for the shell) with `input` on its stdin. Never rejects: a
   * job past `timeoutMs` kills its shell (and what it runs) and resolves `killed`.
   */
  run(argv: readonly string[], input: string, timeoutMs: number): Promise<ShellResult> {
    const tag = randomBytes(8).toString('hex');
    const terminator = `STOCKADE_EOF_${tag}`;
    const marker = `@@stockade-done-${tag} `;
    // The input cannot end the here-document early: the terminator is random and checked here.
    if (input.split('\n').includes(terminator)) return Promise.resolve({ kind: 'killed', message: 'input contains the terminator' });
    const body = input.endsWith('\n') || input === '' ? input : `${input}\n`;
    const script = `${argv.map(quote).join(' ')} 2>&1 <<'${terminator}'\n${body}${terminator}\nstockade_status=$?; echo; echo "${marker}$stockade_status"\n`;
    return new Promise((resolve) => {
      this.#queue.push({ script, marker, timeoutMs, resolve });
      this.#dispatch();
    });
  }

  /** Ends every idle shell (the pool starts new ones on demand). */
  close(): void {
    for (const worker of this.#idle.splice(0)) worker.end();
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let worker = this.#idle.pop();
      if (worker === undefined) {
        if (this.#started >= this.#size) return;
        worker = new Worker(() => this.#started--);
        this.#started++;
      }
      const job = this.#queue.shift() as Job;
      void worker.run(job).then((result) => {
        job.resolve(result);
        if (worker.alive) this.#idle.push(worker);
        this.#dispatch();
      });
    }
  }
}

/** One shell. */
class Worker {
  readonly #child: ChildProcessWithoutNullStreams;
  #output = '';
  #current: { job: Job; done: (result: ShellResult) => void; timer: NodeJS.Timeout } | undefined;
  alive = true;

  constructor(onExit: () => void) {
    // Its own process group, so that a timeout can kill the shell and what it started.
    this.#child = spawn('/bin/sh', ['-s'], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    // An idle shell must not keep the process alive (a job's timer does while it runs).
    this.#child.unref();
    for (const stream of [this.#child.stdin, this.#child.stdout, this.#child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => this.#read(chunk));
    this.#child.stderr.on('data', () => undefined);
    this.#child.stdin.on('error', () => undefined);
    this.#child.once('exit', () => {
      this.alive = false;
      onExit();
      this.#finish({ kind: 'killed', message: 'the shell exited' });
    });
  }

  run(job: Job): Promise<ShellResult> {
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.#finish({ kind: 'killed', message: `no answer within ${job.timeoutMs} ms, killed` });
        this.kill();
      }, job.timeoutMs);
      this.#current = { job, done, timer };
      this.#output = '';
      this.#child.stdin.write(job.script);
    });
  }

  end(): void {
    this.#child.stdin.end();
  }

  kill(): void {
    this.alive = false;
    try {
      if (this.#child.pid !== undefined) process.kill(-this.#child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  #read(chunk: string): void {
    if (this.#current === undefined) return;
    this.#output = (this.#output + chunk).slice(-MAX_OUTPUT);
    const at = this.#output.lastIndexOf(this.#current.job.marker);
    if (at < 0) return;
    const status = /^(\d+)\n/.exec(this.#output.slice(at + this.#current.job.marker.length));
    if (status?.[1] === undefined) return;
    // The `echo;` before the marker ends a last line that had no newline.
    const output = this.#output.slice(0, at).replace(/\n$/, '');
    this.#finish({ kind: 'exited', code: Number(status[1]), output });
  }

  #finish(result: ShellResult): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    clearTimeout(current.timer);
    current.done(result);
  }
}

/** `word` in single quotes for the shell. */
function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The agent's one pool: every `ip` and `nft` command of the agent runs through it, eight at once
 * (the enforcer's concurrency).
 */
export const hostCommands = new ShellPool(8);
