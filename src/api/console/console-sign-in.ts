import { accountOfKey } from '../../service/console-sessions.js';
import type { ServerDependencies } from '../server.js';
import { clearedSessionCookie, sessionCookie } from './console-cookie.js';
import { badConsoleRequest, consoleLinkInvalid } from './console-errors.js';
import { ok, type ConsoleAnswer, type ConsoleCall, type SessionCall } from './console-route.js';

/**
 * `POST /console/api/sign-in` with `{"accessKeyId","secretAccessKey"}` (checked as the API checks
 * a key: AuthFailure otherwise) or `{"link"}` (a one-time token from `stockade console-link`,
 * consumed whatever the outcome): starts a session and sets its cookie. The answer names the
 * account only; the secret is never echoed, and the page forgets it.
 */
export async function signIn(call: ConsoleCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const { accessKeyId, secretAccessKey, link } = call.body;
  let account;
  if (typeof link === 'string') {
    account = await deps.consoleSessions.redeemLink(deps.view, link);
    if (account === undefined) throw consoleLinkInvalid();
  } else if (typeof accessKeyId === 'string' && typeof secretAccessKey === 'string') {
    account = accountOfKey(deps.view, accessKeyId, secretAccessKey);
  } else throw badConsoleRequest('Sign in with "accessKeyId" and "secretAccessKey", or with "link".');
  const token = await deps.consoleSessions.signIn(account);
  return { kind: 'json', status: 200, body: { accountId: account.accountId }, setCookie: sessionCookie(token, call.secure), accountId: account.accountId };
}

/**
 * `GET /console/api/session`: who is signed in, the CSRF token for state-changing calls (readable
 * only by same-origin script: the answer carries no CORS header), when the session ends, and the
 * regions the page may show.
 */
export async function sessionInfo(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const { session } = call;
  return ok(
    {
      accountId: session.account.accountId,
      platform: session.account.platform,
      csrfToken: session.csrfToken,
      expiresAt: new Date(session.expiresAt).toISOString(),
      defaultRegion: deps.defaultRegion,
      regions: [...deps.regions].sort(),
    },
    session.account.accountId,
  );
}

/** `POST /console/api/sign-out`: deletes the session in the store (every replica refuses it) and the cookie. */
export async function signOut(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  await deps.consoleSessions.signOut(call.sessionToken);
  return { kind: 'json', status: 200, body: { signedOut: true }, setCookie: clearedSessionCookie(call.secure), accountId: call.session.account.accountId };
}
