import { parseFlow } from '../dataplane/flow.js';
import { invalidFlow } from '../domain/ec2-errors.js';
import type { InstancePolicies } from '../service/instance-policies.js';
import { ownInstance } from '../service/instances.js';
import type { SignedRequest } from './auth/signed-request.js';
import { authenticateAccount, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/**
 * `GET /explain?instance=i-…&direction=ingress|egress&protocol=…&port=…&icmpType=…&icmpCode=…&peer=…`
 * (issue 4), signed by the instance's account: would a new flow be admitted to (or from) it, and by
 * which rules — JSON `{ instanceId, flow, admitted, matches: [{ groupId, ruleId }], reason }`.
 * Throws InvalidInstanceID.* and InvalidParameterValue for a flow `parseFlow` refuses.
 */
export function explainQuery(request: SignedRequest, env: QueryEnvironment, policies: InstancePolicies): QueryOutcome {
  const { caller, context } = authenticateAccount(request, env);
  const p = request.params;
  const instance = ownInstance(env.view, context, p.get('instance') ?? '');
  const parsed = parseFlow({
    direction: p.get('direction') ?? '',
    protocol: p.get('protocol') ?? '',
    ...optional('port', p.get('port')),
    ...optional('icmpType', p.get('icmpType')),
    ...optional('icmpCode', p.get('icmpCode')),
    peer: p.get('peer') ?? '',
  });
  if (parsed.kind === 'invalid') throw invalidFlow(parsed.message);
  const verdict = policies.evaluate(instance, parsed.flow);
  const body = JSON.stringify({ instanceId: instance.instanceId, flow: parsed.flow, ...verdict });
  return { status: 200, body, action: 'Explain', accountId: caller.accountId, region: caller.region };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
