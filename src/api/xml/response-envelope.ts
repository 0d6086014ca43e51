import type { ApiVersion } from '../api-version.js';
import { escapeXml } from './xml-text.js';

/** A success body (spec/api.md §1.3): `<{Action}Response xmlns=…><requestId>…</requestId>…`. */
export function successXml(action: string, version: ApiVersion, requestId: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${version.namespace}"><requestId>${requestId}</requestId>${inner}</${action}Response>`;
}

/**
 * An error body (spec/errors.md §1): root `Response`, no namespace, one `Error`, and `RequestID`
 * with a capital ID.
 */
export function errorXml(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
