import type { IncomingHttpHeaders } from 'node:http';

/**
 * The value of header `name` (lower-case) as one string, or `undefined` when absent. Node has
 * already joined repeated headers; the few it keeps as arrays are joined with `,` as SigV4 does.
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'string' ? value : value.join(',');
}
