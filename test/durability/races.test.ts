import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeSecurityGroupRulesCommand, type SecurityGroupRule as SdkRule } from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { errorCode, query, type RawResponse } from '../harness/query-client.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// Concurrent writes through the real HTTP server: duplicate detection and rule quotas must stay
// exact when the racing calls land in the same commit batch (state/commit-queue.ts applies each
// operation's changes to the view before the next one validates).

/** One permission of a request: a protocol, one port, and its IPv4 and IPv6 peers. */
interface Permission {
  readonly protocol: string;
  readonly port: number;
  readonly cidrs?: readonly string[];
  readonly cidrsIpv6?: readonly string[];
}

type Direction = 'ingress' | 'egress';

function authorizeParams(groupId: string, permissions: readonly Permission[], direction: Direction = 'ingress'): Record<string, string> {
  const params: Record<string, string> = {
    Action: direction === 'ingress' ? 'AuthorizeSecurityGroupIngress' : 'AuthorizeSecurityGroupEgress',
    GroupId: groupId,
  };
  permissions.forEach((p, n) => {
    const prefix = `IpPermissions.${n + 1}`;
    params[`${prefix}.IpProtocol`] = p.protocol;
    params[`${prefix}.FromPort`] = String(p.port);
    params[`${prefix}.ToPort`] = String(p.port);
    (p.cidrs ?? []).forEach((cidr, m) => (params[`${prefix}.IpRanges.${m + 1}.CidrIp`] = cidr));
    (p.cidrsIpv6 ?? []).forEach((cidr, m) => (params[`${prefix}.Ipv6Ranges.${m + 1}.CidrIpv6`] = cidr));
  });
  return params;
}

/** The identity of a described rule: direction, protocol, ports, peer. */
function ruleKey(rule: SdkRule): string {
  return `${rule.IsEgress === true ? 'egress' : 'ingress'} ${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort} ${rule.CidrIpv4 ?? rule.CidrIpv6}`;
}

/** The identity keys of the rules one request asks for, in canonical form (masked, named protocol). */
function requestedKeys(permissions: readonly Permission[], direction: Direction = 'ingress'): string[] {
  return permissions.flatMap((p) =>
    [...(p.cidrs ?? []), ...(p.cidrsIpv6 ?? [])].map((cidr) => `${direction} ${p.protocol} ${p.port}-${p.port} ${cidr}`),
  );
}

async function createGroup(server: RunningStockade, name: string, credentials?: AccountCredentials): Promise<string> {
  const response = await query(server, { Action: 'CreateSecurityGroup', GroupName: name, GroupDescription: 'races' }, credentials === undefined ? {} : { credentials });
  assert.equal(response.status, 200, response.body);
  const groupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(response.body)?.[1];
  assert.ok(groupId !== undefined, response.body);
  return groupId;
}

/** Every rule of one group, by identity key, as DescribeSecurityGroupRules lists them. */
async function describedRules(server: RunningStockade, groupId: string, credentials?: AccountCredentials): Promise<string[]> {
  const ec2 = ec2Client(server, credentials);
  try {
    const described = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
    return (described.SecurityGroupRules ?? []).map(ruleKey).sort();
  } finally {
    ec2.destroy();
  }
}

/** `200` or the error code of each answer, in request order. */
function outcomes(responses: readonly RawResponse[]): string[] {
  return responses.map((r) => (r.status === 200 ? '200' : `${r.status} ${errorCode(r.body) ?? r.body}`));
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

// DescribeSecurityGroupRules shows ports -1 for protocol -1, as EC2 does.
const DEFAULT_EGRESS = 'egress -1 -1--1 0.0.0.0/0';
const DUPLICATE = '400 InvalidPermission.Duplicate';
const LIMIT = '400 RulesPerSecurityGroupLimitExceeded';

describe('racing duplicates (vpc-only account, current quotas)', () => {
  let server: RunningStockade;
  before(async () => {
    server = await startStockade();
  });
  after(() => server.stop());

  test('20 pairs of identical Authorize calls at once: one success and one InvalidPermission.Duplicate per pair', async () => {
    const groupId = await createGroup(server, 'identical-pairs');
    const pairs = Array.from({ length: 20 }, (_, n) => [{ protocol: 'tcp', port: 2000 + n, cidrs: [`10.1.${n}.0/24`] }]);
    const responses = await Promise.all(pairs.flatMap((p) => [query(server, authorizeParams(groupId, p)), query(server, authorizeParams(groupId, p))]));
    const results = outcomes(responses);
    pairs.forEach((_, n) => assert.deepEqual([results[2 * n], results[2 * n + 1]].sort(), ['200', DUPLICATE], `pair ${n}`));
    assert.deepEqual(await describedRules(server, groupId), [...pairs.flatMap((p) => requestedKeys(p)), DEFAULT_EGRESS].sort());
  });

  test('20 pairs spelled differently but naming the same rule (6 / tcp, unmasked / masked CIDR)', async () => {
    const groupId = await createGroup(server, 'equivalent-pairs');
    const pairs = Array.from({ length: 20 }, (_, n) => ({
      canonical: [{ protocol: 'tcp', port: 3000 + n, cidrs: [`10.2.${n}.0/24`] }],
      other: [{ protocol: '6', port: 3000 + n, cidrs: [`10.2.${n}.77/24`] }],
    }));
    const responses = await Promise.all(
      pairs.flatMap((p) => [query(server, authorizeParams(groupId, p.canonical)), query(server, authorizeParams(groupId, p.other))]),
    );
    const results = outcomes(responses);
    pairs.forEach((_, n) => assert.deepEqual([results[2 * n], results[2 * n + 1]].sort(), ['200', DUPLICATE], `pair ${n}`));
    assert.deepEqual(await describedRules(server, groupId), [...pairs.flatMap((p) => requestedKeys(p.canonical)), DEFAULT_EGRESS].sort());
  });

  test('10 pairs of overlapping two-rule calls: one wins whole, the loser adds nothing', async () => {
    const groupId = await createGroup(server, 'overlapping-pairs');
    const pairs = Array.from({ length: 10 }, (_, n) => ({
      first: [{ protocol: 'tcp', port: 4000 + n, cidrs: [`10.3.${n}.0/24`, `10.4.${n}.0/24`] }],
      second: [{ protocol: 'tcp', port: 4000 + n, cidrs: [`10.4.${n}.0/24`, `10.5.${n}.0/24`] }],
    }));
    const responses = await Promise.all(
      pairs.flatMap((p) => [query(server, authorizeParams(groupId, p.first)), query(server, authorizeParams(groupId, p.second))]),
    );
    const results = outcomes(responses);
    const expected: string[] = [DEFAULT_EGRESS];
    pairs.forEach((p, n) => {
      const pair = [results[2 * n], results[2 * n + 1]];
      assert.deepEqual([...pair].sort(), ['200', DUPLICATE], `pair ${n}`);
      expected.push(...requestedKeys(pair[0] === '200' ? p.first : p.second));
    });
    assert.deepEqual(await describedRules(server, groupId), expected.sort());
  });
});

describe('racing the rule quota, current profile (60 per direction and address family)', () => {
  let server: RunningStockade;
  before(async () => {
    server = await startStockade();
  });
  after(() => server.stop());

  test('100 concurrent single-rule ingress calls: exactly 60 succeed, 40 exceed the limit', async () => {
    const groupId = await createGroup(server, 'quota-ingress');
    const calls = Array.from({ length: 100 }, (_, n) => [{ protocol: 'tcp', port: 5000 + n, cidrs: ['10.6.0.0/16'] }]);
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c)))));
    assert.deepEqual(tally(results), { '200': 60, [LIMIT]: 40 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c));
    assert.deepEqual(await describedRules(server, groupId), [...granted, DEFAULT_EGRESS].sort());
  });

  test('80 IPv4 and 80 IPv6 ingress calls interleaved: 60 of each, counted apart', async () => {
    const groupId = await createGroup(server, 'quota-families');
    const calls = Array.from({ length: 160 }, (_, n) =>
      n % 2 === 0 ? [{ protocol: 'udp', port: 6000 + n, cidrs: ['10.7.0.0/16'] }] : [{ protocol: 'udp', port: 6000 + n, cidrsIpv6: ['2001:db8::/32'] }],
    );
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c)))));
    assert.deepEqual(tally(results.filter((_, n) => n % 2 === 0)), { '200': 60, [LIMIT]: 20 });
    assert.deepEqual(tally(results.filter((_, n) => n % 2 === 1)), { '200': 60, [LIMIT]: 20 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c));
    assert.deepEqual(await describedRules(server, groupId), [...granted, DEFAULT_EGRESS].sort());
  });

  test('80 concurrent egress calls: the default egress rule counts, so exactly 59 succeed', async () => {
    const groupId = await createGroup(server, 'quota-egress');
    const calls = Array.from({ length: 80 }, (_, n) => [{ protocol: 'tcp', port: 7000 + n, cidrs: ['10.8.0.0/16'] }]);
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c, 'egress')))));
    assert.deepEqual(tally(results), { '200': 59, [LIMIT]: 21 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c, 'egress'));
    assert.deepEqual(await describedRules(server, groupId), [...granted, DEFAULT_EGRESS].sort());
  });
});

describe('racing the rule quota, --quotas 2011 (VPC: 50 rules in and out together; Classic: 100)', () => {
  let server: RunningStockade;
  before(async () => {
    server = await startStockade({ args: ['--quotas', '2011'] });
  });
  after(() => server.stop());

  test('100 concurrent ingress calls on a VPC group: 49 succeed beside the default egress rule', async () => {
    const groupId = await createGroup(server, 'quota-2011-ingress');
    const calls = Array.from({ length: 100 }, (_, n) => [{ protocol: 'tcp', port: 5000 + n, cidrs: ['10.6.0.0/16'] }]);
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c)))));
    assert.deepEqual(tally(results), { '200': 49, [LIMIT]: 51 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c));
    assert.deepEqual(await describedRules(server, groupId), [...granted, DEFAULT_EGRESS].sort());
  });

  test('40 ingress and 40 egress calls interleaved on a VPC group: 49 succeed in all', async () => {
    const groupId = await createGroup(server, 'quota-2011-both');
    const calls = Array.from({ length: 80 }, (_, n) => ({
      direction: (n % 2 === 0 ? 'ingress' : 'egress') as Direction,
      permissions: [{ protocol: 'udp', port: 8000 + n, cidrs: ['10.9.0.0/16'] }],
    }));
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c.permissions, c.direction)))));
    assert.deepEqual(tally(results), { '200': 49, [LIMIT]: 31 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c.permissions, c.direction));
    const described = await describedRules(server, groupId);
    assert.equal(described.length, 50);
    assert.deepEqual(described, [...granted, DEFAULT_EGRESS].sort());
  });

  test('120 concurrent ingress calls on a Classic group: exactly 100 succeed', async () => {
    const classic = await server.createAccount({ accountId: '444455556666', platform: 'classic' });
    const groupId = await createGroup(server, 'quota-2011-classic', classic);
    const calls = Array.from({ length: 120 }, (_, n) => [{ protocol: 'tcp', port: 9000 + n, cidrs: ['10.10.0.0/16'] }]);
    const results = outcomes(await Promise.all(calls.map((c) => query(server, authorizeParams(groupId, c), { credentials: classic }))));
    assert.deepEqual(tally(results), { '200': 100, [LIMIT]: 20 });
    const granted = calls.filter((_, n) => results[n] === '200').flatMap((c) => requestedKeys(c));
    assert.deepEqual(await describedRules(server, groupId, classic), granted.sort());
  });
});
