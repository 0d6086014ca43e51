import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { InstanceNetwork } from '../src/agent/enforcer.js';
import { HostAgent } from '../src/agent/host-agent.js';
import type { FeedReceived } from '../src/agent/feed-follower.js';
import { registerHost } from '../src/service/hosts.js';
import { removeAgentNamespaces, startAgent, writeHostCredentials, type RunningAgent } from '../test/harness/agent-process.js';
import { freePort } from '../test/harness/free-port.js';
import { openInProcessApi, type InProcessApi } from './in-process-api.js';
import { benchGet, benchQuery } from './bench-api.js';
import { startStockade, type ServerProcess } from './server-processes.js';

// `npm run bench:fleet [-- --hosts 100 --per-host 100 --real 5 --history 1000000 --samples 20 --json]`
// (issue 10): a fleet on this machine. `--hosts` agents follow one real `stockade serve` over HTTP,
// each on its own host feed; `--per-host` instances each (10,000 by default). The first `--real`
// hosts are real `stockade agent` processes enforcing with nftables in real network namespaces;
// the others are SIMULATED: HostAgents in this process whose enforcer renders every nft
// transaction but does not run it (and whose "namespaces" are a set in memory).
// Groups: every instance holds two. A *service* group has one member on each of 10 consecutive
// hosts (1,000 of them at the default size; the real hosts are among the first 10), and its rules
// admit tcp 5432 from the next service group; a *host* group holds all of one host's instances
// (tcp 22 from 10.0.0.0/8). Before the server starts, the log gets `--history` records of unrelated
// churn (CreateTags on another region's groups), so start-up is measured against a long log.
// Measured, through HTTP:
// - cold start: a simulated agent started from nothing, to every instance of its host in force; a
//   real agent process restarted after a change to its host group, to its 100 instances in force;
// - per change, what every host receives (records, documents, bytes, from the agents' counters);
// - propagation to the real hosts, p50 and p99, for an authorize on a service group (one instance
//   on each of 10 hosts), a membership change its rules see (an instance of a far simulated host
//   joins or leaves the peer service group), and an authorize on a real host's host group (all 100
//   of its namespaces): from the API's answer to the change applied in the kernel of every
//   namespace it touched on every real host (the agents' /metrics: revision at or past the
//   change's, nothing pending; polled every 1 ms), and to every affected instance reported in force
//   to the server (GET /propagation?group=, polled every 2 ms; reports are batched every 20 ms).

const VPC_CIDR = '10.0.0.0/16';
const SUBNET_CIDR = '10.0.0.0/17';
const HISTORY_GROUPS = 1000;
const REGION = 'us-east-1';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1] ?? fallback) : fallback;
}

interface Fleet {
  readonly hostNames: readonly string[];
  readonly credentials: ReadonlyMap<string, { accessKeyId: string; secretAccessKey: string }>;
  /** Host group IDs, by host index. */
  readonly hostGroups: readonly string[];
  /** Service group IDs, by service index. */
  readonly serviceGroups: readonly string[];
  /** Instance IDs by host index, in launch order (round r is index r). */
  readonly instances: readonly string[][];
  readonly loadSeconds: number;
  readonly historySeconds: number;
}

/** Consecutive hosts a service group spans (one member on each). */
const SPREAD = 10;

const hostName = (h: number) => `fleet-${String(h).padStart(3, '0')}`;

/** The service group of round r's instance on host h, and the one its rules admit. */
const serviceOf = (hosts: number, r: number, h: number) => r * Math.ceil(hosts / SPREAD) + Math.floor(h / SPREAD);
const peerServiceOf = (services: number, s: number) => (s + 1) % services;

/** Builds the fleet's state, then the history, in process (see the header). */
async function build(api: InProcessApi, hosts: number, perHost: number, history: number): Promise<Fleet> {
  const started = performance.now();
  const credentials = new Map<string, { accessKeyId: string; secretAccessKey: string }>();
  for (let h = 0; h < hosts; h++) {
    const key = { accessKeyId: `AKIAFLEET${String(h).padStart(11, '0')}`, secretAccessKey: `fleet-secret-${h}-${'x'.repeat(24)}` };
    await api.state.queue.submit(registerHost({ hostName: hostName(h), ...key }));
    credentials.set(hostName(h), key);
  }
  const vpcId = /<vpcId>(vpc-[0-9a-f]+)</.exec(await api.call(REGION, { Action: 'CreateVpc', CidrBlock: VPC_CIDR }))?.[1] ?? '';
  const subnetId = /<subnetId>(subnet-[0-9a-f]+)</.exec(await api.call(REGION, { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: SUBNET_CIDR }))?.[1] ?? '';
  const createGroup = async (name: string) => /<groupId>(sg-[0-9a-f]+)</.exec(await api.call(REGION, { Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: name, VpcId: vpcId }))?.[1] ?? '';
  const hostGroups: string[] = [];
  for (let h = 0; h < hosts; h++) {
    hostGroups.push(await createGroup(`host-${h}`));
    await api.call(REGION, { Action: 'AuthorizeSecurityGroupIngress', GroupId: hostGroups[h] as string, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '22', 'IpPermissions.1.ToPort': '22', 'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8' });
  }
  const services = serviceOf(hosts, perHost - 1, hosts - 1) + 1;
  const serviceGroups: string[] = [];
  for (let s = 0; s < services; s++) serviceGroups.push(await createGroup(`service-${s}`));
  for (let s = 0; s < services; s++) {
    await api.call(REGION, { Action: 'AuthorizeSecurityGroupIngress', GroupId: serviceGroups[s] as string, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '5432', 'IpPermissions.1.ToPort': '5432', 'IpPermissions.1.Groups.1.GroupId': serviceGroups[peerServiceOf(services, s)] as string });
  }
  // One instance per call, host after host: placement (least loaded, ties by name) puts the k-th
  // call's instance on host k mod hosts.
  const instances: string[][] = Array.from({ length: hosts }, () => []);
  for (let r = 0; r < perHost; r++) {
    for (let h = 0; h < hosts; h++) {
      const answer = await api.call(REGION, { Action: 'RunInstances', ImageId: 'ami-12345678', MinCount: '1', MaxCount: '1', SubnetId: subnetId, 'SecurityGroupId.1': hostGroups[h] as string, 'SecurityGroupId.2': serviceGroups[serviceOf(hosts, r, h)] as string });
      instances[h]?.push(/<instanceId>(i-[0-9a-f]+)</.exec(answer)?.[1] ?? '');
    }
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const historyStarted = performance.now();
  // Unrelated churn: another region's groups, retagged; one record per group per call.
  const churnGroups: string[] = [];
  for (let g = 0; g < Math.min(HISTORY_GROUPS, history); g++) {
    churnGroups.push(/<groupId>(sg-[0-9a-f]+)</.exec(await api.call('us-west-2', { Action: 'CreateSecurityGroup', GroupName: `churn-${g}`, GroupDescription: 'history' }))?.[1] ?? '');
  }
  let written = 0;
  for (let round = 0; written < history; round++) {
    const batch = churnGroups.slice(0, Math.min(churnGroups.length, history - written));
    const params: Record<string, string> = { Action: 'CreateTags', 'Tag.1.Key': 'round', 'Tag.1.Value': String(round) };
    batch.forEach((id, i) => (params[`ResourceId.${i + 1}`] = id));
    await api.call('us-west-2', params);
    written += batch.length;
  }
  return { hostNames: Array.from({ length: hosts }, (_, h) => hostName(h)), credentials, hostGroups, serviceGroups, instances, loadSeconds, historySeconds: (performance.now() - historyStarted) / 1000 };
}

/** A simulated host: a HostAgent whose nft transactions are rendered, never run. */
function simulatedAgent(server: ServerProcess, name: string, key: { accessKeyId: string; secretAccessKey: string }): HostAgent {
  const namespaces = new Set<string>();
  const network: InstanceNetwork = {
    existingNamespaces: () => Promise.resolve(new Set(namespaces)),
    createInstanceNamespace: (id) => Promise.resolve(void namespaces.add(id)),
    ensureAttached: () => Promise.resolve(),
    removeInstance: (id) => Promise.resolve(namespaces.delete(id)),
  };
  return new HostAgent({
    serverUrls: [new URL(server.url)],
    hostName: name,
    credentials: key,
    region: REGION,
    resyncIntervalMs: 0,
    log: { info: () => undefined, warn: (fields, message) => process.stderr.write(`${name}: ${message} ${JSON.stringify(fields)}\n`) },
    network,
    // SIMULATION: the transaction was rendered by the enforcer; it is not applied.
    nft: () => Promise.resolve({ kind: 'applied' }),
  });
}

/** Resolves (with the ms since `since`) once every member of `groupId` is in force; polls every 2 ms. */
async function inForce(server: ServerProcess, groupId: string, since: number, limitMs = 30_000): Promise<number> {
  for (;;) {
    const text = await benchGet(server, '/propagation', { group: groupId });
    const elapsed = performance.now() - since;
    if ((JSON.parse(text) as { inForce: boolean }).inForce) return elapsed;
    if (elapsed > limitMs) throw new Error(`${groupId} not in force after ${limitMs} ms: ${text.slice(0, 3000)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A real agent's feed counters, from its /metrics. */
async function realReceived(agent: RunningAgent): Promise<FeedReceived> {
  const text = await (await fetch(`${await agent.metricsUrl()}/metrics`)).text();
  const value = (what: string) => Number(new RegExp(`^stockade_agent_feed_received_total\\{what="${what}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 'NaN');
  return { bytes: value('bytes'), records: value('records'), documents: value('documents'), heartbeats: value('heartbeats'), snapshots: value('snapshots') };
}

/**
 * Resolves (with the ms since `since`) once a real agent has applied revision `revision` and has
 * no instance with work queued or running: the change is in the kernel of every namespace it
 * touched. Its /metrics (unsigned, on loopback) is polled every millisecond.
 */
async function appliedOnHost(agent: RunningAgent, revision: number, since: number, limitMs = 30_000): Promise<number> {
  const url = `${await agent.metricsUrl()}/metrics`;
  for (;;) {
    const text = await (await fetch(url)).text();
    const elapsed = performance.now() - since;
    const applied = Number(/^stockade_agent_revision (\d+)$/m.exec(text)?.[1] ?? 0);
    const pending = Number(/^stockade_agent_instances\{state="pending"\} (\d+)$/m.exec(text)?.[1] ?? 1);
    if (applied >= revision && pending === 0) return elapsed;
    if (elapsed > limitMs) throw new Error(`revision ${revision} not applied after ${limitMs} ms (agent at ${applied}, ${pending} pending)`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

async function main(): Promise<void> {
  const hosts = option('hosts', 100);
  const perHost = option('per-host', 100);
  const realHosts = Math.min(option('real', 5), hosts);
  const history = option('history', 1_000_000);
  const samples = option('samples', 20);
  const workDir = mkdtempSync(path.join(tmpdir(), 'stockade-fleet-'));
  const dataDir = path.join(workDir, 'data');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let server: ServerProcess | undefined;
  const simulated = new Map<string, HostAgent>();
  const real = new Map<string, RunningAgent>();
  let fleet: Fleet | undefined;
  try {
    const api = await openInProcessApi({ dataDir });
    fleet = await build(api, hosts, perHost, history);
    const logLength = api.state.view.revision;
    await api.close();
    log(`fleet: ${hosts} hosts × ${perHost} instances in ${round1(fleet.loadSeconds)} s; history of ${history} records in ${round1(fleet.historySeconds)} s; log length ${logLength}`);
    const serverStarted = performance.now();
    server = await startStockade({ dataDir }, (stop) => void stop);
    await fetch(`${server.url}/health`);
    const serverStartMs = performance.now() - serverStarted;
    const built = fleet;
    const running = server;
    const startReal = async (h: number): Promise<RunningAgent> => {
      const name = built.hostNames[h] as string;
      const file = path.join(workDir, `${name}.json`);
      writeHostCredentials(file, built.credentials.get(name) as { accessKeyId: string; secretAccessKey: string });
      const agent = startAgent({ serverUrl: running.url, hostName: name, credentialsFile: file, resyncSeconds: 0, metricsPort: await freePort() });
      real.set(name, agent);
      return agent;
    };
    // Cold start of a simulated host, alone, against the long log.
    const coldName = built.hostNames[realHosts] as string;
    const coldStarted = performance.now();
    const cold = simulatedAgent(running, coldName, built.credentials.get(coldName) as { accessKeyId: string; secretAccessKey: string });
    cold.start();
    simulated.set(coldName, cold);
    await cold.settled();
    const simulatedColdStartMs = performance.now() - coldStarted;
    // The rest of the fleet.
    const fleetStarted = performance.now();
    for (let h = 0; h < hosts; h++) {
      const name = built.hostNames[h] as string;
      if (h < realHosts) await startReal(h);
      else if (!simulated.has(name)) {
        const agent = simulatedAgent(running, name, built.credentials.get(name) as { accessKeyId: string; secretAccessKey: string });
        agent.start();
        simulated.set(name, agent);
      }
    }
    await Promise.all(built.hostGroups.map((g) => inForce(running, g, performance.now(), 600_000)));
    const fleetInForceMs = performance.now() - fleetStarted;
    log(`server start ${Math.round(serverStartMs)} ms; simulated cold start ${Math.round(simulatedColdStartMs)} ms; whole fleet in force in ${round1(fleetInForceMs / 1000)} s`);

    // Cold start of a real agent process (its namespaces exist): stopped, its group changed, started.
    const restartName = built.hostNames[0] as string;
    await real.get(restartName)?.stop();
    await benchQuery(running, { Action: 'AuthorizeSecurityGroupIngress', GroupId: built.hostGroups[0] as string, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '9', 'IpPermissions.1.ToPort': '9', 'IpPermissions.1.IpRanges.1.CidrIp': '192.0.2.0/24' });
    const restartStarted = performance.now();
    await startReal(0);
    const realRestartMs = await inForce(running, built.hostGroups[0] as string, restartStarted, 60_000);
    log(`real agent restart to in force: ${Math.round(realRestartMs)} ms`);

    // Per change: what each host receives, and how long until the real hosts have it in force.
    const counters = async () => {
      const all = new Map<string, FeedReceived>();
      for (const [name, agent] of simulated) all.set(name, { ...agent.status().received });
      for (const [name, agent] of real) all.set(name, await realReceived(agent));
      return all;
    };
    type Kind = 'service' | 'membership' | 'hostGroup';
    const appliedMs: Record<Kind, number[]> = { service: [], membership: [], hostGroup: [] };
    const reportedMs: Record<Kind, number[]> = { service: [], membership: [], hostGroup: [] };
    const received: { kind: Kind; hostsWithRecords: number; hostsWithAnything: number; bytesToAffected: number; recordsToOthers: number }[] = [];
    /** One change: `group` is the group whose members it affects; `affected`, the hosts that must hear of it. */
    const measure = async (kind: Kind, group: string, change: () => Promise<unknown>, affected: ReadonlySet<string>) => {
      // A quiet moment between samples: earlier reports and heartbeats are in.
      await new Promise((r) => setTimeout(r, 50));
      const before = await counters();
      const started = performance.now();
      await change();
      const members = JSON.parse(await benchGet(running, '/propagation', { group })) as { instances: { desiredRevision: number; hostName: string }[] };
      const revision = Math.max(...members.instances.map((i) => i.desiredRevision));
      const realAffected = [...real].filter(([name]) => members.instances.some((i) => i.hostName === name));
      const applied = await Promise.all(realAffected.map(([, agent]) => appliedOnHost(agent, revision, started)));
      appliedMs[kind].push(Math.max(...applied));
      reportedMs[kind].push(await inForce(running, group, started));
      await new Promise((r) => setTimeout(r, 100));
      const after = await counters();
      let hostsWithRecords = 0;
      let hostsWithAnything = 0;
      let bytesToAffected = 0;
      let recordsToOthers = 0;
      for (const [name, now] of after) {
        const was = before.get(name) as FeedReceived;
        const records = now.records - was.records;
        const documents = now.documents - was.documents;
        if (records > 0) hostsWithRecords++;
        if (records + documents > 0) hostsWithAnything++;
        if (affected.has(name)) bytesToAffected += now.bytes - was.bytes;
        else recordsToOthers += records + documents;
        if (!affected.has(name) && records + documents > 0 && process.env.FLEET_DEBUG) log(`${kind}: ${name} got ${records} records, ${documents} documents`);
      }
      received.push({ kind, hostsWithRecords, hostsWithAnything, bytesToAffected: bytesToAffected / Math.max(1, affected.size), recordsToOthers });
    };
    const services = built.serviceGroups.length;
    const spanOf = (firstHost: number) => built.hostNames.slice(firstHost, firstHost + SPREAD);
    const authorize = (groupId: string, port: number) => () =>
      benchQuery(running, { Action: 'AuthorizeSecurityGroupIngress', GroupId: groupId, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': String(port), 'IpPermissions.1.ToPort': String(port), 'IpPermissions.1.IpRanges.1.CidrIp': '198.51.100.0/24' });
    for (let i = 0; i < samples; i++) {
      // A service group with members on the first SPREAD hosts (the real ones among them).
      const s = serviceOf(hosts, i % perHost, 0);
      await measure('service', built.serviceGroups[s] as string, authorize(built.serviceGroups[s] as string, 10_000 + i), new Set(spanOf(0)));
    }
    for (let i = 0; i < samples; i++) {
      // An instance of a far simulated host joins the service group that service s admits, then leaves it.
      const s = serviceOf(hosts, i % perHost, 0);
      const far = Math.min(hosts - 1, Math.max(realHosts, SPREAD) + (i % Math.max(1, hosts - SPREAD)));
      // Its instance of the next round, whose service group is not the peer.
      const round = ((i % perHost) + 1) % perHost;
      const moved = built.instances[far]?.[round] as string;
      const own = [built.hostGroups[far] as string, built.serviceGroups[serviceOf(hosts, round, far)] as string];
      const peer = built.serviceGroups[peerServiceOf(services, s)] as string;
      const affected = new Set([...spanOf(0), built.hostNames[far] as string]);
      const setGroups = (groups: readonly string[]) => () => benchQuery(running, { Action: 'ModifyInstanceAttribute', InstanceId: moved, ...Object.fromEntries(groups.map((g, k) => [`GroupId.${k + 1}`, g])) });
      await measure('membership', built.serviceGroups[s] as string, setGroups([...own, peer]), affected);
      await measure('membership', built.serviceGroups[s] as string, setGroups(own), affected);
    }
    for (let i = 0; i < samples; i++) {
      const h = i % realHosts;
      await measure('hostGroup', built.hostGroups[h] as string, authorize(built.hostGroups[h] as string, 20_000 + i), new Set([built.hostNames[h] as string]));
    }
    const median = (values: readonly number[]) => percentile(values, 50);
    const result = {
      machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
      hosts,
      instances: hosts * perHost,
      realHosts,
      simulatedHosts: hosts - realHosts,
      logRecords: logLength,
      serverStartMs: Math.round(serverStartMs),
      simulatedColdStartMs: Math.round(simulatedColdStartMs),
      realAgentRestartMs: Math.round(realRestartMs),
      fleetInForceSeconds: round1(fleetInForceMs / 1000),
      ...latencies(appliedMs, reportedMs),
      samples: { service: appliedMs.service.length, membership: appliedMs.membership.length, hostGroup: appliedMs.hostGroup.length },
      perChange: {
        serviceAuthorize: summarise(received.filter((r) => r.kind === 'service')),
        membership: summarise(received.filter((r) => r.kind === 'membership')),
        hostGroupAuthorize: summarise(received.filter((r) => r.kind === 'hostGroup')),
      },
    };
    function summarise(rows: typeof received) {
      return {
        hostsWithRecordsMedian: median(rows.map((r) => r.hostsWithRecords)),
        hostsWithAnythingMedian: median(rows.map((r) => r.hostsWithAnything)),
        bytesPerAffectedHostMedian: Math.round(median(rows.map((r) => r.bytesToAffected))),
        recordsOrDocumentsToUnaffectedHostsMax: Math.max(...rows.map((r) => r.recordsToOthers)),
      };
    }
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(`machine: ${result.machine}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
      process.stdout.write(`fleet: ${hosts} hosts (${realHosts} real, ${hosts - realHosts} SIMULATED: nft rendered, not run) × ${perHost} instances; log of ${logLength.toLocaleString('en')} records\n\n`);
      process.stdout.write('| measure | value |\n|---|---|\n');
      for (const [k, v] of Object.entries(result)) if (typeof v !== 'object') process.stdout.write(`| ${k} | ${v} |\n`);
      for (const [k, v] of Object.entries(result.perChange)) for (const [m, x] of Object.entries(v)) process.stdout.write(`| ${k}: ${m} | ${x} |\n`);
    }
  } finally {
    for (const agent of simulated.values()) await agent.stop();
    for (const agent of real.values()) await agent.stop();
    await server?.stop();
    if (fleet !== undefined) for (let h = 0; h < realHosts; h++) await removeAgentNamespaces(fleet.hostNames[h] as string, fleet.instances[h] ?? []);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** p50 and p99 of each kind of change, in the kernel and as reported: `serviceAuthorizeP50Ms`, `membershipReportedP99Ms`… */
function latencies(applied: Record<'service' | 'membership' | 'hostGroup', number[]>, reported: typeof applied): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, label] of [['service', 'serviceAuthorize'], ['membership', 'membership'], ['hostGroup', 'hostGroupAuthorize']] as const) {
    for (const [phase, values] of [['', applied[kind]], ['Reported', reported[kind]]] as const) {
      out[`${label}${phase}P50Ms`] = round1(percentile(values, 50));
      out[`${label}${phase}P99Ms`] = round1(percentile(values, 99));
    }
  }
  return out;
}

await main();
