import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import * as readline from 'node:readline';

/**
 * The traffic end of the propagation benchmark (propagation.ts), run inside an instance's network
 * namespace as `ip netns exec NS node propagation-probe.js MODE`:
 *
 * - `serve PORT[,PORT…]`: a TCP listener on every port (IPv4, all addresses) that accepts and
 *   closes each connection at once. Started only in the few namespaces used as targets.
 * - `client`: connects on request. One JSON command per stdin line, JSON answers on stdout lines
 *   with the same `id`:
 *   - `{"id", "op": "race", "targets": [{host, port}…], "intervalMs", "attemptTimeoutMs", "limitMs"}`:
 *     answers `{"id", "started": T}` at once, then, for every target until it succeeds, opens a
 *     fresh connection every `intervalMs`, each abandoned after `attemptTimeoutMs` when it has
 *     not connected (a SYN the target's ruleset drops is never answered, and the kernel would
 *     only retransmit it after a second). Finally `{"id", "results": [{host, port, okAt,
 *     attempts, failedBefore, firstAttemptAt}]}`: `okAt` is the wall-clock time of the first
 *     successful connect, null when none within `limitMs`.
 *   - `{"id", "op": "check", "host", "port", "timeoutMs"}`: one attempt, `{"id", "open": bool}`.
 *
 * Every time is `performance.timeOrigin + performance.now()` (ms since the epoch, sub-ms), which is
 * comparable across processes on one machine. Both modes exit when stdin closes.
 */

/** A race's target. */
interface Target {
  readonly host: string;
  readonly port: number;
}

/** A client command. */
type Command =
  | { readonly id: number; readonly op: 'race'; readonly targets: readonly Target[]; readonly intervalMs: number; readonly attemptTimeoutMs: number; readonly limitMs: number }
  | { readonly id: number; readonly op: 'check'; readonly host: string; readonly port: number; readonly timeoutMs: number };

/** What one target of a race saw. */
export interface RaceResult {
  readonly host: string;
  readonly port: number;
  /** Wall-clock ms of the first successful connect, null if none before the limit. */
  readonly okAt: number | null;
  /** Connections opened. */
  readonly attempts: number;
  /** Which attempt (1-based) connected first; 0 when none did. */
  readonly okAttempt: number;
  /** Attempts that had failed (abandoned, refused, …) before the first success. */
  readonly failedBefore: number;
  readonly firstAttemptAt: number | null;
  /** Why attempts failed: `timeout` (abandoned) or the socket error code, with counts. */
  readonly failures: Record<string, number>;
}

/** The wall clock, sub-millisecond, comparable across processes. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

function write(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function serve(ports: readonly number[]): void {
  let listening = 0;
  for (const port of ports) {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.destroy();
    });
    server.on('error', (error) => {
      process.stderr.write(`propagation-probe: listen ${port}: ${String(error)}\n`);
      process.exit(1);
    });
    server.listen({ port, host: '0.0.0.0', backlog: 1024 }, () => {
      if (++listening === ports.length) write({ ready: true });
    });
  }
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
}

/** Tries `target` again and again until one connection succeeds, the race ends or the limit passes. */
class Racer {
  readonly #target: Target;
  readonly #attemptTimeoutMs: number;
  readonly #open = new Set<net.Socket>();
  attempts = 0;
  failed = 0;
  failedBefore = 0;
  okAttempt = 0;
  okAt: number | null = null;
  firstAttemptAt: number | null = null;
  readonly failures: Record<string, number> = {};
  onDone: () => void = () => undefined;

  constructor(target: Target, attemptTimeoutMs: number) {
    this.#target = target;
    this.#attemptTimeoutMs = attemptTimeoutMs;
  }

  get done(): boolean {
    return this.okAt !== null;
  }

  attempt(): void {
    if (this.done) return;
    const attempt = ++this.attempts;
    this.firstAttemptAt ??= wallNow();
    const socket = net.connect({ host: this.#target.host, port: this.#target.port });
    this.#open.add(socket);
    const fail = (error?: NodeJS.ErrnoException): void => {
      if (!this.#open.delete(socket)) return;
      clearTimeout(timer);
      socket.destroy();
      this.failed++;
      const reason = error === undefined ? 'timeout' : (error.code ?? error.message);
      this.failures[reason] = (this.failures[reason] ?? 0) + 1;
    };
    const timer = setTimeout(() => fail(), this.#attemptTimeoutMs);
    socket.once('connect', () => {
      const at = wallNow();
      clearTimeout(timer);
      this.#open.delete(socket);
      socket.destroy();
      if (this.done) return;
      this.okAt = at;
      this.okAttempt = attempt;
      this.failedBefore = this.failed;
      this.stop();
      this.onDone();
    });
    socket.once('error', fail);
  }

  /** Abandons every attempt still open. */
  stop(): void {
    for (const socket of this.#open) socket.destroy();
    this.#open.clear();
  }

  result(): RaceResult {
    return {
      host: this.#target.host,
      port: this.#target.port,
      okAt: this.okAt,
      okAttempt: this.okAttempt,
      attempts: this.attempts,
      failedBefore: this.okAt === null ? this.failed : this.failedBefore,
      firstAttemptAt: this.firstAttemptAt,
      failures: this.failures,
    };
  }
}

function race(command: Extract<Command, { op: 'race' }>): void {
  const racers = command.targets.map((t) => new Racer(t, command.attemptTimeoutMs));
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    clearInterval(ticker);
    clearTimeout(limit);
    for (const racer of racers) racer.stop();
    write({ id: command.id, results: racers.map((r) => r.result()) });
  };
  for (const racer of racers) {
    racer.onDone = () => {
      if (racers.every((r) => r.done)) finish();
    };
  }
  const tick = (): void => {
    for (const racer of racers) racer.attempt();
  };
  write({ id: command.id, started: wallNow() });
  tick();
  const ticker = setInterval(tick, command.intervalMs);
  const limit = setTimeout(finish, command.limitMs);
}

function check(command: Extract<Command, { op: 'check' }>): void {
  const socket = net.connect({ host: command.host, port: command.port });
  const answer = (open: boolean): void => {
    clearTimeout(timer);
    socket.destroy();
    write({ id: command.id, open });
  };
  const timer = setTimeout(() => answer(false), command.timeoutMs);
  socket.once('connect', () => answer(true));
  socket.once('error', () => answer(false));
}

function client(): void {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const command = JSON.parse(line) as Command;
    if (command.op === 'race') race(command);
    else check(command);
  });
  lines.on('close', () => process.exit(0));
  write({ ready: true });
}

const mode = process.argv[2];
if (mode === 'serve') serve((process.argv[3] ?? '').split(',').filter(Boolean).map(Number));
else if (mode === 'client') client();
