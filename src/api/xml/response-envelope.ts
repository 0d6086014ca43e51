import type { ApiVersion } from '../api-version.js';
import { escapeXml } from './xml-text.js';

/**
 * A success body (spec/api.md §1.3): `<{Action}Response xmlns=…><requestId>…</requestId>…`. Inner
 * chunks that are already bytes stay bytes, so a cached answer is never copied into a string.
 */
export function successXml(action: string, version: ApiVersion, requestId: string, inner: string | readonly Buffer[]): string | Buffer[] {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${version.namespace}"><requestId>${requestId}</requestId>`;
  const tail = `</${action}Response>`;
  if (typeof inner === 'string') return head + inner + tail;
  return [Buffer.from(head), ...inner, Buffer.from(tail)];
}

/**
 * An error body (spec/errors.md §1): root `Response`, no namespace, one `Error`, and `RequestID`
 * with a capital ID.
 */
export function errorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
