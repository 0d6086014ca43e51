import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyNftTransaction, listRulesetForTest, nftVersion } from '../../src/agent/nft-apply.js';
import { ipVersion, listNamespaces } from '../../src/agent/netns.js';
import type { Peer, SecurityGroupRule } from '../../src/domain/rule.js';
import { compilePolicy, updateGroupMembers, type CompiledPolicy } from '../../src/dataplane/compiled-policy.js';
import { isUntracked } from '../../src/dataplane/connection-tracking.js';
import { peerResolverFromMaps } from '../../src/dataplane/effective-policy.js';
import { goldenRulesetDir } from '../../src/dataplane/golden-rulesets.js';
import type { Flow } from '../../src/dataplane/flow.js';
import { evaluateFlow, isAdmitted } from '../../src/dataplane/flow-evaluator.js';
import {
  renderGroupMembershipChange,
  renderReplaceTransaction,
  renderRuleset,
} from '../../src/dataplane/nft-ruleset.js';
import type { ProbeAnswer, ProbeOutcome } from './lab-probe.js';
import { labPrefix, NamespaceLab } from './namespace-lab.js';
import { cidrPeerForTest, groupPeerForTest, prefixListPeerForTest, ruleBuilderForTest } from '../../src/dataplane/rule-fixture.js';

// The rendered rulesets enforced by the kernel, in real namespaces with real traffic: for every
// probed flow the kernel's answer must be the one the scenario states AND the one the evaluator
// gives (spec/semantics.md §10), so neither can drift from EC2's semantics or from each other.

/** How long a connect or datagram may go unanswered before the flow counts as blocked. */
const BLOCKED_TIMEOUT_MS = 400;
/**
 * A flow the scenario expects to pass but that timed out is asked once more with this much time,
 * so a busy machine cannot fail the test; a blocked flow stays blocked however long we wait.
 */
const RETRY_TIMEOUT_MS = 3000;

/** What a probe's outcome says about the kernel's decision; undefined when it says nothing. */
const KERNEL_VERDICTS: Record<ProbeOutcome, boolean | undefined> = {
  open: true,
  refused: true,
  timeout: false,
  eperm: false,
  closed: undefined,
  error: undefined,
};

const rule = ruleBuilderForTest();
const cidr = cidrPeerForTest;
const group = groupPeerForTest;
const prefixList = prefixListPeerForTest;
const tcpFrom = (port: number, peer: Peer): SecurityGroupRule => rule('ingress', 'tcp', [port, port], peer);
const udpFrom = (port: number, peer: Peer): SecurityGroupRule => rule('ingress', 'udp', [port, port], peer);
/** The default group's egress rules: everything, to everywhere (spec/semantics.md §6.3). */
const EGRESS_ALL: readonly SecurityGroupRule[] = [rule('egress', '-1', undefined, cidr('0.0.0.0/0')), rule('egress', '-1', undefined, cidr('::/0'))];

const PEERS = 'sg-0000beef';
const MEMBERS = new Map<string, readonly string[]>();
const PREFIX_LISTS = new Map<string, readonly string[]>();
const RESOLVER = peerResolverFromMaps(MEMBERS, PREFIX_LISTS);

/** One probed flow: from one instance to another's address of `family`, and what must happen. */
interface FlowCase {
  readonly from: string;
  readonly to: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly family?: 4 | 6;
  readonly admitted: boolean;
  /** The exact outcome, where it matters (an ICMP error or RST coming back). */
  readonly outcome?: ProbeOutcome;
  readonly why: string;
}

describe('rendered rulesets enforced by nftables in real namespaces', () => {
  let lab: NamespaceLab | undefined;
  const policies = new Map<string, CompiledPolicy>();

  before(async () => {
    // CI installs both; a machine without them must fail here, loudly, never skip.
    await nftVersion();
    await ipVersion().catch((error: unknown) => {
      throw new Error(`iproute2's ip is required for the namespace tests: ${String(error)}`);
    });
    lab = await NamespaceLab.create(['a', 'b', 'c']);
  });

  after(async () => {
    await lab?.destroy();
    const left = (await listNamespaces()).filter((name) => name.startsWith(labPrefix()));
    assert.deepEqual(left, [], 'every namespace of the lab is gone');
  });

  function theLab(): NamespaceLab {
    assert.ok(lab, 'the lab was built');
    return lab;
  }

  /** Replaces each named instance's table with the rendering of `rules`, and compiles the same rules for the evaluator. */
  async function enforce(rulesByInstance: Readonly<Record<string, readonly SecurityGroupRule[]>>): Promise<Map<string, string>> {
    const rendered = new Map<string, string>();
    for (const [name, rules] of Object.entries(rulesByInstance)) {
      const ruleset = renderRuleset(rules, RESOLVER);
      const result = await applyNftTransaction(theLab().instance(name).namespace, renderReplaceTransaction(ruleset));
      assert.deepEqual(result, { kind: 'applied' }, `ruleset of ${name} loads`);
      policies.set(name, compilePolicy(rules, RESOLVER));
      rendered.set(name, ruleset);
    }
    return rendered;
  }

  function policyOf(name: string): CompiledPolicy {
    const policy = policies.get(name);
    assert.ok(policy, `${name} has a policy`);
    return policy;
  }

  /** The evaluator's answer for a flow: the source's egress rules and the target's ingress rules must both admit it. */
  function evaluatorAdmits(flow: FlowCase, fromAddress: string, toAddress: string): boolean {
    const protocol = flow.protocol === 'tcp' ? 6 : 17;
    const egress: Flow = { direction: 'egress', protocol, port: flow.port, peer: toAddress };
    const ingress: Flow = { direction: 'ingress', protocol, port: flow.port, peer: fromAddress };
    let admitted = true;
    for (const [name, half] of [[flow.from, egress], [flow.to, ingress]] as const) {
      const policy = policyOf(name);
      const verdict = evaluateFlow(policy, half);
      assert.equal(isAdmitted(policy, half), verdict.admitted, `isAdmitted and evaluateFlow agree on ${JSON.stringify(half)}`);
      admitted &&= verdict.admitted;
    }
    return admitted;
  }

  /** Probes every case at once (one timeout for all the blocked ones) and checks kernel, evaluator and scenario agree. */
  async function expectFlows(cases: readonly FlowCase[]): Promise<void> {
    const results = await Promise.all(
      cases.map(async (flow) => {
        const from = theLab().instance(flow.from);
        const to = theLab().instance(flow.to);
        const fromAddress = flow.family === 6 ? from.ipv6 : from.ipv4;
        const toAddress = flow.family === 6 ? to.ipv6 : to.ipv4;
        const probe = (timeoutMs: number): Promise<ProbeAnswer> =>
          theLab().probe(flow.from, { op: flow.protocol, host: toAddress, port: flow.port, timeoutMs });
        let answer = await probe(BLOCKED_TIMEOUT_MS);
        if (flow.admitted && answer.outcome === 'timeout') answer = await probe(RETRY_TIMEOUT_MS);
        return { flow, answer, evaluator: evaluatorAdmits(flow, fromAddress, toAddress) };
      }),
    );
    for (const { flow, answer, evaluator } of results) {
      const outcome = answer.outcome;
      const label = `${flow.from} → ${flow.to} ${flow.protocol} ${flow.port} over IPv${flow.family ?? 4} (${flow.why})`;
      assert.equal(evaluator, flow.admitted, `${label}: the evaluator says ${evaluator ? 'admitted' : 'denied'}`);
      // Admitted: an answer came back (an echo, a RST, an ICMP error). Blocked: silence, or the
      // local output hook refusing the send. Anything else (no route, no neighbour) is neither.
      const kernel = KERNEL_VERDICTS[outcome];
      if (kernel !== flow.admitted || (flow.outcome !== undefined && outcome !== flow.outcome)) {
        const dumps = await Promise.all(
          [flow.from, flow.to].map(async (name) => `--- ${name}\n${await listRulesetForTest(theLab().instance(name).namespace)}`),
        );
        assert.fail(`${label}: the kernel gave ${outcome}${answer.detail === undefined ? '' : ` (${answer.detail})`}, expected ${flow.outcome ?? (flow.admitted ? 'admitted' : 'blocked')}\n${dumps.join('\n')}`);
      }
    }
  }

  test('default deny: no ingress rule lets nothing in, no egress rule lets nothing out', async () => {
    await enforce({ a: EGRESS_ALL, b: [], c: EGRESS_ALL });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, admitted: false, why: 'b has no ingress rule' },
      { from: 'c', to: 'b', protocol: 'udp', port: 5353, admitted: false, why: 'b has no ingress rule' },
      { from: 'b', to: 'a', protocol: 'tcp', port: 8080, admitted: false, why: 'b has no egress rule, a no ingress rule' },
      { from: 'a', to: 'c', protocol: 'tcp', port: 9090, admitted: false, why: 'c has no ingress rule' },
    ]);
  });

  test('a CIDR rule admits its block on its port only, overlapping CIDRs and prefix lists included', async () => {
    // a is 10.213.0.11: inside every block below; c (10.213.0.13) is in none.
    PREFIX_LISTS.set('pl-0000000000000aaaa', ['10.213.0.11/32', '10.213.0.10/31']);
    const rendered = await enforce({
      a: EGRESS_ALL,
      b: [...EGRESS_ALL, tcpFrom(8080, cidr('10.213.0.11/32')), tcpFrom(8080, cidr('10.213.0.8/30')), tcpFrom(8080, prefixList('pl-0000000000000aaaa'))],
      c: EGRESS_ALL,
    });
    // Nested blocks from rules and the prefix list became one element (notes/nftables.md finding 4).
    assert.match(rendered.get('b') ?? '', /set c4_ingress_tcp_8080 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = \{ 10\.213\.0\.8\/30 \}\n/);
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, admitted: true, why: 'a is in 10.213.0.8/30' },
      { from: 'c', to: 'b', protocol: 'tcp', port: 8080, admitted: false, why: 'c is in no block' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'no rule for port 9090' },
      { from: 'a', to: 'b', protocol: 'udp', port: 5353, admitted: false, why: 'no rule for udp' },
    ]);
  });

  test('a group peer admits its members; membership changes are one element-only transaction', async () => {
    const a = theLab().instance('a');
    const c = theLab().instance('c');
    MEMBERS.set(PEERS, [a.ipv4, a.ipv6]);
    await enforce({ a: EGRESS_ALL, b: [...EGRESS_ALL, tcpFrom(9090, group(PEERS))], c: EGRESS_ALL });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: true, why: 'a is a member' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, family: 6, admitted: true, why: "a's IPv6 address is a member" },
      { from: 'c', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'c is not a member' },
    ]);

    const changeMembers = async (next: readonly string[]): Promise<string> => {
      const transaction = renderGroupMembershipChange(PEERS, MEMBERS.get(PEERS) ?? [], next);
      // Elements only: no rule, chain or set is rebuilt, and it is one nft process.
      assert.doesNotMatch(transaction, /\b(?:rule|chain|table|flush)\b/);
      assert.deepEqual(await applyNftTransaction(theLab().instance('b').namespace, transaction), { kind: 'applied' });
      assert.equal(updateGroupMembers(policyOf('b'), PEERS, next), true);
      MEMBERS.set(PEERS, next);
      return transaction;
    };

    // c joins the group.
    assert.equal(await changeMembers([a.ipv4, a.ipv6, c.ipv4]), `add element inet stockade g4_sg_0000beef { ${c.ipv4} }\n`);
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: true, why: 'a is still a member' },
      { from: 'c', to: 'b', protocol: 'tcp', port: 9090, admitted: true, why: 'c joined' },
    ]);
    // a leaves it.
    assert.equal(
      await changeMembers([c.ipv4]),
      `delete element inet stockade g4_sg_0000beef { ${a.ipv4} }\ndelete element inet stockade g6_sg_0000beef { ${a.ipv6} }\n`,
    );
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'a left' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, family: 6, admitted: false, why: 'a left' },
      { from: 'c', to: 'b', protocol: 'tcp', port: 9090, admitted: true, why: 'c is a member' },
    ]);
  });

  test('egress rules are enforced on the output path', async () => {
    const b = theLab().instance('b');
    const everyone = cidr('10.213.0.0/24');
    const open = [...EGRESS_ALL, tcpFrom(8080, everyone), tcpFrom(9090, everyone), udpFrom(5353, everyone)];
    await enforce({
      a: [rule('egress', 'tcp', [8080, 8080], cidr(`${b.ipv4}/32`)), rule('egress', 'udp', [5353, 5353], cidr(`${b.ipv4}/32`))],
      b: open,
      c: open,
    });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, admitted: true, why: 'a may reach b on tcp 8080' },
      { from: 'a', to: 'c', protocol: 'tcp', port: 8080, admitted: false, why: 'a may not reach c' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'a may not reach tcp 9090' },
      { from: 'a', to: 'b', protocol: 'udp', port: 5353, admitted: true, why: 'a may reach b on udp 5353' },
      { from: 'a', to: 'c', protocol: 'udp', port: 5353, admitted: false, why: 'a may not reach c' },
      { from: 'c', to: 'b', protocol: 'udp', port: 5353, admitted: true, why: 'c may reach anyone' },
    ]);
  });

  test('UDP follows its own rules, and the ICMP errors and resets of admitted flows come back', async () => {
    const a = theLab().instance('a');
    const fromA = cidr(`${a.ipv4}/32`);
    await enforce({
      a: EGRESS_ALL,
      // Nothing listens on udp 5354 or tcp 7070: the answer is an ICMP port unreachable or a RST.
      b: [...EGRESS_ALL, udpFrom(5353, fromA), udpFrom(5354, fromA), tcpFrom(7070, fromA)],
      c: EGRESS_ALL,
    });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'udp', port: 5353, admitted: true, outcome: 'open', why: 'udp 5353 from a' },
      { from: 'c', to: 'b', protocol: 'udp', port: 5353, admitted: false, why: 'only a may send' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 5353, admitted: false, why: 'a udp rule does not admit tcp' },
      // The ICMP error is RELATED to the admitted flow (spec/semantics.md §10, stateful).
      { from: 'a', to: 'b', protocol: 'udp', port: 5354, admitted: true, outcome: 'refused', why: 'port unreachable comes back' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 7070, admitted: true, outcome: 'refused', why: 'the RST comes back' },
    ]);
  });

  test('a tracked connection outlives the rule that admitted it; new connections do not', async () => {
    const a = theLab().instance('a');
    const b = theLab().instance('b');
    const fromA = cidr(`${a.ipv4}/32`);
    await enforce({ a: EGRESS_ALL, b: [...EGRESS_ALL, tcpFrom(9090, fromA), tcpFrom(8080, fromA)], c: EGRESS_ALL });
    const held = await theLab().probe('a', { op: 'hold', key: 'kept', host: b.ipv4, port: 9090, timeoutMs: RETRY_TIMEOUT_MS });
    assert.equal(held.outcome, 'open');
    assert.equal((await theLab().probe('a', { op: 'echo', key: 'kept', timeoutMs: RETRY_TIMEOUT_MS })).outcome, 'open');
    // Not from 0.0.0.0/0, so EC2 tracks it and a removed rule does not cut it (spec/semantics.md §10).
    assert.equal(isUntracked(policyOf('b'), { direction: 'ingress', protocol: 6, port: 9090, peer: a.ipv4 }), false);

    await enforce({ b: [...EGRESS_ALL, tcpFrom(8080, fromA)] });
    assert.equal(
      (await theLab().probe('a', { op: 'echo', key: 'kept', timeoutMs: RETRY_TIMEOUT_MS })).outcome,
      'open',
      'the established connection still carries data after its rule is gone',
    );
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'the rule is gone' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, admitted: true, why: 'the other rule stays' },
    ]);
    await theLab().probe('a', { op: 'close', key: 'kept' });
  });

  test('an untracked connection (0.0.0.0/0 in, all traffic out) is cut as soon as its rule is gone', async () => {
    const a = theLab().instance('a');
    const b = theLab().instance('b');
    await enforce({ a: EGRESS_ALL, b: [...EGRESS_ALL, tcpFrom(9090, cidr('0.0.0.0/0'))], c: EGRESS_ALL });
    // spec/semantics.md §10: from 0.0.0.0/0, with all outbound traffic open, EC2 does not track it.
    assert.equal(isUntracked(policyOf('b'), { direction: 'ingress', protocol: 6, port: 9090, peer: a.ipv4 }), true);
    assert.equal((await theLab().probe('a', { op: 'hold', key: 'untracked', host: b.ipv4, port: 9090, timeoutMs: RETRY_TIMEOUT_MS })).outcome, 'open');
    assert.equal((await theLab().probe('a', { op: 'echo', key: 'untracked', timeoutMs: RETRY_TIMEOUT_MS })).outcome, 'open');
    await enforce({ b: EGRESS_ALL });
    assert.equal(
      (await theLab().probe('a', { op: 'echo', key: 'untracked', timeoutMs: RETRY_TIMEOUT_MS })).outcome,
      'timeout',
      'the untracked connection carries nothing once its rule is gone',
    );
    await theLab().probe('a', { op: 'close', key: 'untracked' });
  });

  test('IPv4 rules never match IPv6 traffic, and IPv6 rules do', async () => {
    await enforce({ a: EGRESS_ALL, b: [...EGRESS_ALL, tcpFrom(8080, cidr('0.0.0.0/0'))], c: EGRESS_ALL });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, admitted: true, why: '0.0.0.0/0 holds every IPv4 address' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, family: 6, admitted: false, why: '0.0.0.0/0 holds no IPv6 address' },
    ]);
    await enforce({ b: [...EGRESS_ALL, tcpFrom(8080, cidr('0.0.0.0/0')), tcpFrom(8080, cidr('fd00:213::/64'))] });
    await expectFlows([
      { from: 'a', to: 'b', protocol: 'tcp', port: 8080, family: 6, admitted: true, why: 'fd00:213::/64 holds a' },
      { from: 'c', to: 'b', protocol: 'tcp', port: 9090, family: 6, admitted: false, why: 'no rule for port 9090' },
    ]);
  });

  test('a refused transaction changes nothing; a missing namespace is a failure', async () => {
    const a = theLab().instance('a');
    const c = theLab().instance('c');
    const b = theLab().instance('b');
    MEMBERS.set(PEERS, [a.ipv4]);
    await enforce({ a: EGRESS_ALL, b: [...EGRESS_ALL, tcpFrom(8080, cidr(`${a.ipv4}/32`)), tcpFrom(9090, group(PEERS))], c: EGRESS_ALL });

    // An overlapping element in a set without auto-merge (notes/nftables.md finding 4).
    const overlap = await applyNftTransaction(b.namespace, 'add element inet stockade c4_ingress_tcp_8080 { 10.213.0.0/16 }\n');
    assert.equal(overlap.kind, 'rejected');
    assert.match(overlap.kind === 'rejected' ? overlap.message : '', /overlap/);
    // Adding c and deleting an address that is not there: the add must not survive the refusal.
    const partial = await applyNftTransaction(
      b.namespace,
      `add element inet stockade g4_sg_0000beef { ${c.ipv4} }\ndelete element inet stockade g4_sg_0000beef { 10.213.0.99 }\n`,
    );
    assert.equal(partial.kind, 'rejected', JSON.stringify(partial));
    await expectFlows([
      { from: 'c', to: 'b', protocol: 'tcp', port: 9090, admitted: false, why: 'the refused transaction added nothing' },
      { from: 'c', to: 'b', protocol: 'tcp', port: 8080, admitted: false, why: 'the overlap was not added' },
      { from: 'a', to: 'b', protocol: 'tcp', port: 9090, admitted: true, why: 'the loaded table is intact' },
    ]);

    const missing = await applyNftTransaction(`${labPrefix()}missing`, 'add table inet stockade\n');
    assert.equal(missing.kind, 'failed');
    assert.equal((await applyNftTransaction('../escape', 'add table inet stockade\n')).kind, 'failed');
  });

  test('every golden ruleset loads, and the golden membership change applies on top', async () => {
    const testdata = goldenRulesetDir();
    const namespace = theLab().instance('c').namespace;
    for (const file of ['empty.nft', 'mixed.nft', 'mixed-membership-change.nft']) {
      const text = readFileSync(join(testdata, file), 'utf8');
      const transaction = text.startsWith('table ') ? renderReplaceTransaction(text) : text;
      assert.deepEqual(await applyNftTransaction(namespace, transaction), { kind: 'applied' }, file);
    }
  });
});
