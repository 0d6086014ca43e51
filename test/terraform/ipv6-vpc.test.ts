import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DescribeInstancesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { sdkSession } from '../harness/sdk-session.js';
import { assertNothingLeft, TerraformWorkspace } from './terraform-workspace.js';

/**
 * An IPv6 VPC as Terraform users write one: an Amazon-provided /56, a secondary IPv4 block
 * (`aws_vpc_ipv4_cidr_block_association`), a dual-stack subnet taking the /64 at index 1 of the
 * VPC's block and addressing its instances over IPv6 on creation, groups allowing IPv6 with
 * inline rules (`ipv6_cidr_blocks`) and standalone ones (`cidr_ipv6`), and an instance there with
 * one IPv6 address. The edit changes the inline rule's port and the standalone rule's range and
 * description, in place.
 */
function configuration(sshPort: number, adminRange: string, adminDescription: string): string {
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

resource "aws_vpc" "dual" {
  cidr_block                       = "10.80.0.0/16"
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "dual" }
}

resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  vpc_id     = aws_vpc.dual.id
  cidr_block = "10.81.0.0/16"
}

resource "aws_subnet" "dual" {
  vpc_id                          = aws_vpc.dual.id
  cidr_block                      = "10.80.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.dual.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  availability_zone               = data.aws_availability_zones.available.names[0]
  tags                            = { Name = "dual" }
}

resource "aws_subnet" "extra" {
  vpc_id     = aws_vpc_ipv4_cidr_block_association.extra.vpc_id
  cidr_block = "10.81.1.0/24"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web over both families"
  vpc_id      = aws_vpc.dual.id

  ingress {
    description      = "https from anywhere"
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    description      = "ssh from the VPC"
    from_port        = ${sshPort}
    to_port          = ${sshPort}
    protocol         = "tcp"
    ipv6_cidr_blocks = [aws_vpc.dual.ipv6_cidr_block]
  }

  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "admin endpoints"
  vpc_id      = aws_vpc.dual.id
}

resource "aws_vpc_security_group_ingress_rule" "admin_v6" {
  security_group_id = aws_security_group.admin.id
  cidr_ipv6         = "${adminRange}"
  ip_protocol       = "tcp"
  from_port         = 9000
  to_port           = 9000
  description       = "${adminDescription}"
}

resource "aws_vpc_security_group_ingress_rule" "admin_icmpv6" {
  security_group_id = aws_security_group.admin.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "icmpv6"
  from_port         = -1
  to_port           = -1
}

resource "aws_vpc_security_group_egress_rule" "admin_out_v6" {
  security_group_id = aws_security_group.admin.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "-1"
}

resource "aws_instance" "web" {
  ami                    = data.aws_ami.al2023.id
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.dual.id
  vpc_security_group_ids = [aws_security_group.web.id, aws_security_group.admin.id]
  ipv6_address_count     = 1
  tags                   = { Name = "web" }
}

output "vpc_id" {
  value = aws_vpc.dual.id
}

output "vpc_ipv6_cidr_block" {
  value = aws_vpc.dual.ipv6_cidr_block
}

output "subnet_id" {
  value = aws_subnet.dual.id
}

output "web_id" {
  value = aws_security_group.web.id
}

output "admin_rule_id" {
  value = aws_vpc_security_group_ingress_rule.admin_v6.security_group_rule_id
}

output "instance_id" {
  value = aws_instance.web.id
}

output "instance_ipv6" {
  value = aws_instance.web.ipv6_addresses
}
`;
}

describe('terraform: an IPv6 VPC with a dual-stack subnet, IPv6 rules and an instance', () => {
  const session = sdkSession();

  test('apply, empty plan, IPv6 rules changed in place, empty plan, destroy, nothing left', { timeout: 600_000 }, async () => {
    const { ec2, server } = session;
    const workspace = await TerraformWorkspace.create(server, configuration(22, '2001:db8:100::/48', 'admin'));
    try {
      await workspace.apply();
      await workspace.planIsEmpty();
      const output = JSON.parse((await workspace.expect(['output', '-json'], 0)).stdout) as Record<string, { value: unknown }>;
      const value = (name: string) => String(output[name]?.value);
      const vpcBlock = value('vpc_ipv6_cidr_block');
      assert.match(vpcBlock, /^[0-9a-f:]+::\/56$/);

      const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [value('vpc_id')] }))).Vpcs?.[0];
      assert.deepEqual(
        vpc?.CidrBlockAssociationSet?.map((a) => [a.CidrBlock, a.CidrBlockState?.State]),
        [['10.80.0.0/16', 'associated'], ['10.81.0.0/16', 'associated']],
      );
      const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [value('subnet_id')] }))).Subnets?.[0];
      assert.equal(subnet?.AssignIpv6AddressOnCreation, true);
      const subnetBlock = subnet?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock ?? '';
      assert.match(subnetBlock, /\/64$/);

      const addresses = output.instance_ipv6?.value as string[];
      assert.equal(addresses.length, 1);
      const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [value('instance_id')] }))).Reservations?.[0]?.Instances?.[0];
      assert.deepEqual(instance?.NetworkInterfaces?.[0]?.Ipv6Addresses?.map((a) => a.Ipv6Address), addresses);

      workspace.write(configuration(2222, '2001:db8:200::/48', 'admin VPN'));
      const changed = await workspace.apply();
      assert.match(changed.stdout, /Apply complete! Resources: 0 added, 2 changed, 0 destroyed\./);
      await workspace.planIsEmpty();
      const web = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [value('web_id')] }))).SecurityGroups?.[0];
      const ssh = web?.IpPermissions?.find((p) => p.FromPort === 2222);
      assert.deepEqual(ssh?.Ipv6Ranges, [{ CidrIpv6: vpcBlock, Description: 'ssh from the VPC' }]);
      const admin = (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [value('admin_rule_id')] }))).SecurityGroupRules?.[0];
      assert.deepEqual([admin?.CidrIpv6, admin?.Description], ['2001:db8:200::/48', 'admin VPN']);

      await workspace.destroy();
      await assertNothingLeft(ec2);
    } finally {
      workspace.remove();
    }
  });
});
