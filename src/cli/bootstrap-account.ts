import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAccount } from '../service/accounts.js';
import type { OpenState } from '../state/open-state.js';
import { newAccessKeyId, newAccountId, newSecretAccessKey } from './generated-credentials.js';
import type { ServerConfig } from './server-config.js';

/**
 * On first start with an empty data directory, creates the bootstrap (admin) account: from the
 * `STOCKADE_BOOTSTRAP_*` variables when set, otherwise generated, printed once and written to
 * `<data-dir>/credentials` (mode 0600) in the AWS shared-credentials format. Returns its ID, or
 * undefined when accounts already exist.
 */
export async function bootstrapAccount(state: OpenState, config: ServerConfig, print: (line: string) => void): Promise<string | undefined> {
  if (state.view.accounts.size > 0) return undefined;
  const given = config.bootstrap;
  const generated = given.accessKeyId === undefined || given.secretAccessKey === undefined;
  const request = {
    accountId: given.accountId ?? newAccountId(),
    platform: given.platform,
    isAdmin: true,
    accessKeyId: given.accessKeyId ?? newAccessKeyId(),
    secretAccessKey: given.secretAccessKey ?? newSecretAccessKey(),
  };
  // Decided under the store's write lock: replicas starting at once on one empty database create
  // one bootstrap account between them, and only its creator prints the keys.
  const create = createAccount(request);
  const created = await state.queue.submit((tx) => (tx.view.accounts.size > 0 ? false : (create(tx), true)));
  if (!created) return undefined;
  if (generated) {
    mkdirSync(config.dataDir, { recursive: true });
    const file = path.join(config.dataDir, 'credentials');
    writeFileSync(
      file,
      `[default]\naws_access_key_id = ${request.accessKeyId}\naws_secret_access_key = ${request.secretAccessKey}\n`,
      { mode: 0o600 },
    );
    print(`Created bootstrap account ${request.accountId} (${request.platform}).`);
    print(`  aws_access_key_id     = ${request.accessKeyId}`);
    print(`  aws_secret_access_key = ${request.secretAccessKey}`);
    print(`Saved to ${file}; it is shown only this once.`);
  }
  return request.accountId;
}
