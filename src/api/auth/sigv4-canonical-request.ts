import type { IncomingHttpHeaders } from 'node:http';
import { percentEncodeRfc3986 } from './canonical-query.js';
import { headerValue } from './header-value.js';

/** A whitespace run of two or more, or whitespace other than a space: what collapsing changes. */
const NEEDS_COLLAPSE = /\s\s|[^\S ]/;

/** What the SigV4 canonical request is built from (spec/auth.md §4.2). */
export interface SigV4CanonicalRequestInput {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The raw path as received, without the query string. */
  readonly path: string;
  /** The canonical query string (see `sigV4CanonicalQuery`). */
  readonly canonicalQuery: string;
  /** Node's lower-cased headers. */
  readonly headers: IncomingHttpHeaders;
  /** Lower-case, sorted names of the signed headers. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the payload. */
  readonly payloadHash: string;
}

/**
 * The SigV4 canonical request: method, canonical URI, canonical query, one `name:value` line per
 * signed header, the signed-header list and the payload hash, joined by newlines (spec/auth.md §4.2).
 */
export function sigV4CanonicalRequest(input: SigV4CanonicalRequestInput): string {
  let canonicalHeaders = '';
  for (const name of input.signedHeaders) {
    // A signed header that is absent signs as empty; the signature then simply fails to match.
    const value = headerValue(input.headers, name) ?? '';
    // Trim, and collapse inner whitespace runs to one space (spec/auth.md §4.2). Most values have
    // nothing to collapse, and testing is cheaper than a replace that changes nothing.
    const trimmed = value.trim();
    canonicalHeaders += `${name}:${NEEDS_COLLAPSE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed}\n`;
  }
  return [
    input.method,
    sigV4CanonicalUri(input.path),
    input.canonicalQuery,
    canonicalHeaders,
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/**
 * The canonical URI: each segment of the path as received URI-encoded once more, `/` when empty
 * (spec/auth.md §4.2). Received paths are already percent-encoded, so `%20` becomes `%2520`,
 * which is what botocore and the JS SDK sign for every service but S3.
 */
export function sigV4CanonicalUri(path: string): string {
  if (path === '' || path === '/') {
    return '/';
  }
  return path.split('/').map(percentEncodeRfc3986).join('/');
}
