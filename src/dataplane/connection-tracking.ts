import type { CompiledPolicy, OpenRule } from './compiled-policy.js';
import type { Flow } from './flow.js';
import { decodePeerAddress } from './peer-address.js';
import { MAX_PORT } from './port-index.js';

/**
 * EC2's tracked/untracked distinction (spec/semantics.md §10, aws-doc). Security groups are
 * stateful: once a new flow is admitted, its responses pass whatever the rules say, and the
 * evaluator is only ever asked about new flows. Most flows are tracked; an untracked one is not
 * remembered, so removing the rule that allowed it cuts it immediately, where a tracked flow
 * lives on until it times out.
 */

const TCP = 6;
const UDP = 17;
// Scratch for the decoded peer; filled and read within one synchronous call.
const ADDRESS = new Int32Array(4);

/**
 * Reports whether `flow` would be untracked under `policy`: it is TCP or UDP, a rule whose peer is
 * the CIDR `0.0.0.0/0` (`::/0` for an IPv6 peer) admits it, and a rule of the other direction
 * with that same peer admits all response traffic: protocol `-1`, or the flow's protocol on ports
 * 0–65535. ICMP is always tracked, and so is everything else (spec/semantics.md §10).
 * UNCONFIRMED (spec/semantics.md §10): only a rule's own CIDR counts, not a prefix list that
 * happens to hold `/0`. Paths that AWS always tracks (NAT gateway, load balancers, …) are not
 * modelled; the caller knows whether a flow takes one.
 */
export function isUntracked(policy: CompiledPolicy, flow: Flow): boolean {
  if (flow.protocol !== TCP && flow.protocol !== UDP) return false;
  const family = decodePeerAddress(flow.peer, ADDRESS);
  if (family === 0) return false;
  const ingress = flow.direction === 'ingress';
  const forward = ingress ? policy.ingressOpenRules : policy.egressOpenRules;
  const reverse = ingress ? policy.egressOpenRules : policy.ingressOpenRules;
  return someOpenRule(forward, family, flow.protocol, flow.port, flow.port) && admitsAllResponses(reverse, family, flow.protocol);
}

/**
 * Reports whether one of `rules` admits every `protocol` packet of `family` whatever its port:
 * the other direction's condition for a flow to be untracked.
 */
export function admitsAllResponses(rules: readonly OpenRule[], family: 4 | 6, protocol: number): boolean {
  return someOpenRule(rules, family, protocol, 0, MAX_PORT);
}

/** Reports whether a rule of `rules` for `family` covers `protocol` on every port from..to. */
function someOpenRule(
  rules: readonly OpenRule[],
  family: 4 | 6,
  protocol: number,
  fromPort: number | undefined,
  toPort: number | undefined,
): boolean {
  if (fromPort === undefined || toPort === undefined || !Number.isInteger(fromPort)) return false;
  for (const rule of rules) {
    if (rule.family !== family) continue;
    if (rule.protocol === -1) return true;
    if (rule.protocol === protocol && rule.fromPort <= fromPort && toPort <= rule.toPort) return true;
  }
  return false;
}
