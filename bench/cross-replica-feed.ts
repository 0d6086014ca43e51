import { execFile } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import pg from 'pg';
import { Sha256 } from '../test/harness/sha256.js';
import { ACCESS_KEY, SECRET_KEY, STOCKADE_BIN, type ServerProcess } from './server-processes.js';

const run = promisify(execFile);
const REGION = 'us-east-1';
/** Ports of the probe rules: write i authorizes tcp FIRST_PORT + i, so a feed record names its write. */
const FIRST_PORT = 10_000;
/** A write whose record has not reached both feeds within this is a failure of the run. */
const ARRIVAL_LIMIT_MS = 5000;
/** Probe rules per group, below the default quota of 60 ingress rules per group. */
const RULES_PER_GROUP = 50;

/** Delays in ms from the writer's response to a feed's line, over the measured writes. */
export interface DelaySummary {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

/** The feed propagation measured on two replicas of one database. */
export interface FeedPropagation {
  /** Write on replica A, record delivered by replica B's feed (the measure). */
  readonly crossReplica: DelaySummary;
  /** The same writes, delivered by A's own feed: the delay without the hop between replicas. */
  readonly sameReplica: DelaySummary;
}

/** Nearest-rank percentile of sorted values (as sg-load.mjs computes its own). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function summarize(delays: readonly number[]): DelaySummary {
  const sorted = [...delays].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    samples: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p90Ms: round(percentile(sorted, 90)),
    p99Ms: round(percentile(sorted, 99)),
    minMs: round(sorted[0] ?? NaN),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/** An open `GET /feed` whose RulesAuthorized lines are timestamped on arrival, by the rule's port. */
interface TimedFeed {
  /** performance.now() when the line naming each port arrived. */
  readonly arrivals: Map<number, number>;
  /** Resolves once a line for `port` has arrived; rejects after ARRIVAL_LIMIT_MS. */
  arrival(port: number): Promise<number>;
  close(): void;
}

async function openTimedFeed(server: ServerProcess, since: number, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<TimedFeed> {
  const signer = new SignatureV4({ service: 'ec2', region: REGION, credentials, sha256: Sha256 });
  const host = `127.0.0.1:${server.port}`;
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path: '/feed', query: { since: String(since) }, headers: { host } });
  const arrivals = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const req = http.get({ host: '127.0.0.1', port: server.port, path: `/feed?since=${since}`, headers: signed.headers, agent: false });
  await new Promise<void>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.once('end', () => reject(new Error(`GET /feed on ${host}: HTTP ${res.statusCode} ${body.slice(0, 300)}`)));
        return;
      }
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        // One timestamp per chunk: the moment the bytes reached this process.
        const at = performance.now();
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const part of parts) {
          if (part.length === 0) continue;
          const line = JSON.parse(part) as { change?: { kind: string; rules?: readonly { fromPort?: number }[] } };
          if (line.change?.kind !== 'RulesAuthorized') continue;
          for (const rule of line.change.rules ?? []) {
            if (rule.fromPort === undefined || arrivals.has(rule.fromPort)) continue;
            arrivals.set(rule.fromPort, at);
            waiters.get(rule.fromPort)?.();
          }
        }
      });
      resolve();
    });
  });
  return {
    arrivals,
    arrival(port) {
      const seen = arrivals.get(port);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(port);
          reject(new Error(`the record of port ${port} did not reach the feed on ${host} within ${ARRIVAL_LIMIT_MS} ms`));
        }, ARRIVAL_LIMIT_MS);
        waiters.set(port, () => {
          clearTimeout(timer);
          waiters.delete(port);
          resolve(arrivals.get(port) ?? NaN);
        });
      });
    },
    close: () => req.destroy(),
  };
}

/** SigV4-signed Query calls as the bootstrap account, over one kept-alive connection. */
class QueryClient {
  readonly #server: ServerProcess;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly #signer = new SignatureV4({ service: 'ec2', region: REGION, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }, sha256: Sha256 });

  constructor(server: ServerProcess) {
    this.#server = server;
  }

  /** One call; resolves with the body and `at`, performance.now() when the response's headers arrived. */
  async call(params: Record<string, string>): Promise<{ body: string; at: number }> {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const host = `127.0.0.1:${this.#server.port}`;
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: this.#server.port,
      path: '/',
      query: {},
      headers: { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.#server.port, path: '/', method: 'POST', headers: signed.headers, agent: this.#agent });
      req.once('error', reject);
      req.once('response', (res) => {
        const at = performance.now();
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.once('end', () => {
          if (res.statusCode === 200) return resolve({ body: text, at });
          reject(new Error(`${params.Action} on ${host}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
        });
      });
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Registers a host (`stockade hosts add`), opens `GET /feed?since=<log head>` with its key on both
 * replicas, then makes `warmup + writes` single-rule AuthorizeSecurityGroupIngress calls on `writer`,
 * one at a time: each waits until both feeds have delivered the previous one's record, then
 * `pauseMs`. A sample is the delay from the writer's response (headers) to the arrival of the
 * feed line holding that rule; the first `warmup` calls are not counted. Throws if a record does
 * not arrive within 5 s.
 */
export async function measureFeedPropagation(options: {
  readonly writer: ServerProcess;
  readonly reader: ServerProcess;
  readonly database: string;
  readonly writes: number;
  readonly warmup: number;
  readonly pauseMs: number;
}): Promise<FeedPropagation> {
  const hostName = `bench-feed-${Date.now().toString(36)}`;
  const { stdout } = await run(process.execPath, [STOCKADE_BIN, 'hosts', 'add', '--name', hostName, '--json', '--database', options.database]);
  const credentials = JSON.parse(stdout) as { accessKeyId: string; secretAccessKey: string };
  const client = new pg.Client({ connectionString: options.database });
  await client.connect();
  const head = await client.query<{ revision: string }>('SELECT revision FROM log_head').finally(() => client.end());
  const since = Number(head.rows[0]?.revision ?? 0);
  const api = new QueryClient(options.writer);
  const feeds: TimedFeed[] = [];
  try {
    const remote = await openTimedFeed(options.reader, since, credentials);
    feeds.push(remote);
    const local = await openTimedFeed(options.writer, since, credentials);
    feeds.push(local);
    // A group per RULES_PER_GROUP writes: the default quota is 60 ingress rules per group.
    const groupIds: string[] = [];
    for (let g = 0; g < Math.ceil((options.warmup + options.writes) / RULES_PER_GROUP); g++) {
      const created = await api.call({ Action: 'CreateSecurityGroup', GroupName: `${hostName}-${g}`, GroupDescription: 'feed propagation probe' });
      const groupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(created.body)?.[1];
      if (groupId === undefined) throw new Error(`CreateSecurityGroup: no groupId in ${created.body.slice(0, 300)}`);
      groupIds.push(groupId);
    }
    const cross: number[] = [];
    const same: number[] = [];
    for (let i = 0; i < options.warmup + options.writes; i++) {
      const port = FIRST_PORT + i;
      const { at } = await api.call({
        Action: 'AuthorizeSecurityGroupIngress',
        GroupId: groupIds[Math.floor(i / RULES_PER_GROUP)] ?? '',
        'IpPermissions.1.IpProtocol': 'tcp',
        'IpPermissions.1.FromPort': String(port),
        'IpPermissions.1.ToPort': String(port),
        'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8',
      });
      const [atRemote, atLocal] = await Promise.all([remote.arrival(port), local.arrival(port)]);
      if (i >= options.warmup) {
        cross.push(atRemote - at);
        same.push(atLocal - at);
      }
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
    return { crossReplica: summarize(cross), sameReplica: summarize(same) };
  } finally {
    for (const feed of feeds) feed.close();
    api.close();
  }
}
