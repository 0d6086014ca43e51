import type http from 'node:http';
import type { ConsoleSession } from '../../service/console-sessions.js';
import type { ServerDependencies } from '../server.js';

/** A console call as its handler sees it: query parameters and the JSON body, already read. */
export interface ConsoleCall {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly params: URLSearchParams;
  /** The parsed JSON body of a POST, `{}` when it had none. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Whether the request came over HTTPS (a TLS proxy in front), for the cookie's Secure flag. */
  readonly secure: boolean;
}

/** A call made inside a session: who is signed in, and the cookie's token (to sign out). */
export interface SessionCall extends ConsoleCall {
  readonly session: ConsoleSession;
  readonly sessionToken: string;
}

/**
 * What a console handler answers: JSON with a status (and a cookie to set), or `streaming` when
 * it wrote the response itself (the live stream).
 */
export type ConsoleAnswer =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly setCookie?: string; readonly accountId?: string }
  | { readonly kind: 'streaming'; readonly accountId: string };

interface ConsoleRouteBase {
  readonly kind: 'console';
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The name logs and metrics use for it. */
  readonly name: string;
}

/**
 * A console endpoint (issue 11), under `/console/api/`. `access` says who may call it: anyone
 * (`public`: signing in), a session (`session`: reads), or a session whose call carries its CSRF
 * token (`csrf`: everything that changes state).
 */
export type ConsoleRoute =
  | (ConsoleRouteBase & { readonly access: 'public'; handle(call: ConsoleCall, deps: ServerDependencies): Promise<ConsoleAnswer> })
  | (ConsoleRouteBase & { readonly access: 'session' | 'csrf'; handle(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> });

/** A 200 JSON answer. */
export function ok(body: unknown, accountId?: string): ConsoleAnswer {
  return { kind: 'json', status: 200, body, ...(accountId === undefined ? {} : { accountId }) };
}
