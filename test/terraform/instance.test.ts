import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeInstanceAttributeCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { sdkSession } from '../harness/sdk-session.js';
import { assertNothingLeft, TerraformWorkspace } from './terraform-workspace.js';

/**
 * An instance as a Terraform user writes one: the newest Amazon Linux image from `data "aws_ami"`,
 * a subnet in the second zone `data "aws_availability_zones"` lists, and its groups by ID; the edit
 * moves it to other groups, which the provider does in place.
 */
function configuration(groups: readonly string[]): string {
  return `data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]
  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "main" }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.1.0/24"
  availability_zone = data.aws_availability_zones.available.names[1]
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "ssh" {
  name   = "ssh"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "monitoring" {
  name   = "monitoring"
  vpc_id = aws_vpc.main.id
}

resource "aws_instance" "web" {
  ami                     = data.aws_ami.al2023.id
  instance_type           = "t3.micro"
  subnet_id               = aws_subnet.app.id
  vpc_security_group_ids  = [${groups.map((g) => `aws_security_group.${g}.id`).join(', ')}]
  disable_api_termination = false
  user_data               = "#!/bin/sh\\necho hello\\n"
  metadata_options {
    http_tokens = "required"
  }
  tags = { Name = "web" }
}

output "instance_id" {
  value = aws_instance.web.id
}
`;
}

describe('terraform: aws_instance from data "aws_ami" in a subnet of data "aws_availability_zones"', () => {
  const session = sdkSession();

  test('apply, empty plan, groups changed in place, empty plan, destroy, nothing left', { timeout: 600_000 }, async () => {
    const { ec2, server } = session;
    const workspace = await TerraformWorkspace.create(server, configuration(['web', 'ssh']));
    try {
      await workspace.apply();
      await workspace.planIsEmpty();
      const instanceId = JSON.parse((await workspace.expect(['output', '-json', 'instance_id'], 0)).stdout) as string;
      const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0];
      assert.equal(instance?.State?.Name, 'running');
      assert.equal(instance?.Placement?.AvailabilityZone, 'us-east-1b');
      assert.match(instance?.ImageId ?? '', /^ami-[0-9a-f]{17}$/);
      assert.equal(instance?.MetadataOptions?.HttpTokens, 'required');
      assert.deepEqual(instance?.SecurityGroups?.map((g) => g.GroupName).sort(), ['ssh', 'web']);

      workspace.write(configuration(['web', 'monitoring']));
      const changed = await workspace.apply();
      assert.match(changed.stdout, /Apply complete! Resources: 0 added, 1 changed, 0 destroyed\./);
      await workspace.planIsEmpty();
      const groups = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'groupSet' }));
      assert.deepEqual(groups.Groups?.map((g) => g.GroupName).sort(), ['monitoring', 'web']);

      await workspace.destroy();
      await assertNothingLeft(ec2);
    } finally {
      workspace.remove();
    }
  });
});
