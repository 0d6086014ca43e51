import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deleteNamespace, listNamespaces } from '../../src/agent/netns.js';
import { hostNamespace } from '../../src/agent/instance-network.js';
import { signedFetch } from './signed-fetch.js';
import { REPO_ROOT, type RunningStockade } from './stockade-process.js';

/** A `bin/stockade agent` child process. */
export interface RunningAgent {
  readonly process: ChildProcess;
  /** The agent's log lines (pino JSON), for failure messages. */
  readonly log: () => string;
  /** The URL of its metrics endpoint, once it has logged it (started with `metricsPort`). */
  metricsUrl(): Promise<string>;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for exit. */
  kill9(): Promise<void>;
}

/**
 * Starts `bin/stockade agent --server URL --host NAME --credentials FILE` with the host key in
 * `credentialsFile` (written from `hosts add --json` output by the caller).
 */
export function startAgent(options: {
  serverUrl: string;
  hostName: string;
  credentialsFile: string;
  resyncSeconds?: number;
  metricsPort?: number;
  env?: NodeJS.ProcessEnv;
}): RunningAgent {
  const child = spawn(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin', 'stockade'), 'agent',
      '--server', options.serverUrl,
      '--host', options.hostName,
      '--credentials', options.credentialsFile,
      '--resync-interval', String(options.resyncSeconds ?? 60),
      '--log-level', 'info',
      ...(options.metricsPort === undefined ? [] : ['--metrics-port', String(options.metricsPort)]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env },
  );
  let log = '';
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    await exited;
  };
  const metricsUrl = async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/metrics"/.exec(log)?.[1];
      if (url !== undefined) return url;
      if (Date.now() > deadline) throw new Error(`no metrics URL in the agent's log: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { process: child, log: () => log, metricsUrl, stop: () => signal('SIGTERM'), kill9: () => signal('SIGKILL') };
}

/** Writes a host's key where `startAgent` can read it. */
export function writeHostCredentials(file: string, credentials: { accessKeyId: string; secretAccessKey: string }): void {
  writeFileSync(file, JSON.stringify({ accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }), { mode: 0o600 });
}

/** `GET /propagation` for an instance, as the bootstrap account. */
export async function propagationOf(server: RunningStockade, instanceId: string): Promise<{ desiredRevision: number; enforcedRevision: number; enforcementFailure: string | null }> {
  const response = await signedFetch(server, { method: 'GET', path: '/propagation', query: { instance: instanceId } });
  if (response.status !== 200) throw new Error(`/propagation ${instanceId}: ${response.status} ${response.body}`);
  return JSON.parse(response.body) as { desiredRevision: number; enforcedRevision: number; enforcementFailure: string | null };
}

/**
 * Waits until every instance's host reports a revision at least its desired one (issue 5: "a
 * caller can wait until a change is in force"). Rejects after `timeoutMs` with the last answers.
 */
export async function waitInForce(server: RunningStockade, instanceIds: readonly string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(instanceIds.map((id) => propagationOf(server, id)));
    if (states.every((s) => s.enforcedRevision >= s.desiredRevision)) return;
    if (Date.now() > deadline) throw new Error(`not in force within ${timeoutMs} ms: ${JSON.stringify(states)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Removes what an agent of `hostName` made for `instanceIds`: their namespaces and the host's
 * bridge namespace. Synchronous variant for exit hooks.
 */
export async function removeAgentNamespaces(hostName: string, instanceIds: Iterable<string>): Promise<void> {
  const existing = new Set(await listNamespaces());
  for (const name of [...instanceIds, hostNamespace(hostName)]) if (existing.has(name)) await deleteNamespace(name);
}

export function removeAgentNamespacesSync(hostName: string, instanceIds: Iterable<string>): void {
  for (const name of [...instanceIds, hostNamespace(hostName)]) spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
}
