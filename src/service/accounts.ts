import type { AccessKey, Account, AccountPlatform } from '../domain/account.js';
import type { WriteOperation } from '../state/commit-queue.js';

/** Account administration (`stockade accounts …`): not an EC2 action, so errors are plain Errors. */
export class AccountAdministrationError extends Error {}

/** Creates an account with one access key; the ID must be new. Returns both. */
export function createAccount(request: {
  readonly accountId: string;
  readonly platform: AccountPlatform;
  readonly isAdmin: boolean;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): WriteOperation<{ account: Account; accessKey: AccessKey }> {
  return (tx) => {
    if (!/^[0-9]{12}$/.test(request.accountId)) throw new AccountAdministrationError('an account ID is 12 digits');
    if (tx.view.accounts.has(request.accountId)) throw new AccountAdministrationError(`account ${request.accountId} exists`);
    if (tx.view.accessKeys.has(request.accessKeyId)) throw new AccountAdministrationError(`access key ${request.accessKeyId} exists`);
    const at = tx.now.toISOString();
    const account: Account = { accountId: request.accountId, platform: request.platform, isAdmin: request.isAdmin, createdAt: at };
    const accessKey: AccessKey = {
      accessKeyId: request.accessKeyId,
      secretAccessKey: request.secretAccessKey,
      accountId: request.accountId,
      enabled: true,
      createdAt: at,
    };
    tx.emit(account.accountId, 'global', { kind: 'AccountCreated', account });
    tx.emit(account.accountId, 'global', { kind: 'AccessKeyCreated', accessKey });
    return { account, accessKey };
  };
}

/** Adds an access key to an existing account. */
export function addAccessKey(request: {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): WriteOperation<AccessKey> {
  return (tx) => {
    if (!tx.view.accounts.has(request.accountId)) throw new AccountAdministrationError(`no account ${request.accountId}`);
    if (tx.view.accessKeys.has(request.accessKeyId)) throw new AccountAdministrationError(`access key ${request.accessKeyId} exists`);
    const accessKey: AccessKey = { ...request, enabled: true, createdAt: tx.now.toISOString() };
    tx.emit(request.accountId, 'global', { kind: 'AccessKeyCreated', accessKey });
    return accessKey;
  };
}

/** Removes an access key. */
export function removeAccessKey(accessKeyId: string): WriteOperation<void> {
  return (tx) => {
    const key = tx.view.accessKeys.get(accessKeyId);
    if (key === undefined) throw new AccountAdministrationError(`no access key ${accessKeyId}`);
    tx.emit(key.accountId, 'global', { kind: 'AccessKeyDeleted', accessKeyId });
  };
}
