import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { CreateVpcCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand, ModifyVpcAttributeCommand, type VpcAttributeName } from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession, withSdkServer } from '../harness/sdk-session.js';

// DescribeVpcAttribute, as Terraform's `data "aws_vpc" "default" { default = true }` uses it: find
// the VPC with the `isDefault` filter, then read three attributes, failing if any call does.
describe('DescribeVpcAttribute through @aws-sdk/client-ec2', () => {
  const session = sdkSession();

  /** The three attributes of `vpcId`, as [name, value] pairs. */
  async function attributes(vpcId: string): Promise<[string, boolean | undefined][]> {
    const names: VpcAttributeName[] = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'];
    const answers = await Promise.all(names.map((Attribute) => session.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }))));
    for (const answer of answers) assert.equal(answer.VpcId, vpcId);
    return [
      ['enableDnsSupport', answers[0]?.EnableDnsSupport?.Value],
      ['enableDnsHostnames', answers[1]?.EnableDnsHostnames?.Value],
      ['enableNetworkAddressUsageMetrics', answers[2]?.EnableNetworkAddressUsageMetrics?.Value],
    ];
  }

  test('the default VPC: DNS support and hostnames on, usage metrics off', async () => {
    const vpcs = (await session.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs ?? [];
    assert.equal(vpcs.length, 1);
    assert.deepEqual(await attributes(vpcs[0]?.VpcId ?? ''), [
      ['enableDnsSupport', true],
      ['enableDnsHostnames', true],
      ['enableNetworkAddressUsageMetrics', false],
    ]);
  });

  test('a VPC of ours: DNS hostnames off, as EC2 creates it', async () => {
    const vpcId = (await session.ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc?.VpcId ?? '';
    assert.deepEqual(await attributes(vpcId), [
      ['enableDnsSupport', true],
      ['enableDnsHostnames', false],
      ['enableNetworkAddressUsageMetrics', false],
    ]);
  });

  test('unknown attribute, unknown and malformed VPC IDs are EC2 errors', async () => {
    const vpcId = (await session.ec2.send(new DescribeVpcsCommand({}))).Vpcs?.[0]?.VpcId ?? '';
    assert.deepEqual(await ec2Error(session.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableBananas' as VpcAttributeName }))), {
      code: 'InvalidParameterValue',
      message: 'Value (enableBananas) for parameter attribute is invalid. Unknown attribute.',
      status: 400,
    });
    assert.deepEqual(await ec2Error(session.ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpc-0123456789abcdef0', Attribute: 'enableDnsSupport' }))), {
      code: 'InvalidVpcID.NotFound',
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
      status: 400,
    });
    assert.deepEqual(await ec2Error(session.ec2.send(new DescribeVpcAttributeCommand({ VpcId: 'vpcx', Attribute: 'enableDnsSupport' }))), {
      code: 'InvalidVpcID.Malformed',
      message: 'Invalid id: "vpcx" (expecting "vpc-...")',
      status: 400,
    });
  });
});

// ModifyVpcAttribute, as Terraform's aws_vpc uses it for `enable_dns_hostnames = true`: set one
// attribute, then poll DescribeVpcAttribute until it reads back. The value is durable.
describe('ModifyVpcAttribute through @aws-sdk/client-ec2', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'stockade-test-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { STOCKADE_BOOTSTRAP_ACCESS_KEY_ID: 'AKIDVPCATTRIBUTES', STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY: 'vpc/attributes' };

  test('one attribute per call, read back at once and after a restart', async () => {
    const vpcId = await withSdkServer({ dataDir, env }, async (ec2) => {
      const id = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc?.VpcId ?? '';
      await ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: true } }));
      await ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableNetworkAddressUsageMetrics: { Value: true } }));
      const hostnames = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: id, Attribute: 'enableDnsHostnames' }));
      assert.equal(hostnames.EnableDnsHostnames?.Value, true);
      assert.deepEqual(await ec2Error(ec2.send(new ModifyVpcAttributeCommand({ VpcId: id, EnableDnsHostnames: { Value: false }, EnableDnsSupport: { Value: false } }))), {
        code: 'InvalidParameterCombination',
        message: 'Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames',
        status: 400,
      });
      assert.equal((await ec2Error(ec2.send(new ModifyVpcAttributeCommand({ VpcId: id })))).code, 'MissingParameter');
      assert.equal((await ec2Error(ec2.send(new ModifyVpcAttributeCommand({ VpcId: 'vpc-0123456789abcdef0', EnableDnsSupport: { Value: false } })))).code, 'InvalidVpcID.NotFound');
      return id;
    });
    await withSdkServer({ dataDir, env }, async (ec2) => {
      const read = async (Attribute: VpcAttributeName) => ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }));
      assert.equal((await read('enableDnsHostnames')).EnableDnsHostnames?.Value, true);
      assert.equal((await read('enableNetworkAddressUsageMetrics')).EnableNetworkAddressUsageMetrics?.Value, true);
      // The refused two-attribute call changed nothing.
      assert.equal((await read('enableDnsSupport')).EnableDnsSupport?.Value, true);
    });
  });
});
