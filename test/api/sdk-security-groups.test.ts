import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifySecurityGroupRulesCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  CreateManagedPrefixListCommand,
  DescribeManagedPrefixListsCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';


describe('security groups through @aws-sdk/client-ec2 (vpc-only account)', () => {
  let server: RunningStockade;
  let ec2: EC2Client;
  before(async () => {
    server = await startStockade();
    ec2 = ec2Client(server);
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
  });

  test('the default VPC and its default group exist on first use', async () => {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    assert.equal(vpcs.Vpcs?.length, 1);
    const vpc = vpcs.Vpcs?.[0];
    assert.equal(vpc?.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc?.IsDefault, true);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['default'] }));
    const group = groups.SecurityGroups?.[0];
    assert.equal(group?.VpcId, vpc?.VpcId);
    assert.equal(group?.Description, 'default VPC security group');
    // Ingress: all traffic from itself; egress: all traffic out (spec/semantics.md §6.2).
    assert.deepEqual(group?.IpPermissions, [
      { IpProtocol: '-1', UserIdGroupPairs: [{ UserId: server.bootstrap.accountId, GroupId: group?.GroupId }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    assert.deepEqual(group?.IpPermissionsEgress, [
      { IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    const attributes = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['supported-platforms', 'default-vpc'] }));
    assert.deepEqual(
      attributes.AccountAttributes?.map((a) => [a.AttributeName, a.AttributeValues?.map((v) => v.AttributeValue)]),
      [
        ['supported-platforms', ['VPC']],
        ['default-vpc', [vpc?.VpcId]],
      ],
    );
  });

  test('create, authorize several permissions at once, describe, revoke, delete', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier' }));
    const groupId = created.GroupId ?? '';
    // Today's 17 hex digits in a vpc-only account (issue 13 item 6; classic accounts keep 8).
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    const authorized = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.200.0.0/16', Description: 'https from lab' }] },
          { IpProtocol: '6', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.5/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:DB8::/64' }] },
        ],
      }),
    );
    assert.equal(authorized.Return, true);
    // One rule per peer, request order; CIDRs masked, 6 → tcp, IPv6 canonical (spec/semantics.md §2, §3, §4).
    assert.deepEqual(
      authorized.SecurityGroupRules?.map((r) => [r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? r.CidrIpv6, r.Description, r.IsEgress]),
      [
        ['tcp', 443, 443, '10.200.0.0/16', 'https from lab', false],
        ['tcp', 22, 22, '203.0.113.0/24', undefined, false],
        ['tcp', 22, 22, '2001:db8::/64', undefined, false],
      ],
    );
    for (const rule of authorized.SecurityGroupRules ?? []) {
      assert.match(rule.SecurityGroupRuleId ?? '', /^sgr-[0-9a-f]{17}$/);
      assert.equal(rule.GroupId, groupId);
      assert.equal(rule.GroupOwnerId, server.bootstrap.accountId);
    }
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const group = described.SecurityGroups?.[0];
    assert.equal(group?.GroupName, 'web');
    assert.equal(group?.SecurityGroupArn, `arn:aws:ec2:us-east-1:${server.bootstrap.accountId}:security-group/${groupId}`);
    assert.deepEqual(group?.IpPermissions, [
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.200.0.0/16', Description: 'https from lab' }], Ipv6Ranges: [], PrefixListIds: [] },
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '203.0.113.0/24' }], Ipv6Ranges: [{ CidrIpv6: '2001:db8::/64' }], PrefixListIds: [] },
    ]);

    // Re-adding either spelling of a stored rule is a duplicate (spec/semantics.md §2.3, §4.1).
    const duplicate = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'TCP', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.77/24' }] }] })),
    );
    assert.deepEqual(duplicate, {
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists',
      status: 400,
    });

    const revoked = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }] }),
    );
    assert.equal(revoked.Return, true);
    assert.equal(revoked.RevokedSecurityGroupRules?.length, 1);
    assert.equal(revoked.RevokedSecurityGroupRules?.[0]?.CidrIpv4, '203.0.113.0/24');
    assert.equal(revoked.UnknownIpPermissions, undefined);

    // In the default VPC an unknown rule is reported, not refused (spec/api.md §5.6).
    const unknown = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }),
    );
    assert.equal(unknown.Return, true);
    assert.deepEqual(unknown.UnknownIpPermissions, [
      { IpProtocol: 'udp', FromPort: 53, ToPort: 53, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '10.0.0.0/8' }], Ipv6Ranges: [], PrefixListIds: [] },
    ]);
    assert.deepEqual(unknown.RevokedSecurityGroupRules, []);

    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
    assert.equal(deleted.Return, true);
    assert.equal(deleted.GroupId, groupId);
    const gone = await ec2Error(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
    assert.deepEqual(gone, { code: 'InvalidGroup.NotFound', message: `The security group '${groupId}' does not exist`, status: 400 });
  });

  test('a non-default VPC: egress rules, strict revoke, rule IDs, modify and descriptions', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc;
    const vpcId = vpc?.VpcId ?? '';
    assert.equal(vpc?.State, 'pending');
    const app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app tier', VpcId: vpcId }))).GroupId ?? '';
    const db = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'db tier', VpcId: vpcId }))).GroupId ?? '';

    // A VPC rule needs a protocol (spec/semantics.md §3.1, field).
    const noProtocol = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: app }] }] })),
    );
    assert.equal(noProtocol.code, 'InvalidParameterValue');
    assert.equal(noProtocol.message, "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.");

    const rules = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: app, Description: 'from app' }] }] }),
    );
    const ruleId = rules.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '';
    assert.deepEqual(rules.SecurityGroupRules?.[0]?.ReferencedGroupInfo, { GroupId: app, UserId: server.bootstrap.accountId });

    // The app group is referenced: it cannot be deleted (spec/semantics.md §7).
    const inUse = await ec2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId: app })));
    assert.deepEqual(inUse, { code: 'DependencyViolation', message: `resource ${app} has a dependent object`, status: 400 });

    // Egress: revoke the default rule, add a narrower one.
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: db }] }] }));
    const appGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [app] }))).SecurityGroups?.[0];
    assert.deepEqual(appGroup?.IpPermissionsEgress, [
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ UserId: server.bootstrap.accountId, GroupId: db }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] },
    ]);

    // Outside the default VPC, revoking a rule that does not exist fails (spec/api.md §5.6).
    const notFound = await ec2Error(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: db, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, IpRanges: [{ CidrIp: '1.2.3.4/32' }] }] })),
    );
    assert.deepEqual(notFound, { code: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.', status: 400 });

    // Modify keeps the rule ID; descriptions update in place.
    await ec2.send(
      new ModifySecurityGroupRulesCommand({
        GroupId: db,
        SecurityGroupRules: [{ SecurityGroupRuleId: ruleId, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 5433, ToPort: 5433, ReferencedGroupId: app } }],
      }),
    );
    await ec2.send(
      new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: db, SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: ruleId, Description: 'postgres' }] }),
    );
    const described = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }));
    assert.deepEqual(
      described.SecurityGroupRules?.map((r) => [r.SecurityGroupRuleId, r.IpProtocol, r.FromPort, r.ToPort, r.Description, r.ReferencedGroupInfo?.GroupId]),
      [[ruleId, 'tcp', 5433, 5433, 'postgres', app]],
    );
    const all = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [db] }] }));
    assert.deepEqual(
      all.SecurityGroupRules?.map((r) => [r.IsEgress, r.IpProtocol, r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId]),
      [
        [true, '-1', '0.0.0.0/0'],
        [false, 'tcp', app],
      ],
    );

    // Revoke by rule ID, then the VPC can go once its groups are gone.
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: db, SecurityGroupRuleIds: [ruleId] }));
    const busy = await ec2Error(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
    assert.equal(busy.code, 'DependencyViolation');
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: app, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: db }] }] }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: db }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: app }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    const vpcGone = await ec2Error(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
    assert.equal(vpcGone.code, 'InvalidVpcID.NotFound');
  });

  test('tags on groups and rules, tag filters and DescribeTags', async () => {
    const groupId =
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: 'tagged',
            Description: 'tagged group',
            TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'env', Value: 'prod' }] }],
          }),
        )
      ).GroupId ?? '';
    await ec2.send(new CreateTagsCommand({ Resources: [groupId], Tags: [{ Key: 'team', Value: 'blue' }] }));
    const byTag = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }));
    assert.deepEqual(byTag.SecurityGroups?.map((g) => g.GroupId), [groupId]);
    assert.deepEqual(byTag.SecurityGroups?.[0]?.Tags, [
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ]);
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [groupId] }] }));
    assert.deepEqual(tags.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value]), [
      [groupId, 'security-group', 'env', 'prod'],
      [groupId, 'security-group', 'team', 'blue'],
    ]);
    await ec2.send(new DeleteTagsCommand({ Resources: [groupId], Tags: [{ Key: 'env' }] }));
    const after = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    assert.deepEqual(after.SecurityGroups?.[0]?.Tags, [{ Key: 'team', Value: 'blue' }]);
    const missing = await ec2Error(ec2.send(new CreateTagsCommand({ Resources: ['sg-00000000'], Tags: [{ Key: 'a', Value: 'b' }] })));
    assert.equal(missing.code, 'InvalidGroup.NotFound');
  });

  test('prefix lists are rule peers and weigh their max entries', async () => {
    const list = await ec2.send(
      new CreateManagedPrefixListCommand({ PrefixListName: 'offices', MaxEntries: 5, AddressFamily: 'IPv4', Entries: [{ Cidr: '198.51.100.0/24' }] }),
    );
    const id = list.PrefixList?.PrefixListId ?? '';
    assert.match(id, /^pl-[0-9a-f]+$/);
    const lists = await ec2.send(new DescribeManagedPrefixListsCommand({}));
    assert.ok(lists.PrefixLists?.some((l) => l.PrefixListName === 'com.amazonaws.us-east-1.s3'));
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'pl-user', Description: 'uses a prefix list' }))).GroupId ?? '';
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] }] }),
    );
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    assert.deepEqual(group?.IpPermissions?.[0]?.PrefixListIds, [{ PrefixListId: id }]);
    const unknown = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, PrefixListIds: [{ PrefixListId: 'pl-0123456789abcdef0' }] }] })),
    );
    assert.deepEqual(unknown, { code: 'InvalidPrefixListId.NotFound', message: "The prefix list ID 'pl-0123456789abcdef0' does not exist", status: 400 });
  });

  test('quota: 60 inbound IPv4 rules per group, then RulesPerSecurityGroupLimitExceeded', async () => {
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'full', Description: 'quota test' }))).GroupId ?? '';
    const ranges = Array.from({ length: 60 }, (_, i) => ({ CidrIp: `10.9.${i}.0/24` }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: ranges }] }));
    const over = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 81, ToPort: 81, IpRanges: [{ CidrIp: '10.10.0.0/16' }] }] })),
    );
    assert.deepEqual(over, { code: 'RulesPerSecurityGroupLimitExceeded', message: 'The maximum number of rules per security group has been reached.', status: 400 });
    // IPv6 has its own 60 (spec/semantics.md §9): this one still fits.
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 81, ToPort: 81, Ipv6Ranges: [{ CidrIpv6: '2001:db8::/32' }] }] }));
  });

  test('DryRun answers 412 DryRunOperation and changes nothing', async () => {
    const dry = await ec2Error(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'dry run', DryRun: true })));
    assert.deepEqual(dry, { code: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.', status: 412 });
    const missing = await ec2Error(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['dry'] })));
    assert.equal(missing.code, 'InvalidGroup.NotFound');
    assert.equal(missing.message, `The security group 'dry' does not exist in default VPC '${(await ec2.send(new DescribeVpcsCommand({}))).Vpcs?.find((v) => v.IsDefault)?.VpcId}'`);
  });

  test('pagination with MaxResults and NextToken returns every group exactly once', async () => {
    for (let i = 0; i < 7; i++) await ec2.send(new CreateSecurityGroupCommand({ GroupName: `page-${i}`, Description: 'paging' }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['page-*'] }], MaxResults: 5, NextToken: token }));
      seen.push(...(page.SecurityGroups ?? []).map((g) => g.GroupName ?? ''));
      token = page.NextToken;
    } while (token !== undefined);
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const bad = await ec2Error(ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 1 })));
    assert.deepEqual(bad, { code: 'InvalidParameterValue', message: 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.', status: 400 });
  });
});
