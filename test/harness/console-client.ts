import assert from 'node:assert/strict';
import http from 'node:http';
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

/** An open `/console/api/events` stream: the events seen so far, and a wait for the next of a name. */
export interface ConsoleEvents {
  readonly seen: readonly { readonly name: string; readonly data: string }[];
  /** Resolves with the data of the next event of that name; rejects after `timeoutMs` (a test must fail, not hang). */
  next(name: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

/** Opens the session's live stream; resolves once its `ready` event arrived. */
export async function openConsoleEvents(server: RunningStockade, session: ConsoleSessionHandle): Promise<ConsoleEvents> {
  const seen: { name: string; data: string }[] = [];
  const waiters: { name: string; resolve: (data: string) => void }[] = [];
  const request = http.get(`${server.url}/console/api/events`, { headers: { cookie: session.cookie } });
  await new Promise<void>((resolve, reject) => {
    request.on('response', (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          seen.push({ name, data });
          for (const w of waiters.splice(0)) {
            if (w.name === name) w.resolve(data);
            else waiters.push(w);
          }
          if (name === 'ready') resolve();
        }
      });
    });
    request.on('error', reject);
  });
  return {
    seen,
    next: (name: string, timeoutMs = 10_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeoutMs} ms; seen ${JSON.stringify(seen)}`)), timeoutMs);
        waiters.push({ name, resolve: (data) => (clearTimeout(timer), resolve(data)) });
      }),
    close: () => request.destroy(),
  };
}
