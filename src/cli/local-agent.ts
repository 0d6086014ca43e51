import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HostAgent, type AgentLog } from '../agent/host-agent.js';
import { registerHost, removeHost } from '../service/hosts.js';
import type { OpenState } from '../state/open-state.js';
import { newAccessKeyId, newSecretAccessKey } from './generated-credentials.js';

/** Where single-host mode keeps its host's key, beside the database (mode 0600). */
export const LOCAL_AGENT_CREDENTIALS = 'agent-host.json';

/**
 * `stockade serve --agent` (issue 5's single-host mode): registers this machine as host
 * `hostName` (once; its key is kept in the data directory) and runs the agent in the server's
 * process, following the server's own feed over loopback — the same code path as a remote agent.
 */
export async function startLocalAgent(
  state: OpenState,
  options: { dataDir: string; hostName: string; serverUrl: URL; region: string; resyncIntervalMs: number; log: AgentLog },
): Promise<HostAgent> {
  const file = path.join(options.dataDir, LOCAL_AGENT_CREDENTIALS);
  let credentials = readCredentials(file);
  const valid = credentials !== undefined && credentials.hostName === options.hostName && state.view.accessKeys.get(credentials.accessKeyId)?.hostName === options.hostName;
  if (!valid) {
    // The key is only ever shown once: without our copy, the host is registered again.
    if (state.view.hosts.has(options.hostName)) await state.queue.submit(removeHost(options.hostName));
    const { accessKey } = await state.queue.submit(
      registerHost({ hostName: options.hostName, accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() }),
    );
    credentials = { hostName: options.hostName, accessKeyId: accessKey.accessKeyId, secretAccessKey: accessKey.secretAccessKey };
    writeFileSync(file, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  }
  const agent = new HostAgent({
    serverUrls: [options.serverUrl],
    hostName: options.hostName,
    credentials: credentials as StoredCredentials,
    region: options.region,
    resyncIntervalMs: options.resyncIntervalMs,
    log: options.log,
  });
  agent.start();
  return agent;
}

interface StoredCredentials {
  readonly hostName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

function readCredentials(file: string): StoredCredentials | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredCredentials>;
    if (typeof parsed.hostName === 'string' && typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string') {
      return { hostName: parsed.hostName, accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
    }
  } catch {
    // Unreadable: registered again below.
  }
  return undefined;
}
