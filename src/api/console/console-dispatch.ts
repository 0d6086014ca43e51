import type http from 'node:http';
import { isEc2Error } from '../../domain/ec2-error.js';
import { internalError, unavailable } from '../../domain/ec2-errors.js';
import type { ConsoleSession } from '../../service/console-sessions.js';
import { StoreUnavailableError } from '../../state/store.js';
import type { QueryOutcome } from '../handle-query.js';
import { readBody } from '../request-body.js';
import type { ServerDependencies } from '../server.js';
import { constantTimeEqual } from '../auth/constant-time-equal.js';
import { sessionTokenOf } from './console-cookie.js';
import { badConsoleRequest, ConsoleError, csrfTokenInvalid, jsonRequired, signInRequired } from './console-errors.js';
import type { ConsoleAnswer, ConsoleCall, ConsoleRoute } from './console-route.js';

/** The header a state-changing console call carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Answers one console API call (issue 11): reads and parses the JSON body, brings the view up to
 * the log's head (as every signed request does: server.ts), checks the session and, for
 * state-changing calls, its CSRF token, then runs the handler. Errors are JSON
 * `{"error":{"code","message"}}`: EC2's code, status and wording for an Ec2Error (the console
 * shows EC2's own text), the console's catalogue for its own refusals. Never throws.
 */
export async function serveConsole(
  route: ConsoleRoute,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rawQuery: string,
  deps: ServerDependencies,
  closing: boolean,
): Promise<QueryOutcome> {
  let accountId: string | undefined;
  let answer: ConsoleAnswer;
  try {
    if (closing) throw unavailable();
    const call = await consoleCall(req, res, rawQuery);
    await deps.queue.sync();
    if (route.access === 'public') answer = await route.handle(call, deps);
    else {
      const sessionToken = sessionTokenOf(req.headers.cookie);
      const session: ConsoleSession | undefined = sessionToken === undefined ? undefined : await deps.consoleSessions.sessionOf(deps.view, sessionToken);
      if (session === undefined || sessionToken === undefined) throw signInRequired();
      accountId = session.account.accountId;
      // Only the page, which read the token from /console/api/session (same origin), can send it.
      if (route.access === 'csrf' && !constantTimeEqual(session.csrfToken, headerValue(req.headers[CSRF_HEADER]))) throw csrfTokenInvalid();
      answer = await route.handle({ ...call, session, sessionToken }, deps);
    }
  } catch (error) {
    return sendError(res, error, route.name, accountId);
  }
  if (answer.kind === 'streaming') return { status: 200, body: '', action: route.name, accountId: answer.accountId };
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(answer.setCookie === undefined ? {} : { 'Set-Cookie': answer.setCookie }),
  });
  res.end(text);
  return { status: answer.status, body: '', action: route.name, ...(answer.accountId ?? accountId ? { accountId: answer.accountId ?? accountId } : {}) };
}

async function consoleCall(req: http.IncomingMessage, res: http.ServerResponse, rawQuery: string): Promise<ConsoleCall> {
  const bytes = await readBody(req);
  let body: Record<string, unknown> = {};
  if (req.method === 'POST') {
    // JSON only: a cross-site HTML form can send none without a CORS preflight, which is refused.
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw jsonRequired();
    if (bytes.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(UTF8.decode(bytes));
      } catch {
        throw badConsoleRequest('The body is not valid JSON.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badConsoleRequest('The body must be a JSON object.');
      body = parsed as Record<string, unknown>;
    }
  }
  const forwarded = headerValue(req.headers['x-forwarded-proto']);
  return { req, res, params: new URLSearchParams(rawQuery), body, secure: forwarded === 'https' };
}

function sendError(res: http.ServerResponse, error: unknown, action: string, accountId: string | undefined): QueryOutcome {
  let status: number;
  let code: string;
  let message: string;
  let cause: unknown;
  if (error instanceof ConsoleError || isEc2Error(error)) {
    status = error.httpStatus;
    code = error.code;
    message = error.message;
  } else {
    // As for the API (error-response.ts): a store out of reach is Unavailable, anything else
    // InternalError, both worded by the EC2 catalogue; the cause is logged, never sent.
    const ec2 = error instanceof StoreUnavailableError ? unavailable() : internalError();
    status = ec2.httpStatus;
    code = ec2.code;
    message = ec2.message;
    cause = error;
  }
  if (!res.headersSent) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.end(JSON.stringify({ error: { code, message } }));
  } else res.destroy();
  return { status, body: '', errorCode: code, action, ...(accountId === undefined ? {} : { accountId }), ...(cause === undefined ? {} : { cause }) };
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}
