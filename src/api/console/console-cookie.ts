import { CONSOLE_SESSION_MS } from '../../service/console-sessions.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'stockade_console';

/**
 * The Set-Cookie of a new session (issue 11): HttpOnly (page script never reads it),
 * SameSite=Strict (no other site's page sends it), Path=/console (the EC2 API never sees it),
 * expiring with the session; Secure when the request came over HTTPS (Stockade itself serves
 * plain HTTP, usually on loopback, where a Secure cookie would never be sent back).
 */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Max-Age=${CONSOLE_SESSION_MS / 1000}; Path=/console; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie that makes the browser forget the session (sign-out). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Max-Age=0; Path=/console; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The session token in a Cookie header, if any (RFC 6265 §5.4: `name=value` pairs split by `; `). */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = pair.slice(eq + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}
