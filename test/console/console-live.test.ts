import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { launchBrowser } from '../harness/browser.js';
import { ec2Client } from '../harness/clients.js';
import { consoleCall, consoleSignIn, openConsoleEvents, type ConsoleEvents, type ConsoleSessionHandle } from '../harness/console-client.js';
import { addHost } from '../harness/feed-client.js';
import { signedFetch } from '../harness/signed-fetch.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// The live stream beyond the account's own records (issue 11, "desired vs enforced" and "a live
// picture"): a host's enforcement report for one of the account's instances, and another
// account's change to a group the account's rules name. EC2-Classic accounts, where a rule can
// name another account's group (spec/semantics.md §4.4).

// What page.evaluate's callbacks touch in the browser (the test's own compilation has no DOM lib).
declare const window: { loadedOnce?: boolean };
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

interface InstanceRow {
  readonly instanceId: string;
  readonly desiredRevision: number;
  readonly enforcedRevision: number;
  readonly inForce: boolean | null;
}

/** How many events of a name the stream has seen so far. */
function count(events: ConsoleEvents, name: string): number {
  return events.seen.filter((e) => e.name === name).length;
}

describe('the console live stream: enforcement reports and other accounts’ groups (issue 11)', () => {
  let server: RunningStockade;
  let host: AccountCredentials & { hostName: string };
  let ours: EC2Client;
  let theirs: EC2Client;
  let mine: ConsoleSessionHandle;
  let theirSession: ConsoleSessionHandle;
  let ourInstance = '';
  let theirInstance = '';

  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'classic' } });
    // Registered first, so every instance is placed on it and has a host to report for it.
    host = await addHost(server, 'host-a');
    const other = await server.createAccount({ accountId: '999988887777', platform: 'classic' });
    ours = ec2Client(server);
    theirs = ec2Client(server, other);
    await theirs.send(new CreateSecurityGroupCommand({ GroupName: 'partner', Description: 'named by our rule' }));
    await theirs.send(new CreateSecurityGroupCommand({ GroupName: 'unrelated', Description: 'named by no rule of ours' }));
    await ours.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
    await ours.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupName: 'web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [{ GroupName: 'partner', UserId: other.accountId }] }] }),
    );
    const launch = async (client: EC2Client, group: string) =>
      (await client.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroups: [group] }))).Instances?.[0]?.InstanceId ?? '';
    ourInstance = await launch(ours, 'web');
    theirInstance = await launch(theirs, 'unrelated');
    mine = await consoleSignIn(server);
    theirSession = await consoleSignIn(server, other);
  });
  after(async () => {
    ours.destroy();
    theirs.destroy();
    await server.stop();
  });

  async function instanceRow(session: ConsoleSessionHandle, instanceId: string): Promise<InstanceRow> {
    const state = await consoleCall(server, 'state', { cookie: session.cookie });
    const row = (state.body.instances as InstanceRow[]).find((i) => i.instanceId === instanceId);
    assert.ok(row !== undefined, `${instanceId} in the state`);
    return row;
  }

  async function report(instanceId: string, revision: number): Promise<void> {
    const body = JSON.stringify({ instances: { [instanceId]: revision } });
    const answer = await signedFetch(server, { method: 'POST', path: '/feed/enforced', body, headers: { 'content-type': 'application/json' } }, { credentials: host });
    assert.equal(answer.status, 200, answer.body);
  }

  test('a host’s report for one of the account’s instances is pushed, and the state then shows it in force; another account’s report is not', async () => {
    const ourEvents = await openConsoleEvents(server, mine);
    const theirEvents = await openConsoleEvents(server, theirSession);
    try {
      const before = await instanceRow(mine, ourInstance);
      assert.equal(before.inForce, false);
      // Their instance's report first: were it pushed to us, it would arrive before ours.
      const theirs = await instanceRow(theirSession, theirInstance);
      await report(theirInstance, theirs.desiredRevision);
      assert.deepEqual(JSON.parse(await theirEvents.next('enforced')), { instanceIds: [theirInstance] });
      const pushed = ourEvents.next('enforced');
      await report(ourInstance, before.desiredRevision);
      assert.deepEqual(JSON.parse(await pushed), { instanceIds: [ourInstance] });
      assert.equal(count(ourEvents, 'enforced'), 1);
      const after = await instanceRow(mine, ourInstance);
      assert.deepEqual([after.enforcedRevision, after.inForce], [before.desiredRevision, true]);
      // A report is not a change of the account's records.
      assert.equal(count(ourEvents, 'changed'), 0);
      assert.equal(count(theirEvents, 'enforced'), 1);
    } finally {
      ourEvents.close();
      theirEvents.close();
    }
  });

  test('another account’s change to a group our rules name is pushed (members, rules); a change to another of its groups is not', async () => {
    const ourEvents = await openConsoleEvents(server, mine);
    const theirEvents = await openConsoleEvents(server, theirSession);
    try {
      // An instance joins the named group: what our rule admits changed.
      let pushed = ourEvents.next('peer-changed');
      const joined = (await theirs.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroups: ['partner'] }))).Instances?.[0]?.InstanceId ?? '';
      assert.equal(typeof JSON.parse(await pushed).revision, 'number');
      assert.equal(count(ourEvents, 'peer-changed'), 1);
      // A rule of their unrelated group, then one of the named group: only the second is pushed.
      await theirs.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'unrelated', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
      pushed = ourEvents.next('peer-changed');
      await theirs.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'partner', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }));
      await pushed;
      assert.equal(count(ourEvents, 'peer-changed'), 2);
      // Their instance leaves the named group by terminating.
      pushed = ourEvents.next('peer-changed');
      await theirs.send(new TerminateInstancesCommand({ InstanceIds: [joined] }));
      await pushed;
      assert.equal(count(ourEvents, 'peer-changed'), 3);
      // None of it was ours, and the content of their records never reached our stream.
      assert.equal(count(ourEvents, 'changed'), 0);
      assert.ok(ourEvents.seen.every((e) => !e.data.includes('RulesAuthorized') && !e.data.includes(joined)), JSON.stringify(ourEvents.seen));
      // They saw their own changes; our rule names none of our groups for them.
      assert.ok(count(theirEvents, 'changed') >= 3);
      assert.equal(count(theirEvents, 'peer-changed'), 0);
    } finally {
      ourEvents.close();
      theirEvents.close();
    }
  });

  test('in the browser, the instance row turns from pending to in force when the host reports, without a reload', async () => {
    // A rule change makes the instance's desired revision newer than what the host enforces.
    await ours.send(new AuthorizeSecurityGroupIngressCommand({ GroupName: 'web', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443, IpRanges: [{ CidrIp: '10.1.0.0/16' }] }] }));
    const pending = await instanceRow(mine, ourInstance);
    assert.equal(pending.inForce, false);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/console/`);
      await page.waitForSelector('#sign-in:not([hidden])');
      await page.type('#access-key-id', server.bootstrap.accessKeyId);
      await page.type('#secret-access-key', server.bootstrap.secretAccessKey);
      await page.click('#sign-in-button');
      const row = `#instances tr[data-instance-id="${ourInstance}"]`;
      await page.waitForFunction((selector: string) => document.querySelector(selector)?.textContent?.includes('(pending)') === true, {}, row);
      await page.waitForSelector('#live-status ::-p-text(live)');
      // Marks this document: a navigation would lose the mark.
      await page.evaluate(() => void (window.loadedOnce = true));
      await report(ourInstance, pending.desiredRevision);
      await page.waitForFunction((selector: string) => document.querySelector(selector)?.textContent?.includes('(in force)') === true, { timeout: 10_000 }, row);
      assert.equal(await page.evaluate(() => window.loadedOnce), true);
    } finally {
      await browser.close();
    }
  });
});
