import { parseFlow } from '../dataplane/flow.js';
import { describeRule } from '../dataplane/verdict.js';
import { InstancePolicies } from '../service/instance-policies.js';
import { withStore } from './with-store.js';
import { ConfigError } from './server-config.js';

/**
 * `stockade explain --instance i-… (--ingress|--egress) --protocol P [--port N | --icmp-type T
 * --icmp-code C] --peer ADDRESS [--json] [--data-dir D]`: would a new flow be admitted, and by
 * which rules? Reads the data directory (also while the server runs). Exit status: 0 admitted,
 * 1 not admitted, 2 usage error.
 */
export async function explainCommand(options: Readonly<Record<string, string | boolean | undefined>>, out: (line: string) => void): Promise<number> {
  const text = (name: string): string | undefined => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const instanceId = text('instance');
  if (instanceId === undefined) throw new ConfigError('explain needs --instance i-…');
  if ((options.ingress === true) === (options.egress === true)) throw new ConfigError('explain needs exactly one of --ingress and --egress');
  const parsed = parseFlow({
    direction: options.ingress === true ? 'ingress' : 'egress',
    protocol: text('protocol') ?? '',
    ...(text('port') === undefined ? {} : { port: text('port') }),
    ...(text('icmp-type') === undefined ? {} : { icmpType: text('icmp-type') }),
    ...(text('icmp-code') === undefined ? {} : { icmpCode: text('icmp-code') }),
    peer: text('peer') ?? '',
  });
  if (parsed.kind === 'invalid') throw new ConfigError(parsed.message);
  return withStore(options, async (state) => {
    const instance = state.view.instances.get(instanceId);
    if (instance === undefined) throw new ConfigError(`no instance ${instanceId}`);
    const policies = new InstancePolicies(state.view);
    const verdict = policies.evaluate(instance, parsed.flow);
    if (options.json === true) {
      out(JSON.stringify({ instanceId, flow: parsed.flow, ...verdict }));
    } else {
      out(`${verdict.admitted ? 'ADMITTED' : 'DENIED'}  ${instanceId} ${parsed.flow.direction}: ${verdict.reason}`);
      if (verdict.admitted)
        for (const match of verdict.matches) {
          const rule = state.view.rules.get(match.ruleId);
          const name = state.view.groups.get(match.groupId)?.groupName ?? '';
          out(`  ${rule === undefined ? `${match.ruleId} of ${match.groupId}` : describeRule(rule)}  [${name}]`);
        }
    }
    return verdict.admitted ? 0 : 1;
  });
}
