import { ACCOUNT_PLATFORMS, type AccountPlatform } from '../domain/account.js';
import { addAccessKey, createAccount, removeAccessKey } from '../service/accounts.js';
import { withStore } from './with-store.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from './generated-credentials.js';
import { ConfigError } from './server-config.js';

/**
 * `stockade accounts create|list|add-key|remove-key`: administers accounts directly in the data
 * directory's store; a running server picks the changes up from the change log.
 */
export async function accountsCommand(
  subcommand: string | undefined,
  options: Readonly<Record<string, string | boolean | undefined>>,
  out: (line: string) => void,
): Promise<void> {
  const json = options.json === true;
  await withStore(options, async (state) => {
    switch (subcommand) {
      case 'create': {
        const platform = (typeof options.platform === 'string' ? options.platform : 'vpc-only') as AccountPlatform;
        if (!ACCOUNT_PLATFORMS.includes(platform)) throw new ConfigError(`--platform must be one of ${ACCOUNT_PLATFORMS.join(', ')}`);
        const { account, accessKey } = await state.queue.submit(
          createAccount({
            accountId: typeof options.id === 'string' ? options.id : newAccountId(),
            platform,
            isAdmin: false,
            accessKeyId: newAccessKeyId(),
            secretAccessKey: newSecretAccessKey(),
          }),
        );
        const result = { accountId: account.accountId, platform: account.platform, accessKeyId: accessKey.accessKeyId, secretAccessKey: accessKey.secretAccessKey };
        out(json ? JSON.stringify(result) : `${result.accountId}\t${result.platform}\t${result.accessKeyId}\t${result.secretAccessKey}`);
        return;
      }
      case 'list': {
        const keys = [...state.view.accessKeys.values()];
        const rows = [...state.view.accounts.values()].map((a) => ({
          accountId: a.accountId,
          platform: a.platform,
          admin: a.isAdmin,
          accessKeyIds: keys.filter((k) => k.accountId === a.accountId && k.hostName === undefined).map((k) => k.accessKeyId),
        }));
        if (json) out(JSON.stringify(rows));
        else for (const r of rows) out(`${r.accountId}\t${r.platform}${r.admin ? '\tadmin' : ''}\t${r.accessKeyIds.join(',')}`);
        return;
      }
      case 'add-key': {
        if (typeof options.id !== 'string') throw new ConfigError('add-key needs --id ACCOUNT');
        const key = await state.queue.submit(
          addAccessKey({ accountId: options.id, accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() }),
        );
        const result = { accountId: key.accountId, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
        out(json ? JSON.stringify(result) : `${result.accountId}\t${result.accessKeyId}\t${result.secretAccessKey}`);
        return;
      }
      case 'remove-key': {
        if (typeof options['access-key-id'] !== 'string') throw new ConfigError('remove-key needs --access-key-id KEY');
        await state.queue.submit(removeAccessKey(options['access-key-id']));
        if (json) out(JSON.stringify({ removed: options['access-key-id'] }));
        return;
      }
      default:
        throw new ConfigError('usage: stockade accounts create|list|add-key|remove-key [--data-dir D] [--json]');
    }
  });
}
