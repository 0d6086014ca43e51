import { listHosts, registerHost, removeHost } from '../service/hosts.js';
import { withStore } from './with-store.js';
import { newAccessKeyId, newSecretAccessKey } from './generated-credentials.js';
import { ConfigError } from './server-config.js';

/**
 * `stockade hosts add|list|remove` (issue 5): administers the hosts that run instances, directly
 * in the data directory's store; a running server picks the changes up from the change log
 * (`CommitQueue.catchUp`). `add` prints the host's access key, shown only once.
 */
export async function hostsCommand(
  subcommand: string | undefined,
  options: Readonly<Record<string, string | boolean | undefined>>,
  out: (line: string) => void,
): Promise<void> {
  const json = options.json === true;
  await withStore(options, async (state) => {
    switch (subcommand) {
      case 'add': {
        if (typeof options.name !== 'string') throw new ConfigError('hosts add needs --name NAME');
        const { host, accessKey } = await state.queue.submit(
          registerHost({ hostName: options.name, accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() }),
        );
        const result = { hostName: host.hostName, accessKeyId: accessKey.accessKeyId, secretAccessKey: accessKey.secretAccessKey };
        out(json ? JSON.stringify(result) : `${result.hostName}\t${result.accessKeyId}\t${result.secretAccessKey}`);
        return;
      }
      case 'list': {
        const rows = listHosts(state.view).map((h) => ({
          hostName: h.host.hostName,
          createdAt: h.host.createdAt,
          instanceCount: h.instanceCount,
          accessKeyIds: h.accessKeyIds,
        }));
        if (json) out(JSON.stringify(rows));
        else for (const r of rows) out(`${r.hostName}\t${r.instanceCount}\t${r.accessKeyIds.join(',')}`);
        return;
      }
      case 'remove': {
        if (typeof options.name !== 'string') throw new ConfigError('hosts remove needs --name NAME');
        await state.queue.submit(removeHost(options.name));
        if (json) out(JSON.stringify({ removed: options.name }));
        return;
      }
      default:
        throw new ConfigError('usage: stockade hosts add --name NAME|list|remove --name NAME [--data-dir D] [--json]');
    }
  });
}
