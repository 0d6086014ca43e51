import { createHash } from 'node:crypto';
import { invalidPaginationToken, maxResultsOutOfRange } from '../domain/ec2-errors.js';

/** A page request: `MaxResults` and `NextToken` as given. */
export interface PageRequest {
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** One page and the token for the next, if more remain. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/**
 * Cuts one page out of `items`. The token is opaque to callers: the position plus a digest of the
 * query it belongs to, so a token from another query is refused (spec/api.md §5.3 step 5). Throws
 * InvalidParameterValue for MaxResults outside [min, max] and InvalidPaginationToken.
 */
export function paginate<T>(
  items: readonly T[],
  page: PageRequest,
  query: unknown,
  limits: { readonly min: number; readonly max: number } = { min: 5, max: 1000 },
): Page<T> {
  if (page.maxResults !== undefined && (page.maxResults < limits.min || page.maxResults > limits.max))
    throw maxResultsOutOfRange(page.maxResults, limits.min, limits.max);
  const digest = createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 16);
  let start = 0;
  if (page.nextToken !== undefined) {
    const match = /^([0-9]+)\.([0-9a-f]{16})$/.exec(Buffer.from(page.nextToken, 'base64url').toString('latin1'));
    if (match === null || match[2] !== digest) throw invalidPaginationToken();
    start = Number(match[1]);
  }
  if (page.maxResults === undefined) return { items: items.slice(start) };
  const end = start + page.maxResults;
  const pageItems = items.slice(start, end);
  if (end >= items.length) return { items: pageItems };
  return { items: pageItems, nextToken: Buffer.from(`${end}.${digest}`, 'latin1').toString('base64url') };
}
