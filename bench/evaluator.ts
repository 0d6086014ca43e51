import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  containsAddress,
  formatIpv4Address,
  formatIpv6Address,
  parseIpv4Address,
  parseIpv4Cidr,
  parseIpv6Address,
  parseIpv6Cidr,
  type Cidr,
} from '../src/domain/cidr.js';
import type { Direction, Peer, SecurityGroupRule } from '../src/domain/rule.js';
import { ruleForTest } from '../src/dataplane/rule-fixture.js';
import { compilePolicy, type CompiledPolicy } from '../src/dataplane/compiled-policy.js';
import { peerResolverFromMaps, type PeerResolver } from '../src/dataplane/effective-policy.js';
import type { Flow } from '../src/dataplane/flow.js';
import { evaluateFlow, isAdmitted } from '../src/dataplane/flow-evaluator.js';
import { isAdmittedNaive } from '../src/dataplane/naive-evaluator.js';

// `node dist/bench/evaluator.js [--json] [--seconds S] [--sizes 10,100,…]`: decisions per second of the compiled
// evaluator (issue 4) on one core, for effective policies of 10, 100, 1,000 and 10,000 rules, next
// to the naive reference (naive-evaluator.ts, which resolves and parses every peer per decision)
// and to a linear scan over pre-parsed rules (below), which isolates what the indexes buy.
// Also: compile time and heap bytes per rule. Targets: ≥ 5 M decisions/s at 1,000 rules and
// ≥ 50× the naive scan.
//
// Allocation: the garbage collections seen while `isAdmitted` is timed (0 means its hot path did
// not allocate enough to need one; a scavenge comes every few MB of allocation).
//
// Memory: heapUsed + arrayBuffers (typed arrays' backing stores live outside the JS heap) around
// compiling many copies of the same policy, with a full GC before each reading. The process
// re-runs itself with --expose-gc for that when `gc` is not already exposed.

const FLOW_COUNT = 4096;
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const MEASURE_MS = 1000 * Number(optionValue('--seconds') ?? '1');
const SIZES = (optionValue('--sizes') ?? '10,100,1000,10000').split(',').map(Number);

function optionValue(name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}
const collectGarbage: () => void = globalThis.gc;

// ---- deterministic policy and flow generation ------------------------------------------------

/** mulberry32: a small seeded PRNG, so that every run measures the same policies and flows. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Workload {
  readonly rules: readonly SecurityGroupRule[];
  readonly resolver: PeerResolver;
  readonly flows: readonly Flow[];
  readonly memberCount: number;
}

const COMMON_TCP_PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 8443, 9200, 27017] as const;
const COMMON_UDP_PORTS = [53, 123, 161, 514, 4789] as const;

function generateWorkload(size: number, seed: number): Workload {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  // Referenced groups: one per 200 rules (at least one), 20–500 members each, in 10.0.0.0/8.
  const groupCount = Math.max(1, Math.round(size / 200));
  const members = new Map<string, string[]>();
  let memberCount = 0;
  for (let g = 0; g < groupCount; g++) {
    const count = int(20, 500);
    const list: string[] = [];
    for (let i = 0; i < count; i++) list.push(formatIpv4Address(((10 << 24) >>> 0) + int(0, 0xffffff)));
    members.set(`sg-peer${g}`, list);
    memberCount += count;
  }
  // Two customer prefix lists and an AWS-style one.
  const prefixLists = new Map<string, string[]>();
  for (let p = 0; p < 3; p++) {
    const entries: string[] = [];
    for (let i = 0, n = int(5, 40); i < n; i++) entries.push(`${formatIpv4Address(int(0, 0xffffffff))}/${int(16, 28)}`);
    prefixLists.set(`pl-list${p}`, entries);
  }

  const randomCidr4 = (): string => {
    const roll = random();
    // Mostly hosts and /24s, some wider blocks; /0 only on a few rules (below).
    const prefix = roll < 0.35 ? 32 : roll < 0.65 ? 24 : roll < 0.8 ? 16 : roll < 0.9 ? 28 : roll < 0.97 ? 20 : 8;
    return parseIpv4Cidr(`${formatIpv4Address(int(0, 0xffffffff))}/${prefix}`)?.text ?? '0.0.0.0/0';
  };
  const randomCidr6 = (): string => {
    const high = BigInt(int(0x20010000, 0x2001ffff));
    const address = (high << 96n) | (BigInt(int(0, 0xffffffff)) << 64n) | BigInt(int(0, 0xffffffff));
    return parseIpv6Cidr(`${formatIpv6Address(address)}/${pick([48, 56, 64, 128])}`)?.text ?? '::/0';
  };
  const cidrPeer = (): Peer => (random() < 0.9 ? { kind: 'cidr4', cidr: randomCidr4() } : { kind: 'cidr6', cidr: randomCidr6() });
  const tcpPorts = (): [number, number] => {
    const roll = random();
    if (roll < 0.6) {
      const port = pick(COMMON_TCP_PORTS);
      return [port, port];
    }
    if (roll < 0.85) {
      const port = int(1024, 65535);
      return [port, port];
    }
    const from = int(1024, 60000);
    return [from, from + int(1, 1000)];
  };

  const rules: SecurityGroupRule[] = [];
  const add = (direction: Direction, ipProtocol: string, ports: readonly [number, number] | undefined, peer: Peer): void => {
    const i = rules.length;
    rules.push(ruleForTest({ ruleId: `sgr-${i.toString(16).padStart(17, '0')}`, groupId: `sg-own${Math.floor(i / 60)}`, direction, ipProtocol, ports, peer, ordinal: i }));
  };
  // A web tier's usual openings, then the random mix.
  add('ingress', 'tcp', [443, 443], { kind: 'cidr4', cidr: '0.0.0.0/0' });
  add('egress', '-1', undefined, { kind: 'cidr4', cidr: '0.0.0.0/0' });
  while (rules.length < size) {
    const direction: Direction = random() < 0.85 ? 'ingress' : 'egress';
    const roll = random();
    const groupPeer = (): Peer => ({ kind: 'group', groupId: `sg-peer${int(0, groupCount - 1)}`, userId: '111122223333' });
    if (roll < 0.72) add(direction, 'tcp', tcpPorts(), cidrPeer());
    else if (roll < 0.8) add(direction, random() < 0.8 ? 'tcp' : '-1', random() < 0.8 ? tcpPorts() : undefined, groupPeer());
    else if (roll < 0.85) {
      const port = pick(COMMON_UDP_PORTS);
      add(direction, 'udp', [port, port], cidrPeer());
    } else if (roll < 0.9) {
      const [protocol, type, code] = pick([['icmp', 8, -1], ['icmp', 3, 4], ['icmp', -1, -1], ['icmpv6', 128, -1]] as const);
      add(direction, protocol, [type, code], protocol === 'icmpv6' ? { kind: 'cidr6', cidr: randomCidr6() } : cidrPeer());
    } else if (roll < 0.93) add(direction, '-1', undefined, { kind: 'cidr4', cidr: `10.${int(0, 255)}.0.0/16` });
    else if (roll < 0.96) add(direction, 'tcp', [443, 443], { kind: 'prefixList', prefixListId: `pl-list${int(0, 2)}` });
    else add(direction, pick(['50', '47', '132']), undefined, cidrPeer());
  }

  // Flows: half aimed inside a random rule (its port range, an address of its peer), half
  // random traffic that mostly finds nothing.
  const flows: Flow[] = [];
  const addressIn = (peer: Peer): string => {
    switch (peer.kind) {
      case 'cidr4': {
        const cidr = parseIpv4Cidr(peer.cidr);
        if (cidr === undefined) return '192.0.2.1';
        return formatIpv4Address(cidr.network + int(0, 2 ** (32 - cidr.prefixLength) - 1));
      }
      case 'cidr6': {
        const cidr = parseIpv6Cidr(peer.cidr);
        if (cidr === undefined) return '2001:db8::1';
        const span = 1n << BigInt(128 - cidr.prefixLength);
        return formatIpv6Address(cidr.network + (BigInt(int(0, 0xffffffff)) % span));
      }
      case 'group':
        return pick(members.get(peer.groupId) ?? ['10.0.0.1']);
      case 'prefixList': {
        const cidr = parseIpv4Cidr(pick(prefixLists.get(peer.prefixListId) ?? ['192.0.2.0/24']));
        return cidr === undefined ? '192.0.2.1' : formatIpv4Address(cidr.network + int(0, 2 ** (32 - cidr.prefixLength) - 1));
      }
    }
  };
  const protocolNumber: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
  while (flows.length < FLOW_COUNT) {
    if (random() < 0.5) {
      const rule = pick(rules);
      const peer = addressIn(rule.peer);
      const protocol = rule.ipProtocol === '-1' ? 6 : (protocolNumber[rule.ipProtocol] ?? Number(rule.ipProtocol));
      if (protocol === 6 || protocol === 17) {
        const port = rule.ipProtocol === '-1' ? pick(COMMON_TCP_PORTS) : int(rule.fromPort ?? 0, rule.toPort ?? 0);
        flows.push({ direction: rule.direction, protocol, port, peer });
      } else if (protocol === 1 || protocol === 58) {
        flows.push({ direction: rule.direction, protocol, icmpType: Math.max(0, rule.fromPort ?? 8), icmpCode: 0, peer });
      } else {
        flows.push({ direction: rule.direction, protocol, peer });
      }
    } else {
      const peer = random() < 0.9 ? formatIpv4Address(int(0, 0xffffffff)) : formatIpv6Address(BigInt(int(0, 0xffffffff)) << 96n);
      const direction: Direction = random() < 0.85 ? 'ingress' : 'egress';
      const roll = random();
      if (roll < 0.85) flows.push({ direction, protocol: 6, port: random() < 0.5 ? pick(COMMON_TCP_PORTS) : int(0, 65535), peer });
      else if (roll < 0.95) flows.push({ direction, protocol: 17, port: pick(COMMON_UDP_PORTS), peer });
      else flows.push({ direction, protocol: 1, icmpType: 8, icmpCode: 0, peer });
    }
  }
  return { rules, resolver: peerResolverFromMaps(members, prefixLists), flows, memberCount };
}

// ---- the pre-parsed linear scan ---------------------------------------------------------------

/** A rule parsed once: what a straightforward implementation without indexes would keep. */
interface ParsedRule {
  readonly direction: Direction;
  readonly protocol: number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrs: readonly Cidr[];
  readonly members: ReadonlySet<number | bigint> | undefined;
}

function parseRulesForScan(rules: readonly SecurityGroupRule[], resolver: PeerResolver): ParsedRule[] {
  const numbers: Record<string, number> = { '-1': -1, tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };
  return rules.map((rule) => {
    const peer = rule.peer;
    const texts = peer.kind === 'cidr4' || peer.kind === 'cidr6' ? [peer.cidr] : peer.kind === 'prefixList' ? resolver.prefixListEntries(peer.prefixListId) : [];
    const cidrs = texts.flatMap((text) => {
      const cidr = parseIpv4Cidr(text) ?? parseIpv6Cidr(text);
      return cidr === undefined ? [] : [cidr];
    });
    const members =
      peer.kind === 'group'
        ? new Set(resolver.membersOf(peer.groupId).flatMap((m) => {
            const value = parseIpv4Address(m) ?? parseIpv6Address(m);
            return value === undefined ? [] : [value];
          }))
        : undefined;
    return {
      direction: rule.direction,
      protocol: numbers[rule.ipProtocol] ?? Number(rule.ipProtocol),
      fromPort: rule.fromPort ?? -1,
      toPort: rule.toPort ?? -1,
      cidrs,
      members,
    };
  });
}

function isAdmittedByScan(rules: readonly ParsedRule[], flow: Flow): boolean {
  const address = parseIpv4Address(flow.peer) ?? parseIpv6Address(flow.peer);
  if (address === undefined) return false;
  for (const rule of rules) {
    if (rule.direction !== flow.direction) continue;
    if (rule.protocol !== -1) {
      if (rule.protocol !== flow.protocol) continue;
      if (rule.protocol === 6 || rule.protocol === 17) {
        if (flow.port === undefined || flow.port < rule.fromPort || flow.port > rule.toPort) continue;
      } else if (rule.protocol === 1 || rule.protocol === 58) {
        if (rule.fromPort !== -1 && (flow.icmpType !== rule.fromPort || (rule.toPort !== -1 && flow.icmpCode !== rule.toPort))) continue;
      }
    }
    if (rule.members !== undefined ? rule.members.has(address) : rule.cidrs.some((cidr) => containsAddress(cidr, address))) return true;
  }
  return false;
}

// ---- measurement ------------------------------------------------------------------------------

/** Runs `decide` over `flows` round after round for about `budgetMs`; returns decisions/s. */
function decisionsPerSecond(flows: readonly Flow[], decide: (flow: Flow) => boolean, budgetMs: number): number {
  let decisions = 0;
  let sink = 0;
  const started = process.hrtime.bigint();
  let elapsedNs = 0n;
  const budgetNs = BigInt(Math.round(budgetMs * 1e6));
  // Batches double while they take under 1/16 of the budget, so slow deciders (the naive scan at
  // 10,000 rules takes milliseconds per flow) still stop near the budget.
  let batch = 1;
  let next = 0;
  do {
    const batchStarted = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      const flow = flows[next];
      next = next + 1 === flows.length ? 0 : next + 1;
      if (flow !== undefined && decide(flow)) sink++;
    }
    decisions += batch;
    const now = process.hrtime.bigint();
    if ((now - batchStarted) * 16n < budgetNs && batch < flows.length) batch *= 2;
    elapsedNs = now - started;
  } while (elapsedNs < budgetNs);
  if (sink < 0) console.log(sink);
  return decisions / (Number(elapsedNs) / 1e9);
}

/** Median compile time of `rules` in ms. */
function compileMs(rules: readonly SecurityGroupRule[], resolver: PeerResolver): number {
  const times: number[] = [];
  const rounds = Math.max(5, Math.min(50, Math.round(20000 / rules.length)));
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    compilePolicy(rules, resolver);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** Heap and array-buffer bytes per rule of compiled copies of the policy (member sets included). */
function bytesPerRule(rules: readonly SecurityGroupRule[], resolver: PeerResolver): number {
  const copies = Math.max(4, Math.min(2000, Math.round(100000 / rules.length)));
  const used = (): number => {
    const memory = process.memoryUsage();
    return memory.heapUsed + memory.arrayBuffers;
  };
  collectGarbage();
  collectGarbage();
  const before = used();
  const kept: CompiledPolicy[] = [];
  for (let i = 0; i < copies; i++) kept.push(compilePolicy(rules, resolver));
  collectGarbage();
  collectGarbage();
  const after = used();
  // Reading `kept` after the second reading keeps every copy alive through it.
  return (after - before) / (kept.length * rules.length);
}

interface Result {
  readonly rules: number;
  readonly decisionsPerSec: number;
  readonly naiveDecisionsPerSec: number;
  readonly compileMs: number;
  readonly bytesPerRule: number;
  readonly evaluateFlowPerSec: number;
  readonly linearScanDecisionsPerSec: number;
  readonly speedupVsNaive: number;
  readonly admittedFraction: number;
  readonly groupMembers: number;
  readonly gcDuringIsAdmitted: number;
}

/** Garbage collections observed while `run` runs (the observer reports them a tick later). */
async function garbageCollectionsDuring(run: () => number): Promise<{ gcs: number; value: number }> {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const value = run();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return { gcs, value };
}

async function measure(size: number): Promise<Result> {
  const workload = generateWorkload(size, 0x5eed + size);
  const { rules, resolver, flows } = workload;
  const policy = compilePolicy(rules, resolver);
  const scanRules = parseRulesForScan(rules, resolver);

  // All must agree before any of them is timed (the naive one on a sample: it is slow).
  let admitted = 0;
  const naiveSample = Math.min(FLOW_COUNT, Math.round(500000 / size));
  flows.forEach((flow, i) => {
    const fast = isAdmitted(policy, flow);
    if (fast) admitted++;
    if (evaluateFlow(policy, flow).admitted !== fast || isAdmittedByScan(scanRules, flow) !== fast) {
      throw new Error(`evaluators disagree on ${JSON.stringify(flow)}`);
    }
    if (i < naiveSample && isAdmittedNaive(rules, resolver, flow) !== fast) throw new Error(`naive disagrees on ${JSON.stringify(flow)}`);
  });

  // Warm up, then measure.
  decisionsPerSecond(flows, (flow) => isAdmitted(policy, flow), MEASURE_MS / 4);
  collectGarbage();
  const timed = await garbageCollectionsDuring(() => decisionsPerSecond(flows, (flow) => isAdmitted(policy, flow), MEASURE_MS));
  const fast = timed.value;
  decisionsPerSecond(flows, (flow) => evaluateFlow(policy, flow).admitted, MEASURE_MS / 4);
  const verdicts = decisionsPerSecond(flows, (flow) => evaluateFlow(policy, flow).admitted, MEASURE_MS);
  decisionsPerSecond(flows, (flow) => isAdmittedByScan(scanRules, flow), MEASURE_MS / 4);
  const scan = decisionsPerSecond(flows, (flow) => isAdmittedByScan(scanRules, flow), MEASURE_MS);
  decisionsPerSecond(flows, (flow) => isAdmittedNaive(rules, resolver, flow), MEASURE_MS / 4);
  const naive = decisionsPerSecond(flows, (flow) => isAdmittedNaive(rules, resolver, flow), MEASURE_MS);

  return {
    rules: size,
    decisionsPerSec: Math.round(fast),
    naiveDecisionsPerSec: Math.round(naive),
    compileMs: Number(compileMs(rules, resolver).toFixed(3)),
    bytesPerRule: Math.round(bytesPerRule(rules, resolver)),
    evaluateFlowPerSec: Math.round(verdicts),
    linearScanDecisionsPerSec: Math.round(scan),
    speedupVsNaive: Number((fast / naive).toFixed(1)),
    admittedFraction: Number((admitted / flows.length).toFixed(3)),
    groupMembers: workload.memberCount,
    gcDuringIsAdmitted: timed.gcs,
  };
}

function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}

const results: Result[] = [];
for (const size of SIZES) {
  results.push(await measure(size));
}

if (asJson) {
  console.log(JSON.stringify(results));
} else {
  const header = ['rules', 'isAdmitted', 'GCs', 'evaluateFlow', 'naive', 'vs naive', 'scan (parsed)', 'compile ms', 'bytes/rule', 'admitted', 'members'];
  const rows = results.map((r) => [
    String(r.rules),
    formatRate(r.decisionsPerSec),
    String(r.gcDuringIsAdmitted),
    formatRate(r.evaluateFlowPerSec),
    formatRate(r.naiveDecisionsPerSec),
    `${r.speedupVsNaive}x`,
    formatRate(r.linearScanDecisionsPerSec),
    r.compileMs.toFixed(2),
    String(r.bytesPerRule),
    `${(r.admittedFraction * 100).toFixed(0)}%`,
    String(r.groupMembers),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  console.log(`Flow evaluator, one core (${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}), ${FLOW_COUNT} flows per policy`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const at1000 = results.find((r) => r.rules === 1000);
  if (at1000 !== undefined) {
    console.log(
      `targets at 1,000 rules: ${formatRate(at1000.decisionsPerSec)} (≥ 5 M/s: ${at1000.decisionsPerSec >= 5e6 ? 'met' : 'NOT met'}), ` +
        `${at1000.speedupVsNaive}x naive (≥ 50x: ${at1000.speedupVsNaive >= 50 ? 'met' : 'NOT met'})`,
    );
  }
}
