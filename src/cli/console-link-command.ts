import { CONSOLE_LINK_MS, ConsoleSessions } from '../service/console-sessions.js';
import { ConfigError } from './server-config.js';
import { withStore } from './with-store.js';

/**
 * `stockade console-link --account ID [--url URL]` (issue 11): prints a one-time link that signs
 * a browser into the web console as that account, valid for CONSOLE_LINK_MS. The token is stored
 * hashed in the store's console_tokens table (not the change log: it must never reach a feed),
 * so any server on the same store, a replica or one started later, accepts it exactly once. It
 * travels in the URL's fragment, which browsers never send to a server or put in a Referer.
 */
export async function consoleLinkCommand(options: Readonly<Record<string, string | boolean | undefined>>, out: (line: string) => void): Promise<void> {
  const accountId = options.account;
  if (typeof accountId !== 'string') throw new ConfigError('console-link needs --account ID');
  const base = typeof options.url === 'string' ? options.url : `http://127.0.0.1:${process.env.STOCKADE_PORT ?? '8773'}`;
  await withStore(options, async (state) => {
    if (!state.view.accounts.has(accountId)) throw new ConfigError(`no account ${accountId}`);
    const token = await new ConsoleSessions(state.store, () => new Date()).mintLink(accountId);
    const link = `${base.replace(/\/+$/, '')}/console/#link=${token}`;
    out(options.json === true ? JSON.stringify({ accountId, link, expiresInSeconds: CONSOLE_LINK_MS / 1000 }) : link);
  });
}
