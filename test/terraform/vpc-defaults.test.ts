import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { sdkSession } from '../harness/sdk-session.js';
import { assertNothingLeft, TerraformWorkspace } from './terraform-workspace.js';

/**
 * A VPC with its main route table adopted as `aws_default_route_table` (tagged, no routes of its
 * own) and its default network ACL and main route table read by data sources. The resource
 * `aws_default_network_acl` is left out: adopting the ACL rewrites its entries
 * (DeleteNetworkAclEntry, CreateNetworkAclEntry), and network ACLs are read-only here (issue 13).
 */
function configuration(routeTableTags: string): string {
  return `resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
  tags       = { Name = "main" }
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.50.1.0/24"
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id
  tags                   = ${routeTableTags}
}

data "aws_route_table" "main" {
  vpc_id = aws_vpc.main.id
  filter {
    name   = "association.main"
    values = ["true"]
  }
  depends_on = [aws_default_route_table.main]
}

data "aws_network_acls" "default" {
  vpc_id = aws_vpc.main.id
  filter {
    name   = "default"
    values = ["true"]
  }
  depends_on = [aws_subnet.a]
}

output "route_table_id" {
  value = data.aws_route_table.main.id
}

output "network_acl_ids" {
  value = data.aws_network_acls.default.ids
}

output "default_network_acl_id" {
  value = aws_vpc.main.default_network_acl_id
}
`;
}

describe('terraform: aws_default_route_table and the default network ACL of an aws_vpc', () => {
  const session = sdkSession();

  test('apply, empty plan, route-table tags changed in place, empty plan, destroy, nothing left', { timeout: 600_000 }, async () => {
    const { ec2, server } = session;
    const workspace = await TerraformWorkspace.create(server, configuration('{ Name = "main-routes" }'));
    try {
      await workspace.apply();
      await workspace.planIsEmpty();
      const output = JSON.parse((await workspace.expect(['output', '-json'], 0)).stdout) as Record<string, { value: unknown }>;
      assert.deepEqual(output.network_acl_ids?.value, [output.default_network_acl_id?.value]);
      const routeTableId = String(output.route_table_id?.value);

      workspace.write(configuration('{ Name = "main-routes", tier = "core" }'));
      const changed = await workspace.apply();
      assert.match(changed.stdout, /Apply complete! Resources: 0 added, 1 changed, 0 destroyed\./);
      await workspace.planIsEmpty();
      const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }))).RouteTables?.[0];
      assert.deepEqual(table?.Tags, [{ Key: 'Name', Value: 'main-routes' }, { Key: 'tier', Value: 'core' }]);

      await workspace.destroy();
      await assertNothingLeft(ec2);
    } finally {
      workspace.remove();
    }
  });
});
