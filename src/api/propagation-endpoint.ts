import type { EnforcedRevisions } from '../service/enforced-revisions.js';
import type { InstancePolicies } from '../service/instance-policies.js';
import { ownInstance } from '../service/instances.js';
import type { SignedRequest } from './auth/signed-request.js';
import { authenticateAccount, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/**
 * `GET /propagation?instance=i-…`, signed by the instance's account (issue 5): answers 200 JSON
 * `{"instanceId", "hostName" (null when unplaced), "desiredRevision", "enforcedRevision",
 * "enforcementFailure" (null, or why the host could not apply the newer ruleset)}`; the change is
 * in force once enforcedRevision >= desiredRevision. desiredRevision is the revision of
 * the last record that altered the instance's effective policy (instance-policies.ts);
 * enforcedRevision is its host's last report, 0 when none (enforced-revisions.ts). Throws the
 * verifier's codes, UnauthorizedOperation for a host key, InvalidInstanceID.Malformed/NotFound.
 */
export function propagationQuery(
  request: SignedRequest,
  env: QueryEnvironment,
  policies: InstancePolicies,
  enforced: EnforcedRevisions,
): QueryOutcome {
  const { caller, context } = authenticateAccount(request, env);
  const instance = ownInstance(env.view, context, request.params.get('instance') ?? '');
  const body = JSON.stringify({
    instanceId: instance.instanceId,
    hostName: instance.hostName ?? null,
    desiredRevision: policies.desiredRevision(instance.instanceId),
    enforcedRevision: enforced.enforcedRevision(instance.instanceId),
    enforcementFailure: enforced.enforcementFailure(instance.instanceId) ?? null,
  });
  return { status: 200, body, action: 'Propagation', accountId: caller.accountId, region: caller.region };
}
