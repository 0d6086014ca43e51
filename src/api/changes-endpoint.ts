import { malformedQueryString, revisionCompacted, unauthorizedOperation } from '../domain/ec2-errors.js';
import { redactChangeRecord } from '../state/change-record.js';
import type { Store } from '../state/store.js';
import type { SignedRequest } from './auth/signed-request.js';
import { authenticateAccount, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/** Most change records one `/changes` call returns; callers continue from the last revision. */
const MAX_CHANGES_PER_CALL = 10_000;

/** The `since` revision of `/changes` and `/feed`: a non-negative integer, 0 when absent. */
export function sinceRevision(params: ReadonlyMap<string, string>): number {
  const since = Number(params.get('since') ?? '0');
  if (!Number.isSafeInteger(since) || since < 0) throw malformedQueryString();
  return since;
}

/**
 * `GET /changes?since=N`, for the bootstrap (admin) account: committed change records after
 * revision N, one JSON object a line, secrets redacted. UnauthorizedOperation for other accounts.
 */
export async function changesQuery(request: SignedRequest, env: QueryEnvironment & { readonly store: Store }): Promise<QueryOutcome> {
  const { caller, context } = authenticateAccount(request, env);
  if (!context.account.isAdmin) throw unauthorizedOperation();
  const since = sinceRevision(request.params);
  const oldest = await env.store.oldestRevision();
  if (since + 1 < oldest) throw revisionCompacted(since, oldest);
  const records = await env.store.changesSince(since, MAX_CHANGES_PER_CALL);
  const body = records.map((r) => JSON.stringify(redactChangeRecord(r))).join('\n') + (records.length > 0 ? '\n' : '');
  return { status: 200, body, action: 'GetChanges', accountId: caller.accountId, region: caller.region };
}
