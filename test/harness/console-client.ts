import assert from 'node:assert/strict';
import type { AccountCredentials, RunningStockade } from './stockade-process.js';

/** A console answer: status, parsed JSON body and headers. */
export interface ConsoleResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string } };
  readonly headers: Headers;
}

/** A signed-in console session as a browser holds it: the cookie and the CSRF token. */
export interface ConsoleSessionHandle {
  readonly cookie: string;
  readonly csrfToken: string;
  readonly accountId: string;
}

/** Calls `/console/api/<path>` like the page does (JSON, the cookie, the CSRF header when given). */
export async function consoleCall(
  server: RunningStockade,
  path: string,
  options: { method?: 'GET' | 'POST'; body?: unknown; cookie?: string; csrfToken?: string; query?: Record<string, string>; contentType?: string } = {},
): Promise<ConsoleResponse> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const query = options.query === undefined ? '' : `?${new URLSearchParams(options.query).toString()}`;
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  if (options.csrfToken !== undefined) headers['x-csrf-token'] = options.csrfToken;
  if (method === 'POST') headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${server.url}/console/api/${path}${query}`, {
    method,
    headers,
    ...(method === 'POST' ? { body: JSON.stringify(options.body ?? {}) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as ConsoleResponse['body']), headers: response.headers };
}

/** The `name=value` of a response's Set-Cookie, for the next requests' Cookie header. */
export function cookieOf(response: ConsoleResponse): string {
  const setCookie = response.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0] ?? '';
}

/** Signs in with an account's keys and reads the session's CSRF token. */
export async function consoleSignIn(server: RunningStockade, credentials: AccountCredentials = server.bootstrap): Promise<ConsoleSessionHandle> {
  const signedIn = await consoleCall(server, 'sign-in', { body: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey } });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  return sessionHandle(server, cookieOf(signedIn));
}

/** The session a cookie opens, with its CSRF token. */
export async function sessionHandle(server: RunningStockade, cookie: string): Promise<ConsoleSessionHandle> {
  const session = await consoleCall(server, 'session', { cookie });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  return { cookie, csrfToken: String(session.body.csrfToken), accountId: String(session.body.accountId) };
}
