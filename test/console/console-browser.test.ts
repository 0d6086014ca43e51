import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupRulesCommand,
  EC2Client,
  RunInstancesCommand,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import type { Browser, Page } from 'puppeteer-core';
import { launchBrowser, SCREENSHOT_DIR } from '../harness/browser.js';
import { ec2Client } from '../harness/clients.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

/** What the page's Cytoscape instance holds: node IDs, and each edge's ends and rule IDs. */
interface DrawnGraph {
  readonly nodes: string[];
  readonly edges: { source: string; target: string; ruleIds: string[] }[];
}

// What page.evaluate's callbacks touch in the browser (the test's own compilation has no DOM lib).
declare const document: { body: { dataset: Record<string, string | undefined> }; querySelector(selector: string): { textContent: string | null } | null };
declare const window: { cy: { nodes(): { map<T>(f: (n: { id(): string }) => T): T[] }; edges(): { map<T>(f: (e: { data(k: string): unknown }) => T): T[] } } };

async function drawnGraph(page: Page): Promise<DrawnGraph> {
  return page.evaluate(() => ({
    nodes: window.cy.nodes().map((n) => n.id()),
    edges: window.cy.edges().map((e) => ({
      source: e.data('source') as string,
      target: e.data('target') as string,
      ruleIds: (e.data('rules') as { ruleId: string }[]).map((r) => r.ruleId),
    })),
  }));
}

/** The node a rule's peer is drawn as, from the SDK's own description of the rule. */
function peerNode(rule: SecurityGroupRule): string {
  const cidr = rule.CidrIpv4 ?? rule.CidrIpv6;
  if (cidr !== undefined) return cidr === '0.0.0.0/0' || cidr === '::/0' ? 'anywhere' : `cidr:${cidr}`;
  return rule.PrefixListId ?? rule.ReferencedGroupInfo?.GroupId ?? '';
}

async function signIn(page: Page, server: RunningStockade, credentials: AccountCredentials): Promise<void> {
  await page.goto(`${server.url}/console/`);
  await page.waitForSelector('#sign-in:not([hidden])');
  await page.type('#access-key-id', credentials.accessKeyId);
  await page.type('#secret-access-key', credentials.secretAccessKey);
  await page.click('#sign-in-button');
  await page.waitForFunction(() => document.body.dataset.revision !== undefined);
}

describe('the console in a real Chromium (issue 11)', () => {
  let server: RunningStockade;
  let ec2: EC2Client;
  let other: AccountCredentials;
  let browser: Browser;
  let page: Page;
  let web = '';
  let app = '';
  let theirGroup = '';
  let db = { id: '', ip: '' };
  let client = { id: '', ip: '' };

  before(async () => {
    server = await startStockade();
    ec2 = ec2Client(server);
    other = await server.createAccount({ accountId: '444455556666', platform: 'vpc-only' });
    const theirs = ec2Client(server, other);
    theirGroup = (await theirs.send(new CreateSecurityGroupCommand({ GroupName: 'partner', Description: 'partner' }))).GroupId ?? '';
    theirs.destroy();
    web = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier' }))).GroupId ?? '';
    app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app tier' }))).GroupId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] },
        ],
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: web }] },
        ],
      }),
    );
    const s3 = (await signedFetch(server, { method: 'POST', path: '/', body: 'Action=DescribeManagedPrefixLists&Version=2016-11-15' })).body;
    const s3List = /<prefixListId>(pl-[0-9a-f]+)<\/prefixListId>\s*<addressFamily>IPv4<\/addressFamily>[\s\S]*?<prefixListName>com\.amazonaws\.us-east-1\.s3</.exec(s3)?.[1] ?? /<prefixListId>(pl-[0-9a-f]+)</.exec(s3)?.[1] ?? '';
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: s3List }] }] }));
    const launch = async (groups: string[]) => {
      const i = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: groups }))).Instances?.[0];
      return { id: i?.InstanceId ?? '', ip: i?.PrivateIpAddress ?? '' };
    };
    db = await launch([app]);
    client = await launch([web]);
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
  });
  after(async () => {
    await browser?.close();
    ec2.destroy();
    await server.stop();
  });

  test('sign in, and see the groups and rules made through the SDK', async () => {
    await signIn(page, server, server.bootstrap);
    assert.equal(await page.$eval('#account-id', (e) => e.textContent), server.bootstrap.accountId);
    // The secret is gone from the page once signed in.
    assert.equal(await page.$eval('#secret-access-key', (e) => (e as unknown as { value: string }).value), '');
    const rows = await page.$$eval('#groups tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    const webRow = rows.find((r) => r.includes(web)) ?? '';
    assert.match(webRow, /tcp 443 from anywhere \(0\.0\.0\.0\/0\)/);
    assert.match(webRow, /tcp 443 from anywhere \(::\/0\)/);
    assert.match(webRow, /tcp 22 from 203\.0\.113\.0\/24/);
    assert.match(rows.find((r) => r.includes(app)) ?? '', /tcp 8080 from sg-/);
    const instances = await page.$$eval('#instances tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.ok(instances.some((r) => r.includes(db.id) && r.includes(db.ip) && r.includes(app)));
  });

  test("the graph's nodes and edges are the rules: one edge per sender, receiver and direction, holding exactly its rules", async () => {
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({}))).SecurityGroupRules ?? [];
    const expected = new Map<string, Set<string>>();
    const nodes = new Set<string>();
    for (const rule of rules) {
      const group = rule.GroupId ?? '';
      const peer = peerNode(rule);
      nodes.add(group).add(peer);
      const key = rule.IsEgress === true ? `${group} ${peer}` : `${peer} ${group}`;
      expected.set(`${rule.IsEgress === true ? 'egress' : 'ingress'} ${key}`, (expected.get(`${rule.IsEgress === true ? 'egress' : 'ingress'} ${key}`) ?? new Set()).add(rule.SecurityGroupRuleId ?? ''));
    }
    const drawn = await drawnGraph(page);
    assert.deepEqual(new Set(drawn.nodes), nodes);
    const drawnEdges = new Map<string, Set<string>>();
    for (const e of drawn.edges) {
      const direction = e.ruleIds.length > 0 && rules.find((r) => r.SecurityGroupRuleId === e.ruleIds[0])?.IsEgress === true ? 'egress' : 'ingress';
      drawnEdges.set(`${direction} ${e.source} ${e.target}`, new Set(e.ruleIds));
    }
    assert.deepEqual(drawnEdges, expected);
    // 0.0.0.0/0 and ::/0 are one "anywhere" node (other accounts' groups: graph-model.test.ts).
    assert.ok(drawn.nodes.includes('anywhere'));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'graph.png') });
  });

  test('selecting a group shows its rules and highlights what it reaches and what reaches it; selecting an edge shows its rules', async () => {
    await page.evaluate((id) => (window as unknown as { cy: { getElementById(i: string): { emit(e: string): void } } }).cy.getElementById(id).emit('tap'), web);
    await page.waitForSelector('#detail table.rules-ingress');
    const ruleRows = await page.$$eval('#detail table.rules-ingress tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    assert.equal(ruleRows.length, 3);
    assert.ok(ruleRows.some((r) => r.includes('tcp 22') && r.includes('office')));
    const marked = await page.evaluate(() => {
      const cy = (window as unknown as { cy: { edges(s: string): { map<T>(f: (e: { data(k: string): string }) => T): T[] } } }).cy;
      return { out: cy.edges('.reach-out').map((e) => e.data('target')), in: cy.edges('.reach-in').map((e) => e.data('source')) };
    });
    assert.ok(marked.out.includes(app), 'web reaches app');
    assert.ok(marked.in.includes('anywhere'), 'anywhere reaches web');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'group-detail.png') });
    await page.evaluate((id) => (window as unknown as { cy: { getElementById(i: string): { emit(e: string): void } } }).cy.getElementById(id).emit('tap'), `ingress:${web}->${app}`);
    const edgeRules = await page.$$eval('#edge-rules li', (lis) => lis.map((li) => li.textContent ?? ''));
    assert.equal(edgeRules.length, 1);
    assert.match(edgeRules[0] ?? '', /tcp 8080 from sg-/);
  });

  test('"can A reach B?" answers as GET /explain does, for an admitted and a refused flow, and draws the path', async () => {
    const explain = async (instance: string, flow: Record<string, string>) =>
      JSON.parse((await signedFetch(server, { method: 'GET', path: '/explain', query: { instance, ...flow } })).body) as { admitted: boolean; matches?: { ruleId: string }[] };
    const ask = async (source: string, port: string) => {
      await page.$eval('#reach-source', (e, v) => ((e as unknown as { value: string }).value = v), source);
      await page.select('#reach-destination', db.id);
      await page.select('#reach-protocol', 'tcp');
      await page.$eval('#reach-port', (e, v) => ((e as unknown as { value: string }).value = v), port);
      // The previous answer is cleared, so the wait below sees this one.
      await page.$eval('#reach-result', (e) => (e as unknown as { replaceChildren(): void }).replaceChildren());
      await page.click('#reach-button');
      await page.waitForFunction((p) => document.querySelector('#reach-result .reach-path p')?.textContent?.includes(p) === true, {}, source);
      return {
        verdict: await page.$eval('#reach-verdict', (e) => e.textContent ?? ''),
        ruleIds: await page.$$eval('#reach-result li[data-rule-id]', (lis) => lis.map((li) => li.getAttribute('data-rule-id') ?? '')),
      };
    };
    const admitted = await ask(client.id, '8080');
    const ingress = await explain(db.id, { direction: 'ingress', protocol: 'tcp', port: '8080', peer: client.ip });
    const egress = await explain(client.id, { direction: 'egress', protocol: 'tcp', port: '8080', peer: db.ip });
    assert.equal(admitted.verdict, 'Admitted');
    assert.equal(ingress.admitted && egress.admitted, true);
    assert.deepEqual(new Set(admitted.ruleIds), new Set([...(egress.matches ?? []), ...(ingress.matches ?? [])].map((m) => m.ruleId)));
    const onPath = await page.evaluate(() => (window as unknown as { cy: { edges(s: string): { length: number } } }).cy.edges('.path').length);
    assert.ok(onPath >= 2, 'the path is drawn: source egress and destination ingress');
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'reachability.png') });
    const refused = await ask(client.id, '22');
    assert.equal((await explain(db.id, { direction: 'ingress', protocol: 'tcp', port: '22', peer: client.ip })).admitted, false);
    assert.match(refused.verdict, /^Not admitted/);
  });

  test('an edit made in the console is visible through the SDK; a refused one shows EC2\'s text', async () => {
    await page.select('#rule-group', app);
    await page.select('#rule-direction', 'ingress');
    for (const [id, value] of [['#rule-protocol', 'tcp'], ['#rule-from', '5432'], ['#rule-to', '5432'], ['#rule-peer', '10.0.0.0/16'], ['#rule-description', 'from the console']] as const)
      await page.$eval(id, (e, v) => ((e as unknown as { value: string }).value = v), value);
    await page.click('#add-rule-button');
    await page.waitForFunction(() => document.querySelector('#groups')?.textContent?.includes('tcp 5432 from 10.0.0.0/16') === true);
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [app] }] }))).SecurityGroupRules ?? [];
    assert.ok(rules.some((r) => r.FromPort === 5432 && r.CidrIpv4 === '10.0.0.0/16' && r.Description === 'from the console' && r.IsEgress === false));
    await page.click('#add-rule-button');
    await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '') !== '');
    assert.equal(
      await page.$eval('#error', (e) => e.textContent),
      'InvalidPermission.Duplicate: the specified rule "peer: 10.0.0.0/16, TCP, from port: 5432, to port: 5432, ALLOW" already exists',
    );
  });

  test('a change made through the SDK appears in the open console without a reload', async () => {
    const before = await page.evaluate(() => performance.now());
    const added = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: web, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '198.51.100.0/24' }] }] }));
    const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    await page.waitForFunction(
      (id) => (window as unknown as { cy: { edges(): { some(f: (e: { data(k: string): { ruleId: string }[] }) => boolean): boolean } } }).cy.edges().some((e) => e.data('rules').some((r) => r.ruleId === id)),
      { timeout: 5000 },
      ruleId,
    );
    const elapsed = (await page.evaluate(() => performance.now())) - before;
    // Reported, not asserted (speed is for benchmarks): the issue asks for under a second.
    process.stdout.write(`# live update seen by the page after ${Math.round(elapsed)} ms\n`);
  });

  test("another account's session sees none of it", async () => {
    const context = await browser.createBrowserContext();
    try {
      const theirs = await context.newPage();
      await signIn(theirs, server, other);
      const drawn = await drawnGraph(theirs);
      for (const id of [web, app]) assert.ok(!drawn.nodes.includes(id));
      const text = await theirs.$eval('#app', (e) => e.textContent ?? '');
      for (const id of [web, app, db.id, client.id]) assert.ok(!text.includes(id), `${id} shown to another account`);
      assert.ok(text.includes(theirGroup), 'their own group is shown');
    } finally {
      await context.close();
    }
  });

  test('from the page, a missing or forged CSRF token is refused; a signed-out session is refused', async () => {
    const statuses = await page.evaluate(async () => {
      const post = (headers: Record<string, string>) =>
        fetch('/console/api/groups/create', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ groupName: 'sneaky', description: 'x' }) }).then(async (r) => [r.status, ((await r.json()) as { error: { code: string } }).error.code]);
      return [await post({}), await post({ 'X-CSRF-Token': 'forged' })];
    });
    assert.deepEqual(statuses, [
      [403, 'ConsoleCsrfTokenInvalid'],
      [403, 'ConsoleCsrfTokenInvalid'],
    ]);
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    const after = await page.evaluate(async () => (await fetch('/console/api/state')).status);
    assert.equal(after, 401);
    await page.reload();
    await page.waitForSelector('#sign-in:not([hidden])');
  });
});
