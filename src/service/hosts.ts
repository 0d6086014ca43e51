import type { AccessKey } from '../domain/account.js';
import { isHostName, type Host } from '../domain/host.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { AccountAdministrationError } from './accounts.js';

/**
 * Registers a host with one host access key (issue 5). The key belongs to the bootstrap (admin)
 * account but carries `hostName`, so it opens only the host endpoints. Throws
 * AccountAdministrationError for a bad or taken name, a taken key ID, or no admin account.
 */
export function registerHost(request: {
  readonly hostName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): WriteOperation<{ host: Host; accessKey: AccessKey }> {
  return (tx) => {
    if (!isHostName(request.hostName)) throw new AccountAdministrationError(`invalid host name ${JSON.stringify(request.hostName)}`);
    if (tx.view.hosts.has(request.hostName)) throw new AccountAdministrationError(`host ${request.hostName} exists`);
    if (tx.view.accessKeys.has(request.accessKeyId)) throw new AccountAdministrationError(`access key ${request.accessKeyId} exists`);
    const admin = adminAccountId(tx.view);
    if (admin === undefined) throw new AccountAdministrationError('no admin account: start the server once first');
    const at = tx.now.toISOString();
    const host: Host = { hostName: request.hostName, createdAt: at, ordinal: tx.view.nextOrdinal() };
    const accessKey: AccessKey = {
      accessKeyId: request.accessKeyId,
      secretAccessKey: request.secretAccessKey,
      accountId: admin,
      enabled: true,
      createdAt: at,
      hostName: host.hostName,
    };
    tx.emit(admin, 'global', { kind: 'HostRegistered', host });
    tx.emit(admin, 'global', { kind: 'AccessKeyCreated', accessKey });
    return { host, accessKey };
  };
}

/** Removes a host and deletes its keys; instances placed on it keep the name (they are not moved). */
export function removeHost(hostName: string): WriteOperation<void> {
  return (tx) => {
    if (!tx.view.hosts.has(hostName)) throw new AccountAdministrationError(`no host ${hostName}`);
    const admin = adminAccountId(tx.view) ?? '';
    for (const key of [...tx.view.accessKeys.values()]) {
      if (key.hostName === hostName) tx.emit(admin, 'global', { kind: 'AccessKeyDeleted', accessKeyId: key.accessKeyId });
    }
    tx.emit(admin, 'global', { kind: 'HostRemoved', hostName });
  };
}

/** The registered hosts in name order, each with its number of non-terminated instances. */
export function listHosts(view: ReadView): { readonly host: Host; readonly instanceCount: number; readonly accessKeyIds: readonly string[] }[] {
  const keys = [...view.accessKeys.values()];
  return [...view.hosts.values()]
    .sort((a, b) => compareNames(a.hostName, b.hostName))
    .map((host) => ({
      host,
      instanceCount: view.instanceCountOnHost(host.hostName),
      accessKeyIds: keys.filter((k) => k.hostName === host.hostName).map((k) => k.accessKeyId),
    }));
}

/**
 * Chooses a host for each of `count` new instances (issue 5 placement): each goes to the host with
 * the fewest non-terminated instances, counting those placed earlier in the same call, ties broken
 * by name order. Returns undefined entries when no host is registered (instances stay unplaced).
 */
export function placeInstances(view: ReadView, count: number): (string | undefined)[] {
  const load = [...view.hosts.keys()].sort(compareNames).map((hostName) => ({ hostName, count: view.instanceCountOnHost(hostName) }));
  const placed: (string | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    let best: { hostName: string; count: number } | undefined;
    for (const candidate of load) if (best === undefined || candidate.count < best.count) best = candidate;
    if (best !== undefined) best.count++;
    placed.push(best?.hostName);
  }
  return placed;
}

/** Plain code-unit order, so placement does not depend on the process's locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function adminAccountId(view: ReadView): string | undefined {
  for (const account of view.accounts.values()) if (account.isAdmin) return account.accountId;
  return undefined;
}
