import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as readline from 'node:readline';
import {
  connectToBridge,
  createBridge,
  createNamespace,
  deleteNamespace,
  listNamespaces,
} from '../../src/agent/netns.js';
import type { ProbeAnswer, ProbeCommand } from './lab-probe.js';

/**
 * A small network for data-plane tests, built only from namespaces it creates: one namespace
 * holding a Linux bridge, and one namespace per instance joined to it by a veth pair, with
 * addresses in 10.213.0.0/24 and fd00:213::/64 that exist only inside these namespaces. Nothing
 * is created in the root namespace and no traffic leaves the lab. Names are `stk-<pid>-<n>`, so
 * parallel runs never meet, and a run removes the leftovers of an earlier one with its pid.
 */

/** One instance of the lab: its namespace and its addresses. */
export interface LabInstance {
  readonly name: string;
  readonly namespace: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

/** TCP echo ports every instance serves (dual stack). */
export const LAB_TCP_PORTS = [8080, 9090] as const;
/** UDP echo ports every instance serves, on IPv4 and IPv6. */
export const LAB_UDP_PORTS = [5353] as const;

const PROBE_SCRIPT = fileURLToPath(new URL('./lab-probe.js', import.meta.url));
// Starting node inside a namespace takes well under a second; a loaded machine gets slack.
const PROBE_READY_TIMEOUT_MS = 20_000;
const BRIDGE = 'br0';
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The prefix of every namespace this process creates. */
export function labPrefix(): string {
  return `stk-${process.pid}-`;
}

/** A running lab. `destroy` removes everything it made; call it in an `after` hook. */
export class NamespaceLab {
  readonly instances: ReadonlyMap<string, LabInstance>;
  readonly #namespaces: readonly string[];
  readonly #probes: Map<string, ProbeProcess>;
  readonly #exitHook: () => void;

  private constructor(instances: ReadonlyMap<string, LabInstance>, namespaces: readonly string[], probes: Map<string, ProbeProcess>) {
    this.instances = instances;
    this.#namespaces = namespaces;
    this.#probes = probes;
    // Last resort if the test process ends without `destroy` (an uncaught error, or the runner's
    // SIGTERM or a ^C): synchronous, since nothing asynchronous runs in an 'exit' handler. On a
    // signal the namespaces go first, then the signal is raised again with its default action.
    this.#exitHook = () => removeNamespacesSync(namespaces);
    process.once('exit', this.#exitHook);
    for (const signal of CLEANUP_SIGNALS) process.once(signal, this.#signalHook);
  }

  readonly #signalHook = (signal: NodeJS.Signals): void => {
    removeNamespacesSync(this.#namespaces);
    process.kill(process.pid, signal);
  };

  /**
   * Builds the lab with one instance per name (`a` gets 10.213.0.11, `b` .12, …), each serving
   * `LAB_TCP_PORTS` and `LAB_UDP_PORTS`. On failure it removes what it made and rethrows.
   */
  static async create(names: readonly string[]): Promise<NamespaceLab> {
    await removeLeftovers();
    const prefix = labPrefix();
    const bridgeNamespace = `${prefix}br`;
    const namespaces: string[] = [];
    const probes = new Map<string, ProbeProcess>();
    try {
      await createNamespace(bridgeNamespace);
      namespaces.push(bridgeNamespace);
      await createBridge(bridgeNamespace, BRIDGE);
      const instances = new Map<string, LabInstance>();
      for (const [i, name] of names.entries()) {
        const host = 11 + i;
        const instance: LabInstance = {
          name,
          namespace: `${prefix}${i + 1}`,
          ipv4: `10.213.0.${host}`,
          ipv6: `fd00:213::${host}`,
        };
        await createNamespace(instance.namespace);
        namespaces.push(instance.namespace);
        await connectToBridge({
          namespace: instance.namespace,
          interfaceName: 'eth0',
          bridgeNamespace,
          bridge: BRIDGE,
          portName: `port${i + 1}`,
          addresses: [`${instance.ipv4}/24`, `${instance.ipv6}/64`],
        });
        instances.set(name, instance);
      }
      for (const instance of instances.values()) {
        probes.set(instance.name, await ProbeProcess.start(instance.namespace));
      }
      return new NamespaceLab(instances, namespaces, probes);
    } catch (error) {
      for (const probe of probes.values()) await probe.stop();
      for (const namespace of namespaces.reverse()) await deleteNamespace(namespace).catch(() => false);
      throw error;
    }
  }

  /** The instance called `name`; throws for a name the lab was not built with. */
  instance(name: string): LabInstance {
    const instance = this.instances.get(name);
    if (instance === undefined) throw new Error(`no lab instance ${name}`);
    return instance;
  }

  /** Runs `command` from instance `from` and resolves with what it saw. */
  probe(from: string, command: ProbeCommand): Promise<ProbeAnswer> {
    const probe = this.#probes.get(from);
    if (probe === undefined) throw new Error(`no lab instance ${from}`);
    return probe.request(command);
  }

  /** Stops the probes and deletes every namespace of the lab (and so every interface in them). */
  async destroy(): Promise<void> {
    for (const probe of this.#probes.values()) await probe.stop();
    this.#probes.clear();
    for (const namespace of [...this.#namespaces].reverse()) await deleteNamespace(namespace);
    process.off('exit', this.#exitHook);
    for (const signal of CLEANUP_SIGNALS) process.off(signal, this.#signalHook);
  }
}

/** Deletes namespaces left by an earlier lab of this process id. */
async function removeLeftovers(): Promise<void> {
  for (const name of await listNamespaces()) {
    if (name.startsWith(labPrefix())) await deleteNamespace(name);
  }
}

function removeNamespacesSync(namespaces: readonly string[]): void {
  for (const namespace of namespaces) spawnSync('ip', ['netns', 'delete', namespace], { stdio: 'ignore' });
}

/** One lab-probe.js process inside an instance namespace, driven over its stdin and stdout. */
export class ProbeProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  // Requests waiting for their answer line, by id; answered in any order.
  readonly #pending = new Map<number, { resolve: (answer: ProbeAnswer) => void; reject: (error: Error) => void }>();
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcessWithoutNullStreams) {
    this.#child = child;
  }

  static async start(namespace: string): Promise<ProbeProcess> {
    const child = spawn('ip', [
      'netns', 'exec', namespace,
      process.execPath, PROBE_SCRIPT, 'serve', LAB_TCP_PORTS.join(','), LAB_UDP_PORTS.join(','),
    ]);
    const probe = new ProbeProcess(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const lines = readline.createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe in ${namespace} not ready within ${PROBE_READY_TIMEOUT_MS} ms: ${stderr}`)), PROBE_READY_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`probe in ${namespace} exited with ${String(code)}: ${stderr}`));
      });
      lines.on('line', (line) => {
        const message = JSON.parse(line) as { ready?: boolean } & Partial<ProbeAnswer>;
        if (message.ready === true) {
          clearTimeout(timer);
          resolve();
          return;
        }
        if (message.id !== undefined && message.outcome !== undefined) probe.#answer(message as ProbeAnswer);
      });
    });
    child.once('exit', () => {
      probe.#exited = true;
      for (const waiter of probe.#pending.values()) waiter.reject(new Error(`probe in ${namespace} exited: ${stderr}`));
      probe.#pending.clear();
    });
    try {
      await ready;
    } catch (error) {
      await probe.stop();
      throw error;
    }
    return probe;
  }

  request(command: ProbeCommand): Promise<ProbeAnswer> {
    if (this.#exited) return Promise.reject(new Error('probe has exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdin.write(`${JSON.stringify({ id, command })}\n`);
    });
  }

  /** Closes stdin (the probe exits), and kills it by pid if it has not exited within a second. */
  async stop(): Promise<void> {
    if (this.#exited || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 1000);
    await exited;
    clearTimeout(timer);
  }

  #answer(answer: ProbeAnswer): void {
    const waiter = this.#pending.get(answer.id);
    this.#pending.delete(answer.id);
    waiter?.resolve(answer);
  }
}
