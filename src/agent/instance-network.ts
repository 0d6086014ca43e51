import { createHash } from 'node:crypto';
import {
  addAddress,
  connectToBridge,
  createBridge,
  createNamespace,
  deleteNamespace,
  interfaceAddresses,
  linkExists,
  listNamespaces,
} from './netns.js';

/**
 * The network side of a host (issue 5): every instance is a network namespace named after the
 * instance ID, with one interface, `eth0`, holding its private address; the other end of that
 * veth pair is a port of the bridge of the instance's network (one per VPC, one per region for
 * EC2-Classic), and every bridge lives in one namespace the agent owns, `stockade-<host>`. So
 * instances on one host really talk to each other, and nothing touches the root namespace.
 *
 * Bridge and port names are derived from the network and instance IDs (hashes, since interface
 * names hold 15 characters), so a restarted agent finds what its predecessor built.
 */

/** The instance's interface name inside its namespace. */
export const INSTANCE_INTERFACE = 'eth0';

/** The namespace holding the bridges of host `hostName`. */
export function hostNamespace(hostName: string): string {
  return `stockade-${hostName}`;
}

/** The bridge of network `network` (a VPC ID or `classic/<region>`): `sb` + 12 hex digits. */
export function bridgeName(network: string): string {
  return `sb${shortHash(network, 12)}`;
}

/** The bridge port (veth end in the host namespace) of an instance: `sp` + 13 hex digits. */
export function portName(instanceId: string): string {
  return `sp${shortHash(instanceId, 13)}`;
}

/** What `ensureAttached` needs to know of an instance. */
export interface InstanceAttachment {
  readonly instanceId: string;
  readonly network: string;
  /** Its addresses with their prefixes, IPv4 first. */
  readonly addressCidrs: readonly string[];
}

/**
 * The namespaces and bridges of one host. Creation is idempotent and memoised; every method
 * rejects with a NetnsError when `ip` fails.
 */
export class HostNetwork {
  readonly namespace: string;
  readonly #bridges = new Map<string, Promise<void>>();
  #hostNamespace: Promise<void> | undefined;

  constructor(hostName: string) {
    this.namespace = hostNamespace(hostName);
  }

  /** The names of the existing namespaces (one read of /run/netns). */
  existingNamespaces(): Promise<ReadonlySet<string>> {
    return listNamespaces().then((names) => new Set(names));
  }

  /** Creates the instance's namespace (loopback up, no other interface); the caller knows it is absent. */
  createInstanceNamespace(instanceId: string): Promise<void> {
    return createNamespace(instanceId);
  }

  /**
   * Makes sure the instance's `eth0` exists, holds its address and is a port of its network's
   * bridge (`fresh`: the namespace was just made, so it has none). Called only once the
   * instance's ruleset is loaded, so an instance is never on the wire unfiltered (fail-closed).
   */
  async ensureAttached(instance: InstanceAttachment, fresh = false): Promise<void> {
    const bridge = bridgeName(instance.network);
    await this.#ensureBridge(bridge);
    // A namespace this agent has just made has no `eth0` yet: no need to ask.
    const addresses = fresh ? undefined : await interfaceAddresses(instance.instanceId, INSTANCE_INTERFACE);
    if (addresses === undefined) {
      await connectToBridge({
        namespace: instance.instanceId,
        interfaceName: INSTANCE_INTERFACE,
        bridgeNamespace: this.namespace,
        bridge,
        portName: portName(instance.instanceId),
        addresses: instance.addressCidrs,
      });
    } else {
      for (const cidr of instance.addressCidrs) if (!addresses.includes(cidr)) await addAddress(instance.instanceId, INSTANCE_INTERFACE, cidr);
    }
  }

  /** Deletes the instance's namespace (its veth pair goes with it). False when there was none. */
  removeInstance(instanceId: string): Promise<boolean> {
    return deleteNamespace(instanceId);
  }

  /** Forgets which bridges exist (before a full pass: they may have been deleted by hand). */
  forget(): void {
    this.#bridges.clear();
    this.#hostNamespace = undefined;
  }

  #ensureBridge(bridge: string): Promise<void> {
    let ready = this.#bridges.get(bridge);
    if (ready === undefined) {
      ready = this.#ensureHostNamespace().then(async () => {
        if (!(await linkExists(this.namespace, bridge))) await createBridge(this.namespace, bridge);
      });
      // A failure is not memoised: the next pass tries again.
      ready.catch(() => this.#bridges.delete(bridge));
      this.#bridges.set(bridge, ready);
    }
    return ready;
  }

  #ensureHostNamespace(): Promise<void> {
    if (this.#hostNamespace === undefined) {
      const ready = listNamespaces().then(async (names) => {
        if (!names.includes(this.namespace)) await createNamespace(this.namespace);
      });
      ready.catch(() => (this.#hostNamespace = undefined));
      this.#hostNamespace = ready;
    }
    return this.#hostNamespace;
  }
}

function shortHash(text: string, hexDigits: number): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, hexDigits);
}
