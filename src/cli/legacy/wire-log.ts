import type { HttpRequest, HttpResponse } from './http-transport.js';

/**
 * The `-v` output: HTTP traffic in the shape the Java tools print through log4j and Apache
 * HttpClient's `org.apache.http.wire` logger (spec/cli.md §2.2), e.g.
 * `2026-11-22 15:04:26,488 [main] DEBUG org.apache.http.wire - >> "POST / HTTP/1.1[\r][\n]"`.
 */

/** Which way the bytes went: `>>` sent, `<<` received (HttpClient's markers). */
export type WireDirection = '>>' | '<<';

/**
 * Splits `bytes` into wire-log messages the way HttpClient's `Wire` class does: one message per
 * line, `\r` and `\n` shown as `[\r]` `[\n]`, other bytes below 32 or above 127 as `[0xNN]`
 * (lower-case hex, no padding), the rest verbatim inside double quotes (quotes not escaped).
 */
export function wireMessages(direction: WireDirection, bytes: Uint8Array): string[] {
  const messages: string[] = [];
  let line = '';
  for (const byte of bytes) {
    if (byte === 13) {
      line += '[\\r]';
    } else if (byte === 10) {
      messages.push(`${direction} "${line}[\\n]"`);
      line = '';
    } else if (byte < 32 || byte > 127) {
      line += `[0x${byte.toString(16)}]`;
    } else {
      line += String.fromCharCode(byte);
    }
  }
  if (line !== '') messages.push(`${direction} "${line}"`);
  return messages;
}

/** Returns one log4j line (`%d{ISO8601} [%t] %-5p %c - %m`) in local time. */
export function log4jWireLine(now: Date, message: string): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())},${pad(now.getMilliseconds(), 3)}`;
  return `${date} ${time} [main] DEBUG org.apache.http.wire - ${message}`;
}

/** Returns the bytes node writes for `request`: request line, headers in order, blank line, body. */
export function requestWireBytes(request: HttpRequest): Buffer {
  const path = `${request.url.pathname}${request.url.search}`;
  const head = [`${request.method} ${path} HTTP/1.1`, ...request.headers.map(([name, value]) => `${name}: ${value}`)];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), request.body]);
}

/** Returns the bytes of `response` as received: status line, headers, blank line, body. */
export function responseWireBytes(response: HttpResponse): Buffer {
  const head = [`HTTP/${response.httpVersion} ${response.statusCode} ${response.statusMessage}`];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
    head.push(`${response.rawHeaders[i] ?? ''}: ${response.rawHeaders[i + 1] ?? ''}`);
  }
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), response.body]);
}
