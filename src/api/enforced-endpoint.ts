import { invalidParameterValueFor } from '../domain/ec2-errors.js';
import type { EnforcedRevisions } from '../service/enforced-revisions.js';
import type { SignedRequest } from './auth/signed-request.js';
import { authenticateHost, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/**
 * `POST /feed/enforced`, signed with a host's key, JSON body `{"instances": {"i-…": REVISION, …},
 * "failures": {"i-…": "why", …}}` (issue 5; `failures` optional): records the revision the host
 * has enforced for each of its instances, and why its last attempt failed for those that failed
 * (the revision is then that of the ruleset it kept). Answers 200
 * `{"recorded": [ids], "ignored": [ids not placed on this host]}`. Throws the verifier's codes,
 * UnauthorizedOperation for an account's key, and InvalidParameterValue for a body that is not
 * that shape or names a revision beyond the current one.
 */
export async function recordEnforced(request: SignedRequest, env: QueryEnvironment, enforced: EnforcedRevisions): Promise<QueryOutcome> {
  const { caller, hostName } = authenticateHost(request, env);
  const { reports, failures } = parseReports(request.body, env.view.revision);
  const result = await enforced.record(env.view, hostName, reports, failures);
  return { status: 200, body: JSON.stringify(result), action: 'ReportEnforced', accountId: caller.accountId, region: caller.region };
}

const BODY_SHAPE = 'Expected {"instances": {"i-…": revision}, "failures": {"i-…": "message"}}.';
const MAX_FAILURE_LENGTH = 1000;

function parseReports(body: Buffer, currentRevision: number): { reports: ReadonlyMap<string, number>; failures: ReadonlyMap<string, string> } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidParameterValueFor('body', 'not JSON', BODY_SHAPE);
  }
  const instances = typeof parsed === 'object' && parsed !== null ? (parsed as { instances?: unknown }).instances : undefined;
  if (typeof instances !== 'object' || instances === null || Array.isArray(instances))
    throw invalidParameterValueFor('instances', String(instances), BODY_SHAPE);
  const reports = new Map<string, number>();
  for (const [instanceId, revision] of Object.entries(instances)) {
    if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0 || revision > currentRevision)
      throw invalidParameterValueFor(instanceId, String(revision), `Expected a revision from 0 to ${currentRevision}.`);
    reports.set(instanceId, revision);
  }
  const failuresField = (parsed as { failures?: unknown }).failures ?? {};
  if (typeof failuresField !== 'object' || failuresField === null || Array.isArray(failuresField))
    throw invalidParameterValueFor('failures', String(failuresField), BODY_SHAPE);
  const failures = new Map<string, string>();
  for (const [instanceId, message] of Object.entries(failuresField)) {
    if (typeof message !== 'string' || !reports.has(instanceId))
      throw invalidParameterValueFor(instanceId, String(message), 'A failure needs a message and the revision kept in "instances".');
    failures.set(instanceId, message.slice(0, MAX_FAILURE_LENGTH));
  }
  return { reports, failures };
}
