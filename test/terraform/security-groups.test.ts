import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { sdkSession } from '../harness/sdk-session.js';
import { assertNothingLeft, TerraformWorkspace } from './terraform-workspace.js';

/**
 * Security groups as Terraform users write them: `web` with inline ingress and egress (a CIDR and
 * a group peer), `app` with standalone rules (`aws_vpc_security_group_ingress_rule` from `web` and
 * from an office range, `aws_vpc_security_group_egress_rule` to anywhere). The edit moves the
 * inline HTTPS rule to another port and rewords a standalone rule's description.
 */
function configuration(httpsPort: number, officeDescription: string): string {
  return `resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "administrators"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web tier"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "https"
    from_port   = ${httpsPort}
    to_port     = ${httpsPort}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.admin.id]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "web" }
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "app tier"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "app_from_web" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
}

resource "aws_vpc_security_group_ingress_rule" "app_from_office" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "192.0.2.0/24"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  description       = "${officeDescription}"
  tags              = { Name = "office" }
}

resource "aws_vpc_security_group_egress_rule" "app_out" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

output "web_id" {
  value = aws_security_group.web.id
}

output "office_rule_id" {
  value = aws_vpc_security_group_ingress_rule.app_from_office.security_group_rule_id
}
`;
}

describe('terraform: security groups with inline and standalone rules', () => {
  const session = sdkSession();

  test('apply, empty plan, rules changed in place, empty plan, destroy, nothing left', { timeout: 600_000 }, async () => {
    const { ec2, server } = session;
    const workspace = await TerraformWorkspace.create(server, configuration(443, 'office'));
    try {
      await workspace.apply();
      await workspace.planIsEmpty();
      const output = JSON.parse((await workspace.expect(['output', '-json'], 0)).stdout) as Record<string, { value: string }>;
      const webId = output.web_id?.value ?? '';
      const officeRuleId = output.office_rule_id?.value ?? '';

      workspace.write(configuration(8443, 'office VPN'));
      const changed = await workspace.apply();
      assert.match(changed.stdout, /Apply complete! Resources: 0 added, 2 changed, 0 destroyed\./);
      await workspace.planIsEmpty();
      const web = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [webId] }))).SecurityGroups?.[0];
      assert.deepEqual(
        web?.IpPermissions?.filter((p) => (p.IpRanges?.length ?? 0) > 0).map((p) => [p.FromPort, p.IpRanges?.[0]?.Description]),
        [[8443, 'https']],
      );
      const office = (await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [officeRuleId] }))).SecurityGroupRules?.[0];
      assert.deepEqual([office?.Description, office?.Tags], ['office VPN', [{ Key: 'Name', Value: 'office' }]]);

      await workspace.destroy();
      await assertNothingLeft(ec2);
    } finally {
      workspace.remove();
    }
  });
});
