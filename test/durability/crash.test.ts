import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeSecurityGroupRulesCommand, type SecurityGroupRule as SdkRule } from '@aws-sdk/client-ec2';
import type { ChangeRecord } from '../../src/state/change-record.js';
import { ec2Client } from '../harness/clients.js';
import { errorCode, query } from '../harness/query-client.js';
import { changesSince } from '../harness/signed-fetch.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';

// The crash test: SIGKILL the server in the middle of a burst of concurrent Authorize calls, start
// it again on the same data directory, and check what survived. An answer is sent only after its
// batch is durable (state/commit-queue.ts), and a multi-permission Authorize is one transaction
// (DESIGN: "all rules or none"), so every acknowledged call must be there in full and no call may
// be there in part. A SIGKILL leaves the kernel's page cache alone, so this checks commit-before-
// answer and atomicity, not the fsync itself.

const CALLS = 400;
const CONCURRENCY = 32;
/** 32 groups × 12–13 calls × 4 rules stays under both quotas (60 IPv4 per VPC group, 100 Classic). */
const GROUPS = 32;
const KILL_AFTER_ACKNOWLEDGEMENTS = 150;
const RULES_PER_CALL = 4;

/** One Authorize call of the burst and the atomic rules it asks for, as identity keys. */
interface BurstCall {
  readonly groupId: string;
  readonly params: Record<string, string>;
  readonly ruleKeys: readonly string[];
}

type Outcome = 'not-sent' | 'in-flight' | 'acknowledged' | 'lost' | `refused ${number} ${string}`;

function ruleKey(groupId: string, protocol: string, fromPort: number | undefined, toPort: number | undefined, cidr: string): string {
  return `${groupId} ${protocol} ${fromPort ?? ''}-${toPort ?? ''} ${cidr}`;
}

function sdkRuleKey(rule: SdkRule): string {
  return ruleKey(rule.GroupId ?? '', rule.IpProtocol ?? '', rule.FromPort, rule.ToPort, rule.CidrIpv4 ?? rule.CidrIpv6 ?? '');
}

/**
 * Call `i`: two permissions in one request: TCP port 1000+i from three /26s, and UDP on the same
 * port from one /24. Ports are unique per call, so every rule belongs to exactly one call.
 */
function burstCall(i: number, groupId: string): BurstCall {
  const port = 1000 + i;
  const a = i >> 8;
  const b = i & 255;
  const tcp = [`10.${a}.${b}.0/26`, `10.${a}.${b}.64/26`, `10.${a}.${b}.128/26`];
  const udp = `172.${16 + a}.${b}.0/24`;
  return {
    groupId,
    params: {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: groupId,
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': String(port),
      'IpPermissions.1.ToPort': String(port),
      'IpPermissions.1.IpRanges.1.CidrIp': tcp[0] ?? '',
      'IpPermissions.1.IpRanges.2.CidrIp': tcp[1] ?? '',
      'IpPermissions.1.IpRanges.3.CidrIp': tcp[2] ?? '',
      'IpPermissions.2.IpProtocol': 'udp',
      'IpPermissions.2.FromPort': String(port),
      'IpPermissions.2.ToPort': String(port),
      'IpPermissions.2.IpRanges.1.CidrIp': udp,
    },
    ruleKeys: [...tcp.map((cidr) => ruleKey(groupId, 'tcp', port, port, cidr)), ruleKey(groupId, 'udp', port, port, udp)],
  };
}

for (const platform of ['vpc-only', 'classic'] as const) {
  describe(`SIGKILL during a burst of concurrent AuthorizeSecurityGroupIngress (${platform} account)`, () => {
    const env = {
      STOCKADE_BOOTSTRAP_PLATFORM: platform,
      STOCKADE_BOOTSTRAP_ACCOUNT_ID: '111122223333',
      STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: `AKIDCRASH${platform === 'classic' ? 'C' : 'V'}${process.pid}`,
      STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: `crash/secret+${platform}-${process.pid}`,
    };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-crash-'));
    let killed: RunningStockade | undefined;
    let restarted: RunningStockade | undefined;
    const calls: BurstCall[] = [];
    const outcomes: Outcome[] = new Array<Outcome>(CALLS).fill('not-sent');
    let othersInFlightAtKill = -1;
    /** Ingress rules of the burst's groups on the restarted server, by identity key → rule ID. */
    const present = new Map<string, string>();

    before(async () => {
      killed = await startStockade({ dataDir, env });
      const server = killed;
      const groupIds: string[] = [];
      for (let g = 0; g < GROUPS; g++) {
        const created = await query(server, { Action: 'CreateSecurityGroup', GroupName: `burst-${g}`, GroupDescription: 'crash test' });
        assert.equal(created.status, 200, created.body);
        groupIds.push(/<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(created.body)?.[1] ?? '');
      }
      for (let i = 0; i < CALLS; i++) calls.push(burstCall(i, groupIds[i % GROUPS] ?? ''));

      let next = 0;
      let acknowledged = 0;
      let inFlight = 0;
      let killing: Promise<void> | undefined;
      const worker = async (): Promise<void> => {
        while (killing === undefined && next < CALLS) {
          const i = next++;
          const call = calls[i];
          if (call === undefined) return;
          outcomes[i] = 'in-flight';
          inFlight++;
          try {
            const response = await query(server, call.params);
            if (response.status !== 200) {
              outcomes[i] = `refused ${response.status} ${errorCode(response.body) ?? response.body}`;
              continue;
            }
            // A 200 read after the signal was still sent by the server before it died: it counts.
            outcomes[i] = 'acknowledged';
            acknowledged++;
            if (acknowledged === KILL_AFTER_ACKNOWLEDGEMENTS && killing === undefined) {
              othersInFlightAtKill = inFlight - 1;
              killing = server.kill9();
            }
          } catch (error) {
            if (killing === undefined) throw error;
            // The connection died with the server: the call's fate is unknown to the client.
            outcomes[i] = 'lost';
          } finally {
            inFlight--;
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await killing;

      restarted = await startStockade({ dataDir, env });
      const ec2 = ec2Client(restarted);
      try {
        const groups = new Set(groupIds);
        const described = await ec2.send(new DescribeSecurityGroupRulesCommand({}));
        for (const rule of described.SecurityGroupRules ?? []) {
          if (rule.IsEgress === true || !groups.has(rule.GroupId ?? '')) continue;
          present.set(sdkRuleKey(rule), rule.SecurityGroupRuleId ?? '');
        }
      } finally {
        ec2.destroy();
      }
    }, { timeout: 120_000 });

    after(async () => {
      await killed?.kill9();
      await restarted?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('the kill landed mid-burst: every answer before it was 200, and other calls were in flight', (t) => {
      const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
      t.diagnostic(
        `${count('acknowledged')} acknowledged, ${count('lost')} lost, ${count('not-sent')} not sent; ` +
          `${present.size / RULES_PER_CALL} calls present after the restart`,
      );
      const refused = outcomes.filter((o) => o.startsWith('refused'));
      assert.deepEqual(refused, []);
      const acknowledged = outcomes.filter((o) => o === 'acknowledged').length;
      assert.ok(acknowledged >= KILL_AFTER_ACKNOWLEDGEMENTS, `${acknowledged} acknowledged`);
      assert.ok(acknowledged < CALLS, 'the burst ended before the kill');
      assert.ok(othersInFlightAtKill > 0, `${othersInFlightAtKill} other calls in flight at the kill`);
      assert.equal(outcomes.filter((o) => o === 'in-flight').length, 0);
    });

    test('every acknowledged rule is present after the restart', () => {
      const missing: string[] = [];
      outcomes.forEach((outcome, i) => {
        if (outcome !== 'acknowledged') return;
        for (const key of calls[i]?.ruleKeys ?? []) if (!present.has(key)) missing.push(`call ${i}: ${key}`);
      });
      assert.deepEqual(missing, []);
    });

    test('every call is all or nothing, and nothing else is there', () => {
      const requested = new Set(calls.flatMap((c) => c.ruleKeys));
      const stray = [...present.keys()].filter((key) => !requested.has(key));
      assert.deepEqual(stray, []);
      const partial: string[] = [];
      calls.forEach((call, i) => {
        const found = call.ruleKeys.filter((key) => present.has(key)).length;
        if (found !== 0 && found !== RULES_PER_CALL) partial.push(`call ${i} (${outcomes[i]}): ${found} of ${RULES_PER_CALL} rules`);
        if (found !== 0 && outcomes[i] === 'not-sent') partial.push(`call ${i} was never sent but has ${found} rules`);
      });
      assert.deepEqual(partial, []);
      // Each call's rules are whole: the present rules are a multiple of a call's size.
      assert.equal(present.size % RULES_PER_CALL, 0);
    });

    test('the change log has revisions 1..n without gaps, one record per surviving call, matching the view', async () => {
      assert.ok(restarted !== undefined);
      const records = await changesSince(restarted, 0);
      assert.ok(records.length > 0);
      const gaps = records.filter((r, i) => r.revision !== i + 1).map((r) => r.revision);
      assert.deepEqual(gaps, [], 'revisions must be 1, 2, 3, … in order');

      const callOfRule = new Map<string, number>();
      calls.forEach((call, i) => call.ruleKeys.forEach((key) => callOfRule.set(key, i)));
      const logged = new Map<string, string>();
      const callsInLog: number[] = [];
      for (const record of records) {
        const { change } = record;
        if (change.kind !== 'RulesAuthorized' || !calls.some((c) => c.groupId === change.groupId)) continue;
        // A new VPC group's default egress rule is logged too; the burst adds ingress only.
        const rules = change.rules.filter((r) => r.direction === 'ingress');
        if (rules.length === 0) continue;
        const keys = rules.map((r) =>
          ruleKey(r.groupId, r.ipProtocol, r.fromPort, r.toPort, r.peer.kind === 'cidr4' || r.peer.kind === 'cidr6' ? r.peer.cidr : r.peer.kind),
        );
        const owner = callOfRule.get(keys[0] ?? '');
        assert.ok(owner !== undefined, `revision ${record.revision} holds rules no call asked for: ${keys.join(', ')}`);
        assert.deepEqual(keys, calls[owner]?.ruleKeys, `revision ${record.revision} must hold exactly call ${owner}'s rules`);
        callsInLog.push(owner);
        rules.forEach((r, k) => logged.set(keys[k] ?? '', r.ruleId));
      }
      assert.equal(new Set(callsInLog).size, callsInLog.length, 'a call was logged twice');
      assert.deepEqual(new Map([...logged].sort()), new Map([...present].sort()), 'the view must hold exactly the logged rules, with their IDs');
    });

    test('the restarted server answers and continues the log after its last revision', async () => {
      assert.ok(restarted !== undefined);
      const log = await changesSince(restarted, 0);
      const last = log[log.length - 1]?.revision ?? 0;
      const call = burstCall(CALLS, calls[0]?.groupId ?? '');
      const response = await query(restarted, call.params);
      assert.equal(response.status, 200, response.body);
      const added: ChangeRecord[] = await changesSince(restarted, last);
      assert.deepEqual(
        added.map((r) => [r.revision, r.change.kind]),
        [[last + 1, 'RulesAuthorized']],
      );
      // A duplicate of an acknowledged call is refused: the restarted view knows the old rules.
      const firstAcknowledged = outcomes.indexOf('acknowledged');
      const again = await query(restarted, calls[firstAcknowledged]?.params ?? {});
      assert.equal(again.status, 400, again.body);
      assert.equal(errorCode(again.body), 'InvalidPermission.Duplicate');
    });
  });
}
