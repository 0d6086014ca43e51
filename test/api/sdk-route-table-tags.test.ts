import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { withSdkServer } from '../harness/sdk-session.js';

// Issue 13: a VPC's main route table and default network ACL are derived from it, but CreateTags,
// DeleteTags and DescribeTags take their IDs, and their tags survive a restart (they are stored).
test('tags of the main route table and default network ACL: set, kept across a restart, gone with the VPC', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-rtb-tags-'));
  // The same bootstrap keys for both servers: the account is created by the first.
  const env = { STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDRTBTAGS0000001', STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: 'rtb-tags-secret' };
  try {
    const { vpcId, routeTableId, networkAclId } = await withSdkServer({ dataDir, env }, async (ec2) => {
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc?.VpcId ?? '';
      const vpcFilter = [{ Name: 'vpc-id', Values: [vpcId] }];
      const routeTableId = (await ec2.send(new DescribeRouteTablesCommand({ Filters: vpcFilter }))).RouteTables?.[0]?.RouteTableId ?? '';
      const networkAclId = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: vpcFilter }))).NetworkAcls?.[0]?.NetworkAclId ?? '';
      await ec2.send(new CreateTagsCommand({ Resources: [routeTableId, networkAclId], Tags: [{ Key: 'Name', Value: 'main' }, { Key: 'tier', Value: 'core' }] }));
      await ec2.send(new DeleteTagsCommand({ Resources: [networkAclId], Tags: [{ Key: 'tier' }] }));
      // Unknown IDs of these kinds get their own NotFound codes.
      assert.deepEqual(await ec2Error(ec2.send(new CreateTagsCommand({ Resources: ['rtb-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] }))), {
        code: 'InvalidRouteTableID.NotFound',
        message: "The routeTable ID 'rtb-0123456789abcdef0' does not exist",
        status: 400,
      });
      assert.deepEqual(await ec2Error(ec2.send(new DeleteTagsCommand({ Resources: ['acl-0123456789abcdef0'] }))), {
        code: 'InvalidNetworkAclID.NotFound',
        message: "The networkAcl ID 'acl-0123456789abcdef0' does not exist",
        status: 400,
      });
      return { vpcId, routeTableId, networkAclId };
    });

    await withSdkServer({ dataDir, env }, async (ec2) => {
      const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }))).RouteTables?.[0];
      assert.deepEqual(table?.Tags, [{ Key: 'Name', Value: 'main' }, { Key: 'tier', Value: 'core' }]);
      const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'tag:Name', Values: ['main'] }] }))).NetworkAcls ?? [];
      assert.deepEqual(acl.map((a) => [a.NetworkAclId, a.Tags]), [[networkAclId, [{ Key: 'Name', Value: 'main' }]]]);
      const rows = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['route-table', 'network-acl'] }] }));
      assert.deepEqual(rows.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value]), [
        [routeTableId, 'route-table', 'Name', 'main'],
        [routeTableId, 'route-table', 'tier', 'core'],
        [networkAclId, 'network-acl', 'Name', 'main'],
      ]);
      await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
      assert.equal((await ec2Error(ec2.send(new CreateTagsCommand({ Resources: [routeTableId], Tags: [{ Key: 'a', Value: 'b' }] })))).code, 'InvalidRouteTableID.NotFound');
      assert.deepEqual((await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [routeTableId, networkAclId] }] }))).Tags, []);
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
