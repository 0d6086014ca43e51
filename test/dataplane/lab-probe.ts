import { once } from 'node:events';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as readline from 'node:readline';

/**
 * The traffic end of the namespace lab (namespace-lab.ts), one process per instance namespace,
 * started as `ip netns exec NS node lab-probe.js serve TCP_PORTS UDP_PORTS` (nc and ping are not
 * on the machine, notes/nftables.md). It serves echo on the given TCP ports (dual stack) and UDP
 * ports (IPv4 and IPv6), and acts as a client on request: one JSON command per stdin line, one
 * JSON answer per stdout line with the same `id`. Without `serve` it does nothing, so a test
 * runner that happens to load it is unaffected.
 */

/** What a probe saw: a connection or an echo, a refusal (RST, ICMP unreachable), nothing, or an error. */
export const PROBE_OUTCOMES = ['open', 'refused', 'timeout', 'eperm', 'closed', 'error'] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

/** A client request. `hold` keeps the TCP connection under `key`; `echo` and `close` use it. */
export type ProbeCommand =
  | { readonly op: 'tcp'; readonly host: string; readonly port: number; readonly timeoutMs: number }
  | { readonly op: 'udp'; readonly host: string; readonly port: number; readonly timeoutMs: number }
  | { readonly op: 'hold'; readonly key: string; readonly host: string; readonly port: number; readonly timeoutMs: number }
  | { readonly op: 'echo'; readonly key: string; readonly timeoutMs: number }
  | { readonly op: 'close'; readonly key: string };

/** One answer line: the request's id, the outcome, and the error code when there was one. */
export interface ProbeAnswer {
  readonly id: number;
  readonly outcome: ProbeOutcome;
  readonly detail?: string;
}

const held = new Map<string, net.Socket>();

async function serve(tcpPorts: readonly number[], udpPorts: readonly number[]): Promise<void> {
  const servers: Promise<unknown>[] = [];
  for (const port of tcpPorts) {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    server.listen({ port, host: '::', ipv6Only: false });
    servers.push(once(server, 'listening'));
  }
  for (const port of udpPorts) {
    for (const type of ['udp4', 'udp6'] as const) {
      const socket = dgram.createSocket({ type, ipv6Only: type === 'udp6' });
      socket.on('message', (message, remote) => socket.send(message, remote.port, remote.address));
      socket.on('error', () => undefined);
      socket.bind(port, type === 'udp4' ? '0.0.0.0' : '::');
      servers.push(once(socket, 'listening'));
    }
  }
  await Promise.all(servers);
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const request = JSON.parse(line) as { id: number; command: ProbeCommand };
    void run(request.command).then(({ outcome, detail }) => {
      const answer: ProbeAnswer = detail === undefined ? { id: request.id, outcome } : { id: request.id, outcome, detail };
      process.stdout.write(`${JSON.stringify(answer)}\n`);
    });
  });
  // The lab closes stdin (or dies): nothing is left to do.
  lines.on('close', () => process.exit(0));
}

function run(command: ProbeCommand): Promise<{ outcome: ProbeOutcome; detail?: string }> {
  switch (command.op) {
    case 'tcp':
      return connect(command.host, command.port, command.timeoutMs).then(({ outcome, detail, socket }) => {
        socket?.destroy();
        return detail === undefined ? { outcome } : { outcome, detail };
      });
    case 'hold':
      return connect(command.host, command.port, command.timeoutMs).then(({ outcome, detail, socket }) => {
        if (socket !== undefined) held.set(command.key, socket);
        return detail === undefined ? { outcome } : { outcome, detail };
      });
    case 'udp':
      return udpEcho(command.host, command.port, command.timeoutMs);
    case 'echo': {
      const socket = held.get(command.key);
      return socket === undefined ? Promise.resolve({ outcome: 'error', detail: 'no such connection' }) : tcpEcho(socket, command.timeoutMs);
    }
    case 'close':
      held.get(command.key)?.destroy();
      held.delete(command.key);
      return Promise.resolve({ outcome: 'closed' });
    default: {
      const never: never = command;
      return Promise.resolve({ outcome: 'error', detail: `unknown command ${JSON.stringify(never)}` });
    }
  }
}

function connect(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ outcome: ProbeOutcome; detail?: string; socket?: net.Socket }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: 'timeout' });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.on('error', () => undefined);
      resolve({ outcome: 'open', socket });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcomeOfError(error));
    });
  });
}

function tcpEcho(socket: net.Socket, timeoutMs: number): Promise<{ outcome: ProbeOutcome; detail?: string }> {
  return new Promise((resolve) => {
    const onData = (): void => finish({ outcome: 'open' });
    const onClose = (): void => finish({ outcome: 'closed' });
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), timeoutMs);
    function finish(result: { outcome: ProbeOutcome; detail?: string }): void {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      resolve(result);
    }
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.write('ping\n');
  });
}

function udpEcho(host: string, port: number, timeoutMs: number): Promise<{ outcome: ProbeOutcome; detail?: string }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), timeoutMs);
    let done = false;
    function finish(result: { outcome: ProbeOutcome; detail?: string }): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    }
    socket.on('message', () => finish({ outcome: 'open' }));
    // A connected UDP socket reports an ICMP port unreachable as ECONNREFUSED.
    socket.on('error', (error: NodeJS.ErrnoException) => finish(outcomeOfError(error)));
    socket.connect(port, host, () => {
      socket.send('ping', (error) => {
        if (error !== null && error !== undefined) finish(outcomeOfError(error));
      });
    });
  });
}

function outcomeOfError(error: NodeJS.ErrnoException): { outcome: ProbeOutcome; detail?: string } {
  switch (error.code) {
    case 'ECONNREFUSED':
      return { outcome: 'refused' };
    // The local output hook dropped the packet: the kernel tells the sender at once.
    case 'EPERM':
    case 'EACCES':
      return { outcome: 'eperm', detail: error.code };
    default:
      return { outcome: 'error', detail: error.code ?? error.message };
  }
}

function portsOf(text: string | undefined): number[] {
  return text === undefined || text === '' ? [] : text.split(',').map(Number);
}

if (process.argv[2] === 'serve') {
  serve(portsOf(process.argv[3]), portsOf(process.argv[4])).catch((error: unknown) => {
    process.stderr.write(`lab-probe: ${String(error)}\n`);
    process.exit(1);
  });
}
