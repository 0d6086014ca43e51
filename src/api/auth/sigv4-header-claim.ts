import {
  amzDateMalformed,
  authorizationHeaderIncomplete,
  dateHeaderNotSigned,
  httpDateMalformed,
} from '../../domain/ec2-errors.js';
import type { AuthorizationHeaderPart } from '../../domain/ec2-errors.js';
import { sigV4CanonicalQuery } from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';
import { parseCredential } from './credential-scope.js';
import { headerValue } from './header-value.js';
import { formatAmzDate, parseAmzDate, parseHttpDate } from './request-date.js';
import type { PresentedSessionToken } from './session-token.js';
import { parseSignedHeaders } from './signed-headers.js';
import type { SignedRequest } from './signed-request.js';
import { parseSigV4AuthorizationHeader } from './sigv4-authorization-header.js';
import type { SigV4HeaderClaim } from './sigv4-claim.js';

/**
 * Reads what a SigV4 `Authorization`-header request claims (spec/auth.md §4.1, §4.4): credential
 * scope, signed headers, request date, signature and session token. Throws `IncompleteSignature`
 * when a component is missing or malformed, `host` is unsigned, or the date header is missing,
 * malformed or unsigned. Checks nothing against keys or the clock.
 */
export function sigV4ClaimFromHeader(
  req: SignedRequest,
  authorization: string,
  queryPairs: readonly QueryPair[],
): SigV4HeaderClaim {
  const { credential, signedHeaders, signature } = parseSigV4AuthorizationHeader(authorization);
  const amzDateHeader = headerValue(req.headers, 'x-amz-date');
  const dateHeader = headerValue(req.headers, 'date');
  if (
    credential === undefined ||
    signature === undefined ||
    signedHeaders === undefined ||
    (amzDateHeader === undefined && dateHeader === undefined)
  ) {
    // AWS lists every missing part at once, in this order (spec/errors.md §3.1).
    const dateValue = amzDateHeader ?? dateHeader;
    const parts: readonly (readonly [AuthorizationHeaderPart, string | undefined])[] = [
      ['Credential', credential],
      ['Signature', signature],
      ['SignedHeaders', signedHeaders],
      ['Date', dateValue],
    ];
    const missing = parts.filter(([, value]) => value === undefined).map(([part]) => part);
    throw authorizationHeaderIncomplete(missing, authorization);
  }
  const scope = parseCredential(credential);
  const signedHeaderNames = parseSignedHeaders(signedHeaders);
  const { amzDate, requestTime } = requestDateOf(amzDateHeader, dateHeader, signedHeaderNames);
  return {
    kind: 'sigv4-header',
    accessKeyId: scope.accessKeyId,
    scope,
    amzDate,
    requestTime,
    signedHeaders: signedHeaderNames,
    signature,
    canonicalQuery: sigV4CanonicalQuery(queryPairs),
    sessionToken: sessionTokenOf(req, queryPairs, signedHeaderNames),
  };
}

/**
 * The request date: `X-Amz-Date`, else the `Date` header (spec/auth.md §4.4). Whichever is used
 * must be signed (spec/auth.md §4.2, UNCONFIRMED strictness).
 */
function requestDateOf(
  amzDateHeader: string | undefined,
  dateHeader: string | undefined,
  signedHeaders: readonly string[],
): { amzDate: string; requestTime: Date } {
  if (amzDateHeader !== undefined) {
    const requestTime = parseAmzDate(amzDateHeader);
    if (requestTime === undefined) {
      throw amzDateMalformed(amzDateHeader);
    }
    if (!signedHeaders.includes('x-amz-date')) {
      throw dateHeaderNotSigned('X-Amz-Date');
    }
    return { amzDate: amzDateHeader, requestTime };
  }
  const requestTime = dateHeader === undefined ? undefined : parseHttpDate(dateHeader);
  if (requestTime === undefined) {
    throw httpDateMalformed(dateHeader ?? '');
  }
  if (!signedHeaders.includes('date')) {
    throw dateHeaderNotSigned('Date');
  }
  return { amzDate: formatAmzDate(requestTime), requestTime };
}

/** The `X-Amz-Security-Token` header (signed only if listed), else the query parameter (always signed). */
function sessionTokenOf(
  req: SignedRequest,
  queryPairs: readonly QueryPair[],
  signedHeaders: readonly string[],
): PresentedSessionToken | undefined {
  const fromHeader = headerValue(req.headers, 'x-amz-security-token');
  if (fromHeader !== undefined) {
    return { value: fromHeader, signed: signedHeaders.includes('x-amz-security-token') };
  }
  const fromQuery = queryPairs.find(([name]) => name === 'X-Amz-Security-Token');
  return fromQuery === undefined ? undefined : { value: fromQuery[1], signed: true };
}
