import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAccountAttributesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// An account whose default VPC was deleted (allowed in EC2 once its subnets are gone) has nowhere to
// put a group created without VpcId: VPCIdNotSpecified (spec/errors.md §3.2, CreateSecurityGroup).
describe('a vpc-only account after its default VPC is deleted', () => {
  const session = sdkSession();

  test('CreateSecurityGroup without VpcId → VPCIdNotSpecified, and default-vpc reads none', async () => {
    const { ec2 } = session;
    const vpcId = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
    assert.ok(vpcId);
    // The default subnet blocks the VPC's deletion, as in EC2 (spec/api.md §5.13).
    const blocked = await ec2Error(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
    assert.equal(blocked.code, 'DependencyViolation');
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets ?? [];
    assert.ok(subnets.length > 0);
    for (const subnet of subnets) await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));

    const refused = await ec2Error(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web tier' })));
    assert.deepEqual(refused, { code: 'VPCIdNotSpecified', message: 'No default VPC for this user', status: 400 });
    const attributes = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc'] }));
    assert.deepEqual(attributes.AccountAttributes?.[0]?.AttributeValues?.map((v) => v.AttributeValue), ['none']);
    // A second request must not bring the default VPC back (it is made on first use only).
    assert.equal((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.length, 0);
  });
});
