import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser } from '../test/harness/browser.js';
import { benchQuery } from './bench-api.js';
import { BOOTSTRAP, startStockade, type ServerProcess } from './server-processes.js';

// `npm run bench:console [-- --sizes 50,200,1000 --loads 5 --json]` (issue 11: "render time of the
// graph view at 50, 200 and 1,000 groups in the test browser"). For each size: a fresh `stockade
// serve`, the groups and their rules made through signed Query calls, a sign-in through the page's
// form in headless Chromium, then `--loads` fresh loads of /console/ with that session. Per load it
// reads what the page records (`data-render-ms`: building the graph and laying it out) and the
// time from navigation start to the graph being drawn; the table gives medians.

/** Rules per group (issue 11's usability bar: 200 groups and 4,000 rules). */
const CIDR_RULES = 12;
const GROUP_RULES = 6;
const PREFIX_LIST_RULES = 2;
/** Customer-managed prefix lists the groups' rules name. */
const PREFIX_LISTS = 3;
/** Requests in flight while loading: the commit queue batches them into shared transactions. */
const IN_FLIGHT = 8;
const PORTS = [22, 80, 443, 3306, 5432, 6379, 8080, 9090] as const;

interface Row {
  readonly groups: number;
  readonly rules: number;
  readonly nodes: number;
  readonly edges: number;
  readonly layout: string;
  readonly stateKiB: number;
  readonly loads: number;
  /** Median of the page's own `data-render-ms`: graph elements, Cytoscape add and layout. */
  readonly renderMs: number;
  /** Median time from navigation start until the state's answer had arrived. */
  readonly stateArrivedMs: number;
  /** Median time from navigation start until the page had recorded its render time (lists and graph built, laid out). */
  readonly renderedMs: number;
  /** Median time from navigation start until the graph was drawn (two animation frames after render). */
  readonly drawnMs: number;
  readonly drawnMaxMs: number;
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** SigV4-signed Query calls as the bootstrap account. */
class Api {
  readonly #server: ServerProcess;

  constructor(server: ServerProcess) {
    this.#server = server;
  }

  /** One call; resolves with the XML body, rejects on any non-200 answer. */
  query(params: Record<string, string>): Promise<string> {
    return benchQuery(this.#server, params);
  }
}

/** A small deterministic generator (mulberry32), so every run builds the same rules. */
function randomFrom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The CIDR peers rules draw from: "anywhere", offices and partners (/24s), and single hosts (/32s);
 * a pool a quarter the size of the group count, so peers are shared as they are in real accounts.
 */
function cidrPool(groups: number): string[] {
  const pool = ['0.0.0.0/0'];
  for (let i = 0; pool.length < Math.max(20, groups / 4); i++) pool.push(i % 3 === 0 ? `198.51.${i % 256}.0/24` : `203.0.${(i >> 8) & 255}.${i & 255}/32`);
  return pool;
}

/**
 * Creates `groups` groups with 20 ingress rules each (CIDR, group-peer and prefix-list peers on
 * common ports), through the API. Returns the number of rules authorized.
 */
async function populate(api: Api, groups: number): Promise<number> {
  const lists: string[] = [];
  for (let l = 0; l < PREFIX_LISTS; l++) {
    const xml = await api.query({ Action: 'CreateManagedPrefixList', PrefixListName: `partners-${l}`, AddressFamily: 'IPv4', MaxEntries: '5', 'Entry.1.Cidr': `192.0.2.${l * 16}/28` });
    lists.push(/<prefixListId>(pl-[0-9a-f]+)</.exec(xml)?.[1] ?? '');
  }
  const groupIds: string[] = new Array<string>(groups).fill('');
  await inParallel(groups, async (g) => {
    const xml = await api.query({ Action: 'CreateSecurityGroup', GroupName: `console-bench-${g}`, GroupDescription: `console bench ${g}` });
    groupIds[g] = /<groupId>(sg-[0-9a-f]+)</.exec(xml)?.[1] ?? '';
  });
  const pool = cidrPool(groups);
  let rules = 0;
  await inParallel(groups, async (g) => {
    const random = randomFrom(g + 1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    // One permission per rule; a (port, peer) pair drawn twice is skipped, as EC2 would refuse it.
    const seen = new Set<string>();
    const params: Record<string, string> = { Action: 'AuthorizeSecurityGroupIngress', GroupId: groupIds[g] ?? '' };
    let n = 0;
    const add = (peerKey: string, peer: Record<string, string>) => {
      const port = pick(PORTS);
      if (seen.has(`${port} ${peerKey}`)) return;
      seen.add(`${port} ${peerKey}`);
      n++;
      Object.assign(params, { [`IpPermissions.${n}.IpProtocol`]: 'tcp', [`IpPermissions.${n}.FromPort`]: String(port), [`IpPermissions.${n}.ToPort`]: String(port) });
      for (const [k, v] of Object.entries(peer)) params[`IpPermissions.${n}.${k}`] = v;
    };
    while (n < CIDR_RULES) {
      const cidr = pick(pool);
      add(cidr, { 'IpRanges.1.CidrIp': cidr });
    }
    while (n < CIDR_RULES + GROUP_RULES) {
      const peer = groupIds[Math.floor(random() * groups)] ?? '';
      add(peer, { 'Groups.1.GroupId': peer });
    }
    while (n < CIDR_RULES + GROUP_RULES + PREFIX_LIST_RULES) {
      const list = pick(lists);
      add(list, { 'PrefixListIds.1.PrefixListId': list });
    }
    await api.query(params);
    rules += n;
  });
  return rules;
}

async function inParallel(count: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
}

// What the callbacks below touch in the browser (this compilation has no DOM lib).
interface BrowserGlobals {
  document: { body: { dataset: Record<string, string | undefined> }; addEventListener(type: string, f: () => void): void };
  performance: { now(): number; getEntriesByType(type: string): { name: string; responseEnd: number; transferSize: number; decodedBodySize: number }[] };
  requestAnimationFrame(f: () => void): void;
  MutationObserver: new (f: () => void) => { observe(target: object, options: object): void; disconnect(): void };
  cy: { nodes(): { length: number }; edges(): { length: number } };
  renderedAtMs?: number;
  drawnAtMs?: number;
}
declare const window: BrowserGlobals;

/**
 * Installed before the page's own scripts: when the page records `data-render-ms`, wait two
 * animation frames (Cytoscape draws on the frame after its elements change) and note the time
 * since navigation start.
 */
function recordDrawnTime(): void {
  const observer = new window.MutationObserver(() => {
    if (window.document.body?.dataset.renderMs === undefined) return;
    observer.disconnect();
    window.renderedAtMs = window.performance.now();
    window.requestAnimationFrame(() => window.requestAnimationFrame(() => (window.drawnAtMs = window.performance.now())));
  });
  observer.observe(window.document, { attributes: true, subtree: true, attributeFilter: ['data-render-ms'] });
}

interface Load {
  readonly renderMs: number;
  readonly drawnMs: number;
  readonly renderedMs: number;
  readonly stateArrivedMs: number;
  readonly stateBytes: number;
  readonly nodes: number;
  readonly edges: number;
  readonly layout: string;
}

async function measureLoad(page: Page, url: string): Promise<Load> {
  await page.goto(`${url}/console/`);
  await page.waitForFunction(() => window.drawnAtMs !== undefined, { timeout: 120_000, polling: 50 });
  return page.evaluate(() => {
    const state = window.performance.getEntriesByType('resource').find((e) => e.name.includes('/console/api/state'));
    return {
      renderMs: Number(window.document.body.dataset.renderMs),
      drawnMs: window.drawnAtMs ?? 0,
      renderedMs: window.renderedAtMs ?? 0,
      stateArrivedMs: state?.responseEnd ?? 0,
      stateBytes: state?.decodedBodySize ?? 0,
      nodes: window.cy.nodes().length,
      edges: window.cy.edges().length,
      layout: window.document.body.dataset.graphLayout ?? '',
    };
  });
}

async function measureSize(browser: Browser, groups: number, loads: number, workDir: string): Promise<Row> {
  let stop = async () => {};
  const server = await startStockade({ dataDir: path.join(workDir, String(groups)) }, (s) => (stop = s));
  const page = await browser.newPage();
  try {
    const rules = await populate(new Api(server), groups);
    await page.setViewport({ width: 1400, height: 1000 });
    await page.evaluateOnNewDocument(recordDrawnTime);
    await page.goto(`${server.url}/console/`);
    await page.waitForSelector('#sign-in:not([hidden])');
    await page.type('#access-key-id', BOOTSTRAP.accessKeyId);
    await page.type('#secret-access-key', BOOTSTRAP.secretAccessKey);
    await page.click('#sign-in-button');
    // The sign-in's own render is a warm-up: the measured loads are fresh navigations with the session.
    await page.waitForFunction(() => window.drawnAtMs !== undefined, { timeout: 120_000, polling: 50 });
    const measured: Load[] = [];
    for (let i = 0; i < loads; i++) measured.push(await measureLoad(page, server.url));
    const last = measured[measured.length - 1] as Load;
    const drawn = measured.map((m) => m.drawnMs);
    return {
      groups,
      rules,
      nodes: last.nodes,
      edges: last.edges,
      layout: last.layout,
      stateKiB: Math.round(last.stateBytes / 1024),
      loads,
      renderMs: Math.round(median(measured.map((m) => m.renderMs))),
      stateArrivedMs: Math.round(median(measured.map((m) => m.stateArrivedMs))),
      renderedMs: Math.round(median(measured.map((m) => m.renderedMs))),
      drawnMs: Math.round(median(drawn)),
      drawnMaxMs: Math.round(Math.max(...drawn)),
    };
  } finally {
    await page.close();
    await stop();
  }
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const sizes = option('sizes', '50,200,1000').split(',').map(Number);
  const loads = Number(option('loads', '5'));
  const workDir = mkdtempSync(path.join(tmpdir(), 'stockade-console-bench-'));
  const loadBefore = loadavg();
  const browser = await launchBrowser();
  const rows: Row[] = [];
  try {
    for (const groups of sizes) {
      rows.push(await measureSize(browser, groups, loads, workDir));
      process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
    }
  } finally {
    await browser.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  if (process.argv.includes('--json')) return void process.stdout.write(`${JSON.stringify(rows)}\n`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${load(loadBefore)} before, ${load(loadavg())} after; ${loads} loads per size, medians\n`);
  process.stdout.write('| groups | rules | nodes | edges | layout | state KiB | page render ms | state arrived ms | rendered ms | drawn ms | drawn max ms |\n|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n');
  for (const r of rows)
    process.stdout.write(`| ${r.groups.toLocaleString('en')} | ${r.rules.toLocaleString('en')} | ${r.nodes} | ${r.edges} | ${r.layout} | ${r.stateKiB} | ${r.renderMs} | ${r.stateArrivedMs} | ${r.renderedMs} | ${r.drawnMs} | ${r.drawnMaxMs} |\n`);
}

await main();
