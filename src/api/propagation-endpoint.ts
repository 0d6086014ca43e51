import type { EnforcedRevisions } from '../service/enforced-revisions.js';
import type { InstancePolicies } from '../service/instance-policies.js';
import { ownInstance } from '../service/instances.js';
import { ownGroupById } from '../service/target-group.js';
import type { SignedRequest } from './auth/signed-request.js';
import { authenticateAccount, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/**
 * `GET /propagation?instance=i-…` or `?group=sg-…`, signed by the account that owns it (issues 5
 * and 10), answers 200 JSON.
 * - For an instance: `{"instanceId", "hostName" (null when unplaced), "desiredRevision",
 *   "enforcedRevision", "enforcementFailure" (null, or why the host could not apply the newer
 *   ruleset), "inForce"}`.
 * - For a group: `{"groupId", "inForce", "instances": [the same object for every member]}`, so a
 *   caller can wait until a change is in force on the whole group.
 * A change is in force once enforcedRevision >= desiredRevision. desiredRevision is the revision of
 * the last record that altered the instance's effective policy, read from the state
 * (dataplane/desired-revision.ts), so every replica gives the same; enforcedRevision is its host's last report, kept in the store,
 * so every replica and a restarted server know it (enforced-revisions.ts), 0 when none. Throws the
 * verifier's codes, UnauthorizedOperation for a host key, InvalidInstanceID.Malformed/NotFound,
 * InvalidGroupId.Malformed and InvalidGroup.NotFound (without either parameter: the instance's
 * Malformed, as for an empty ID).
 */
export async function propagationQuery(
  request: SignedRequest,
  env: QueryEnvironment,
  policies: InstancePolicies,
  enforced: EnforcedRevisions,
): Promise<QueryOutcome> {
  const { caller, context } = authenticateAccount(request, env);
  const groupId = request.params.get('group');
  const instances =
    groupId === undefined ? [ownInstance(env.view, context, request.params.get('instance') ?? '')] : [...env.view.membersOf(ownGroupById(env.view, context, groupId).groupId)];
  const reports = await enforced.of(instances.map((i) => i.instanceId));
  const states = instances.map((instance) => {
    const desiredRevision = policies.desiredRevision(instance.instanceId);
    const report = reports.get(instance.instanceId);
    const enforcedRevision = report?.revision ?? 0;
    return {
      instanceId: instance.instanceId,
      hostName: instance.hostName ?? null,
      desiredRevision,
      enforcedRevision,
      enforcementFailure: report?.failure ?? null,
      inForce: enforcedRevision >= desiredRevision,
    };
  });
  const body = JSON.stringify(groupId === undefined ? states[0] : { groupId, inForce: states.every((s) => s.inForce), instances: states });
  return { status: 200, body, action: 'Propagation', accountId: caller.accountId, region: caller.region };
}
