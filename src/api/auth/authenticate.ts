import { authFailure } from '../../domain/ec2-errors.js';
import { detectAuthScheme } from './auth-scheme.js';
import type { AuthScheme } from './auth-scheme.js';
import { queryPairsFromRawQuery } from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';
import { checkRequestTime } from './request-time-window.js';
import { checkSessionToken } from './session-token.js';
import type { AccessKeyLookup, AuthOptions, Caller, SignedRequest } from './signed-request.js';
import { verifySigV2Signature } from './sigv2.js';
import { sigV2ClaimFromParams } from './sigv2-claim.js';
import type { SigV2Claim } from './sigv2-claim.js';
import type { SigV4Claim } from './sigv4-claim.js';
import { sigV4ClaimFromHeader } from './sigv4-header-claim.js';
import { sigV4ClaimFromQuery } from './sigv4-query-claim.js';
import { verifySigV4Signature } from './sigv4-verify.js';

/**
 * Verifies a request's signature and returns who signed it. Checks in the order of spec/auth.md §7:
 * scheme (§2), required auth fields (`IncompleteSignature`, or `InvalidParameterValue` for a SigV2
 * method or date), key lookup (`AuthFailure` for an unknown or disabled key, a region outside
 * `options.regions`, or a missing or wrong session token), time window (`AuthFailure` for SigV4
 * skew, `RequestExpired` for SigV2 and presigned URLs), then the signature (`SignatureDoesNotMatch`).
 * Authorization of the action is not done here.
 */
export function authenticate(req: SignedRequest, lookup: AccessKeyLookup, options: AuthOptions): Caller {
  const queryPairs = queryPairsFromRawQuery(req.rawQuery);
  const scheme = detectAuthScheme(req, queryPairs);
  const claim = claimOf(scheme, req, queryPairs);

  const key = lookup(claim.accessKeyId);
  if (key === undefined || !key.enabled) {
    throw authFailure();
  }
  // SigV2 carries no region; SigV4 scopes must name a configured one (spec/auth.md §4.4, UNCONFIRMED code).
  const region = claim.kind === 'sigv2' ? options.defaultRegion : claim.scope.region;
  if (claim.kind !== 'sigv2' && !options.regions.has(region)) {
    throw authFailure();
  }
  checkSessionToken(key, claim.sessionToken);

  checkRequestTime(claim, options.now);

  if (claim.kind === 'sigv2') {
    verifySigV2Signature(req, claim.signatureMethod, claim.signature, key.secretAccessKey);
  } else {
    verifySigV4Signature(req, claim, key.secretAccessKey);
  }

  return {
    accessKeyId: key.accessKeyId,
    accountId: key.accountId,
    region,
    service: claim.kind === 'sigv2' ? 'ec2' : claim.scope.service,
    scheme: scheme.kind,
  };
}

/** Reads the auth fields of the chosen scheme; throws when a required one is missing or malformed. */
function claimOf(
  scheme: AuthScheme,
  req: SignedRequest,
  queryPairs: readonly QueryPair[],
): SigV4Claim | SigV2Claim {
  switch (scheme.kind) {
    case 'sigv4-header':
      return sigV4ClaimFromHeader(req, scheme.authorization, queryPairs);
    case 'sigv4-query':
      return sigV4ClaimFromQuery(req, queryPairs);
    case 'sigv2':
      return sigV2ClaimFromParams(req.params);
  }
}
