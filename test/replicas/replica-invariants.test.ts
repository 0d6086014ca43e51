import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2ServiceException,
  RunInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client } from '../harness/clients.js';
import { startPostgres, type ThrowawayPostgres } from '../harness/postgres.js';
import { startReplicas, type ReplicaSet } from '../harness/replicas.js';

// Several real `stockade serve --database` processes on one PostgreSQL database, driven through
// @aws-sdk/client-ec2: every replica answers for every account, reads see every acknowledged
// write at once, and racing calls sent to different replicas keep EC2's invariants
// (docs/architecture.md, Replicas: one write lock, checks against a view caught up under it).

/** Settles every call; returns, per call, its value or its EC2 error code. */
async function race<T>(calls: readonly Promise<T>[]): Promise<({ ok: true; value: T } | { ok: false; code: string })[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => {
    if (s.status === 'fulfilled') return { ok: true, value: s.value };
    assert.ok(s.reason instanceof EC2ServiceException, `expected an EC2 error, got ${String(s.reason)}`);
    return { ok: false, code: s.reason.name };
  });
}

function tcp(port: number, cidr = '198.51.100.0/24') {
  return [{ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] }];
}

let postgres: ThrowawayPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres.destroy();
});

describe('three replicas on one database', () => {
  let set: ReplicaSet;
  let clients: EC2Client[];
  before(async () => {
    set = await startReplicas(postgres, 3);
    clients = set.replicas.map((r) => ec2Client(r));
  });
  after(async () => {
    await set.stop();
  });
  const client = (n: number): EC2Client => clients[n % clients.length] as EC2Client;

  test('one bootstrap account between replicas started at once, and every replica answers for it', async () => {
    for (const c of clients) {
      const groups = await c.send(new DescribeSecurityGroupsCommand({}));
      assert.deepEqual(groups.SecurityGroups?.map((g) => g.GroupName), ['default'], 'one default VPC, one default group');
    }
  });

  test('read-your-writes: what one replica acknowledged, the others show at once (no retry, no wait)', async () => {
    for (let i = 0; i < 30; i++) {
      const created = await client(i).send(new CreateSecurityGroupCommand({ GroupName: `ryw-${i}`, Description: 'ryw' }));
      const groupId = created.GroupId as string;
      const read = await client(i + 1).send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      assert.equal(read.SecurityGroups?.[0]?.GroupName, `ryw-${i}`);
      await client(i + 2).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: tcp(1000 + i) }));
      const rules = await client(i).send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }));
      assert.ok(rules.SecurityGroupRules?.some((r) => r.IsEgress === false && r.FromPort === 1000 + i), `rule ${i} visible`);
    }
  });

  test('identical Authorize calls racing on three replicas: exactly one succeeds, the others are InvalidPermission.Duplicate', async () => {
    const { GroupId } = await client(0).send(new CreateSecurityGroupCommand({ GroupName: 'dup-race', Description: 'race' }));
    for (let round = 0; round < 15; round++) {
      const outcomes = await race(clients.map((c) => c.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: tcp(2000 + round) }))));
      assert.equal(outcomes.filter((o) => o.ok).length, 1, `round ${round}: ${JSON.stringify(outcomes.map((o) => (o.ok ? 'ok' : o.code)))}`);
      assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : o.code)), ['InvalidPermission.Duplicate', 'InvalidPermission.Duplicate']);
    }
    const rules = await client(1).send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId as string] }] }));
    assert.equal(rules.SecurityGroupRules?.filter((r) => r.IsEgress === false).length, 15);
  });

  test('CreateSecurityGroup of one name racing on three replicas: one group, the others InvalidGroup.Duplicate', async () => {
    for (let round = 0; round < 10; round++) {
      const outcomes = await race(clients.map((c) => c.send(new CreateSecurityGroupCommand({ GroupName: `Name-Race-${round}`, Description: 'race' }))));
      assert.equal(outcomes.filter((o) => o.ok).length, 1);
      assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : o.code)), ['InvalidGroup.Duplicate', 'InvalidGroup.Duplicate']);
    }
    const all = await client(2).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['Name-Race-*'] }] }));
    assert.equal(all.SecurityGroups?.length, 10);
  });

  test('racing authorizes on three replicas never push a VPC group past its quota (current profile: 60 inbound)', async () => {
    const { GroupId } = await client(0).send(new CreateSecurityGroupCommand({ GroupName: 'quota-race', Description: 'race' }));
    const outcomes = await race(Array.from({ length: 90 }, (_, i) => client(i).send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: tcp(3000 + i) }))));
    assert.equal(outcomes.filter((o) => o.ok).length, 60);
    assert.ok(outcomes.every((o) => o.ok || o.code === 'RulesPerSecurityGroupLimitExceeded'));
    const rules = await client(1).send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId as string] }], MaxResults: 1000 }));
    assert.equal(rules.SecurityGroupRules?.filter((r) => r.IsEgress === false).length, 60);
  });

  test('a delete racing a launch into the group and a rule naming it: never a deleted group still in use', async () => {
    const { GroupId: holder } = await client(0).send(new CreateSecurityGroupCommand({ GroupName: 'holder', Description: 'race' }));
    for (let round = 0; round < 8; round++) {
      const { GroupId: target } = await client(round).send(new CreateSecurityGroupCommand({ GroupName: `target-${round}`, Description: 'race' }));
      const [deleted, launched, referenced] = await race<unknown>([
        client(round).send(new DeleteSecurityGroupCommand({ GroupId: target })),
        client(round + 1).send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [target as string] })),
        client(round + 2).send(
          new AuthorizeSecurityGroupIngressCommand({ GroupId: holder, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5000 + round, ToPort: 5000 + round, UserIdGroupPairs: [{ GroupId: target }] }] }),
        ),
      ]);
      if (deleted?.ok === true) {
        // The delete went first: both dependents were refused, as against a missing group.
        assert.equal(launched?.ok, false, `round ${round}: launched into a deleted group`);
        assert.equal(referenced?.ok, false, `round ${round}: a rule names a deleted group`);
        const instances = await client(round).send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance.group-id', Values: [target as string] }] }));
        assert.equal(instances.Reservations?.length ?? 0, 0);
      } else {
        assert.equal(deleted?.ok === false ? deleted.code : '', 'DependencyViolation', `round ${round}`);
        assert.ok(launched?.ok === true || referenced?.ok === true, `round ${round}: something must have needed the group`);
      }
    }
  });
});

describe('two replicas with the 2011 quota profile', () => {
  let set: ReplicaSet;
  before(async () => {
    set = await startReplicas(postgres, 2, { args: ['--quotas', '2011'] });
  });
  after(async () => {
    await set.stop();
  });

  test('racing authorizes stop at the profile’s 50 rules per VPC group', async () => {
    const [a, b] = set.replicas.map((r) => ec2Client(r)) as [EC2Client, EC2Client];
    const { GroupId } = await a.send(new CreateSecurityGroupCommand({ GroupName: 'quota-2011', Description: 'race' }));
    const outcomes = await race(Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? a : b).send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: tcp(3000 + i) }))));
    const rules = await b.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId as string] }], MaxResults: 1000 }));
    const all = rules.SecurityGroupRules?.length ?? 0;
    // 50 counts inbound and outbound together in this profile (domain/quota.ts); the default egress rule is one.
    assert.equal(all, 50, "filled to the quota, never past it");
    assert.equal(outcomes.filter((o) => o.ok).length, all - (rules.SecurityGroupRules?.filter((r) => r.IsEgress === true).length ?? 0));
    assert.ok(outcomes.every((o) => o.ok || o.code === 'RulesPerSecurityGroupLimitExceeded'));
  });
});
