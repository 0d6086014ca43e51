import { readdir } from 'node:fs/promises';
import { hostCommands } from './shell-pool.js';

/**
 * Network namespaces for instances, through iproute2 (`ip netns`, `ip -n NS link|addr`). The
 * layout it builds, after notes/nftables.md: each instance is a namespace with one interface
 * (one end of a veth pair), the other end of which is a port of a Linux bridge that lives in a
 * namespace of its own. Nothing is ever created in, or moved through, the root namespace:
 * `ip -n NS link add … peer … netns BRIDGE` makes both ends where they belong.
 */

/** Where `ip netns` keeps its named namespaces (a bind mount per name). */
export const NETNS_DIR = '/run/netns';

/** An `ip` command that failed: the argv that was run and what it printed on stderr. */
export class NetnsError extends Error {
  readonly args: readonly string[];
  readonly stderr: string;

  constructor(args: readonly string[], stderr: string, cause?: unknown) {
    super(`ip ${args.join(' ')} failed: ${stderr.trim() === '' ? 'no message' : stderr.trim()}`, { cause });
    this.name = 'NetnsError';
    this.args = args;
    this.stderr = stderr;
  }
}

/**
 * One instance's end of a veth pair and the bridge port at the other end. Interface names are at
 * most 15 characters (IFNAMSIZ - 1).
 */
export interface BridgePort {
  /** The instance's namespace, and the name of its interface there (e.g. `eth0`). */
  readonly namespace: string;
  readonly interfaceName: string;
  /** The namespace holding the bridge, the bridge, and the name of this port there. */
  readonly bridgeNamespace: string;
  readonly bridge: string;
  readonly portName: string;
  /** Addresses for the instance's interface, with their prefix (`10.213.0.11/24`, `fd00:213::11/64`). */
  readonly addresses: readonly string[];
}

// `ip` answers in milliseconds; this only stops a wedged process from hanging the caller.
const IP_TIMEOUT_MS = 10_000;
const NAMESPACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const INTERFACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/;

/** Reports whether `name` is a namespace name this module accepts (letters, digits, `_.-`, no path). */
export function isNamespaceName(name: string): boolean {
  return NAMESPACE_NAME.test(name);
}

/** The file `ip netns` binds namespace `name` to. */
export function namespacePath(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

/** The version line of the installed `ip`. Rejects with a NetnsError when iproute2 is missing. */
export async function ipVersion(): Promise<string> {
  return (await runIp(['-V'])).trim();
}

/** The names of the existing named namespaces, sorted. No process: it reads `NETNS_DIR`. */
export async function listNamespaces(): Promise<string[]> {
  try {
    return (await readdir(NETNS_DIR)).sort();
  } catch (error) {
    if (isErrorWithCode(error, 'ENOENT')) return [];
    throw error;
  }
}

/**
 * Creates namespace `name` with its loopback up (an instance talks to itself over `lo`).
 * Rejects with a NetnsError if it exists already or cannot be made.
 */
export async function createNamespace(name: string): Promise<void> {
  checkName(name, NAMESPACE_NAME, 'namespace');
  await runIp(['netns', 'add', name]);
  try {
    await runIp(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await deleteNamespace(name);
    throw error;
  }
}

/**
 * Deletes namespace `name`, and with it its interfaces (a veth's peer goes too). Resolves false
 * when there was no such namespace. Processes still inside keep the namespace alive until they
 * exit, so stop them first.
 */
export async function deleteNamespace(name: string): Promise<boolean> {
  checkName(name, NAMESPACE_NAME, 'namespace');
  if (!(await listNamespaces()).includes(name)) return false;
  await runIp(['netns', 'delete', name]);
  return true;
}

/**
 * Creates bridge `bridge` in `namespace` and sets it up. Multicast snooping is off, so IPv6
 * neighbour solicitations are flooded to every port without a querier.
 */
export async function createBridge(namespace: string, bridge: string): Promise<void> {
  checkName(namespace, NAMESPACE_NAME, 'namespace');
  checkName(bridge, INTERFACE_NAME, 'interface');
  await runIp(['-n', namespace, 'link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0']);
  await runIp(['-n', namespace, 'link', 'set', bridge, 'up']);
}

/**
 * Connects an instance's namespace to a bridge: a veth pair made directly in the two namespaces,
 * the bridge end enslaved and up, the instance end up with `port.addresses` (IPv6 addresses
 * without duplicate address detection, so they are usable at once). Two `ip -batch` processes,
 * one per namespace, since each process costs milliseconds (docs/performance.md, propagation).
 */
export async function connectToBridge(port: BridgePort): Promise<void> {
  checkName(port.namespace, NAMESPACE_NAME, 'namespace');
  checkName(port.bridgeNamespace, NAMESPACE_NAME, 'namespace');
  checkName(port.interfaceName, INTERFACE_NAME, 'interface');
  checkName(port.portName, INTERFACE_NAME, 'interface');
  checkName(port.bridge, INTERFACE_NAME, 'interface');
  for (const address of port.addresses) checkAddress(address);
  await runIpBatch(port.namespace, [
    `link add ${port.interfaceName} type veth peer name ${port.portName} netns ${port.bridgeNamespace}`,
    ...port.addresses.map((address) => `addr add ${address} dev ${port.interfaceName}${address.includes(':') ? ' nodad' : ''}`),
    `link set ${port.interfaceName} up`,
  ]);
  await runIpBatch(port.bridgeNamespace, [`link set ${port.portName} master ${port.bridge}`, `link set ${port.portName} up`]);
}

/**
 * The addresses (with prefix, `10.213.0.11/24`) of interface `interfaceName` in `namespace`, or
 * undefined when there is no such interface. Uses `ip -j` (JSON output).
 */
export async function interfaceAddresses(namespace: string, interfaceName: string): Promise<string[] | undefined> {
  checkName(namespace, NAMESPACE_NAME, 'namespace');
  checkName(interfaceName, INTERFACE_NAME, 'interface');
  let output: string;
  try {
    output = await runIp(['-j', '-n', namespace, 'addr', 'show', 'dev', interfaceName]);
  } catch (error) {
    if (error instanceof NetnsError && /does not exist/.test(error.stderr)) return undefined;
    throw error;
  }
  const links = JSON.parse(output) as { addr_info?: { local?: string; prefixlen?: number }[] }[];
  if (links.length === 0) return undefined;
  return links.flatMap((link) => (link.addr_info ?? []).flatMap((a) => (a.local === undefined ? [] : [`${a.local}/${a.prefixlen ?? 0}`])));
}

/** Reports whether interface `interfaceName` exists in `namespace`. */
export async function linkExists(namespace: string, interfaceName: string): Promise<boolean> {
  return (await interfaceAddresses(namespace, interfaceName)) !== undefined;
}

/** Adds `cidr` (`10.213.0.11/24` or `fd00:213::11/64`) to an interface in `namespace`. */
export async function addAddress(namespace: string, interfaceName: string, cidr: string): Promise<void> {
  checkName(namespace, NAMESPACE_NAME, 'namespace');
  checkName(interfaceName, INTERFACE_NAME, 'interface');
  const ipv6 = cidr.includes(':');
  await runIp(['-n', namespace, ...(ipv6 ? ['-6'] : ['-4']), 'addr', 'add', cidr, 'dev', interfaceName, ...(ipv6 ? ['nodad'] : [])]);
}

/** An address with its prefix: digits, hex, `.`, `:` and one `/` (it goes into a batch line). */
function checkAddress(cidr: string): void {
  if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(cidr)) throw new NetnsError([], `${JSON.stringify(cidr)} is not an address with a prefix`);
}

function checkName(name: string, pattern: RegExp, what: string): void {
  if (!pattern.test(name)) throw new NetnsError([], `${JSON.stringify(name)} is not a valid ${what} name`);
}

/** Runs `commands` (one `ip` command each, without `ip`) in `namespace` with one `ip -n NS -batch -`. */
async function runIpBatch(namespace: string, commands: readonly string[]): Promise<void> {
  const args = ['-n', namespace, '-batch', '-'];
  const result = await hostCommands.run(['ip', ...args], `${commands.join('\n')}\n`, IP_TIMEOUT_MS);
  if (result.kind === 'exited' && result.code === 0) return;
  throw new NetnsError([...args, ...commands], result.kind === 'exited' ? result.output || `exit status ${result.code}` : result.message);
}

/**
 * Runs `ip args` through the agent's shells (shell-pool.ts: no fork of the agent's own process).
 * Resolves with what it printed (stdout and stderr together; `ip` prints nothing on stderr when
 * it succeeds); rejects with a NetnsError carrying that text otherwise.
 */
async function runIp(args: readonly string[]): Promise<string> {
  const result = await hostCommands.run(['ip', ...args], '', IP_TIMEOUT_MS);
  if (result.kind === 'exited' && result.code === 0) return result.output;
  throw new NetnsError(args, result.kind === 'exited' ? result.output || `exit status ${result.code}` : result.message);
}

function isErrorWithCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
