import { parseFlow, type Flow } from '../../dataplane/flow.js';
import type { Verdict } from '../../dataplane/verdict.js';
import { invalidFlow } from '../../domain/ec2-errors.js';
import type { Instance } from '../../domain/instance.js';
import { ownInstance } from '../../service/instances.js';
import { ownGroupById } from '../../service/target-group.js';
import type { ServerDependencies } from '../server.js';
import { consoleContext } from './console-context.js';
import { badConsoleRequest } from './console-errors.js';
import { ok, type ConsoleAnswer, type SessionCall } from './console-route.js';
import { consoleRule, type ConsoleRule } from './console-state.js';

/** One verdict of the evaluator, with the rules it names spelled out for the page. */
interface Judgement {
  readonly admitted: boolean;
  readonly reason: string;
  readonly rules: readonly ConsoleRule[];
}

/** One source address's way to the destination: its egress (when it is an instance of ours) and the destination's ingress. */
interface Path {
  readonly sourceInstanceId: string | null;
  readonly sourceAddress: string;
  readonly destinationAddress: string;
  /** null for an address outside the account: nothing of ours filters its way out. */
  readonly egress: Judgement | null;
  readonly ingress: Judgement;
  readonly admitted: boolean;
}

/**
 * `GET /console/api/reach?region&source&destination&protocol&port|icmpType&icmpCode`: can the
 * source (an instance `i-…`, a group `sg-…` — each of its instances — or an address, a CIDR
 * standing for its first written address) open a new flow to the destination instance? Asks the
 * same compiled evaluator as `GET /explain` and `stockade explain` (service/instance-policies.ts)
 * both ways that matter: the source instance's egress to the destination's address, and the
 * destination's ingress from the source's address; a path is admitted when both are, and every
 * rule that admits it is named. IPv4 addresses for instances and groups; an IPv6 source address
 * is checked against the destination's first IPv6 address. Throws InvalidInstanceID.*,
 * InvalidGroupId.Malformed, InvalidGroup.NotFound, InvalidParameterValue (the flow), ConsoleBadRequest.
 */
export async function reachability(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  const p = call.params;
  const destination = ownInstance(deps.view, context, p.get('destination') ?? '');
  const source = (p.get('source') ?? '').trim();
  if (source === '') throw badConsoleRequest('Name a source: an instance ID, a group ID, or an address or CIDR.');
  const sources: { instance: Instance | undefined; address: string }[] = [];
  if (source.startsWith('i-')) {
    const instance = ownInstance(deps.view, context, source);
    sources.push({ instance, address: instance.privateIpAddress });
  } else if (source.startsWith('sg-')) {
    const group = ownGroupById(deps.view, context, source);
    for (const instance of deps.view.membersOf(group.groupId)) sources.push({ instance, address: instance.privateIpAddress });
  } else sources.push({ instance: undefined, address: source.split('/')[0] ?? source });
  const paths: Path[] = [];
  let flowShown: Flow | undefined;
  for (const { instance, address } of sources) {
    const ipv6 = address.includes(':');
    const destinationAddress = ipv6 ? destination.ipv6Addresses?.[0] : destination.privateIpAddress;
    if (destinationAddress === undefined) throw badConsoleRequest(`${destination.instanceId} has no IPv6 address for an IPv6 source.`);
    const ingressFlow = flowOf(p, 'ingress', address);
    flowShown ??= ingressFlow;
    const ingress = judge(deps, destination, ingressFlow);
    const egress = instance === undefined ? null : judge(deps, instance, flowOf(p, 'egress', destinationAddress));
    paths.push({
      sourceInstanceId: instance?.instanceId ?? null,
      sourceAddress: ingressFlow.peer,
      destinationAddress,
      egress,
      ingress,
      admitted: ingress.admitted && (egress?.admitted ?? true),
    });
  }
  return ok(
    {
      source,
      destination: destination.instanceId,
      flow: flowShown ?? null,
      // A group without instances has no address to send from: nothing is admitted.
      admitted: paths.length > 0 && paths.every((path) => path.admitted),
      reason: paths.length === 0 ? `no instance holds ${source}` : undefined,
      paths,
    },
    context.account.accountId,
  );
}

function flowOf(p: URLSearchParams, direction: 'ingress' | 'egress', peer: string): Flow {
  const parsed = parseFlow({
    direction,
    protocol: p.get('protocol') ?? '',
    ...given('port', p.get('port')),
    ...given('icmpType', p.get('icmpType')),
    ...given('icmpCode', p.get('icmpCode')),
    peer,
  });
  // The same refusal, in the same words, as GET /explain.
  if (parsed.kind === 'invalid') throw invalidFlow(parsed.message);
  return parsed.flow;
}

function judge(deps: ServerDependencies, instance: Instance, flow: Flow): Judgement {
  const verdict: Verdict = deps.policies.evaluate(instance, flow);
  const rules = verdict.admitted ? verdict.matches.flatMap((m) => [deps.view.rules.get(m.ruleId)].flatMap((r) => (r === undefined ? [] : [consoleRule(r)]))) : [];
  return { admitted: verdict.admitted, reason: verdict.reason, rules };
}

function given<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}
