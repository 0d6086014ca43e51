import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// CreateTags, DeleteTags and DescribeTags on instances and subnets (spec/api.md §5.12), which
// RunInstances and CreateSubnet tag through TagSpecification.
describe('tags on instances and subnets through @aws-sdk/client-ec2', () => {
  const session = sdkSession();

  async function instanceTags(ec2: EC2Client, instanceId: string) {
    const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return answer.Reservations?.[0]?.Instances?.[0]?.Tags;
  }

  async function subnetTags(ec2: EC2Client, subnetId: string) {
    return (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets?.[0]?.Tags;
  }

  /** DescribeTags rows as [ResourceId, ResourceType, Key, Value]. */
  async function describeTags(ec2: EC2Client, filters: { Name: string; Values: string[] }[]) {
    const answer = await ec2.send(new DescribeTagsCommand({ Filters: filters }));
    return answer.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Key, t.Value]);
  }

  test('create, read back, describe by resource-type and delete', async () => {
    const { ec2 } = session;
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc?.VpcId ?? '';
    const subnetId =
      (
        await ec2.send(
          new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24', TagSpecifications: [{ ResourceType: 'subnet', Tags: [{ Key: 'Name', Value: 'app' }] }] }),
        )
      ).Subnet?.SubnetId ?? '';
    const launched = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId,
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web-1' }] }],
      }),
    );
    const instanceId = launched.Instances?.[0]?.InstanceId ?? '';
    assert.match(instanceId, /^i-[0-9a-f]{17}$/);

    await ec2.send(new CreateTagsCommand({ Resources: [instanceId, subnetId], Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'Name', Value: 'renamed' }] }));
    assert.deepEqual(await instanceTags(ec2, instanceId), [
      { Key: 'Name', Value: 'renamed' },
      { Key: 'team', Value: 'blue' },
    ]);
    assert.deepEqual(await subnetTags(ec2, subnetId), [
      { Key: 'Name', Value: 'renamed' },
      { Key: 'team', Value: 'blue' },
    ]);

    assert.deepEqual(await describeTags(ec2, [{ Name: 'resource-type', Values: ['instance'] }]), [
      [instanceId, 'instance', 'Name', 'renamed'],
      [instanceId, 'instance', 'team', 'blue'],
    ]);
    assert.deepEqual(await describeTags(ec2, [{ Name: 'resource-type', Values: ['subnet'] }]), [
      [subnetId, 'subnet', 'Name', 'renamed'],
      [subnetId, 'subnet', 'team', 'blue'],
    ]);
    // Subnets come before instances, whatever order the filter names them in.
    assert.deepEqual(await describeTags(ec2, [{ Name: 'resource-id', Values: [instanceId, subnetId] }, { Name: 'key', Values: ['team'] }]), [
      [subnetId, 'subnet', 'team', 'blue'],
      [instanceId, 'instance', 'team', 'blue'],
    ]);

    // A key alone removes it whatever its value; no tags at all removes every tag.
    await ec2.send(new DeleteTagsCommand({ Resources: [instanceId], Tags: [{ Key: 'Name' }] }));
    assert.deepEqual(await instanceTags(ec2, instanceId), [{ Key: 'team', Value: 'blue' }]);
    await ec2.send(new DeleteTagsCommand({ Resources: [subnetId] }));
    // An empty tagSet is left out of the item, as EC2 does.
    assert.equal(await subnetTags(ec2, subnetId), undefined);
    assert.deepEqual(await describeTags(ec2, [{ Name: 'resource-id', Values: [instanceId, subnetId] }]), [[instanceId, 'instance', 'team', 'blue']]);

    // A terminated instance is still shown by DescribeInstances, and can still be tagged.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: 'retired', Value: 'yes' }] }));
    assert.deepEqual(await instanceTags(ec2, instanceId), [
      { Key: 'team', Value: 'blue' },
      { Key: 'retired', Value: 'yes' },
    ]);
  });

  test('unknown instance and subnet IDs: their NotFound codes, and nothing is tagged', async () => {
    const { ec2 } = session;
    const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId ?? '';
    const unknownInstance = { code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-0123456789abcdef0' does not exist", status: 400 };
    const unknownSubnet = { code: 'InvalidSubnetID.NotFound', message: "The subnet ID 'subnet-0123456789abcdef0' does not exist", status: 400 };
    const tag = [{ Key: 'env', Value: 'prod' }];
    assert.deepEqual(await ec2Error(ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: tag }))), unknownInstance);
    assert.deepEqual(await ec2Error(ec2.send(new CreateTagsCommand({ Resources: ['subnet-0123456789abcdef0'], Tags: tag }))), unknownSubnet);
    assert.deepEqual(await ec2Error(ec2.send(new DeleteTagsCommand({ Resources: ['i-0123456789abcdef0'] }))), unknownInstance);
    assert.deepEqual(await ec2Error(ec2.send(new DeleteTagsCommand({ Resources: ['subnet-0123456789abcdef0'] }))), unknownSubnet);
    // All or nothing: the known instance is not tagged either.
    assert.deepEqual(await ec2Error(ec2.send(new CreateTagsCommand({ Resources: [instanceId, 'subnet-0123456789abcdef0'], Tags: tag }))), unknownSubnet);
    assert.equal(await instanceTags(ec2, instanceId), undefined);

    // Another account's instance and subnet are unknown to it.
    const subnetId = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets?.[0]?.SubnetId ?? '';
    const other = ec2Client(session.server, await session.server.createAccount({ accountId: '444455556666', platform: 'vpc-only' }));
    try {
      assert.equal((await ec2Error(other.send(new CreateTagsCommand({ Resources: [instanceId], Tags: tag })))).code, 'InvalidInstanceID.NotFound');
      assert.equal((await ec2Error(other.send(new CreateTagsCommand({ Resources: [subnetId], Tags: tag })))).code, 'InvalidSubnetID.NotFound');
      assert.deepEqual(await describeTags(other, [{ Name: 'resource-type', Values: ['instance', 'subnet'] }]), []);
    } finally {
      other.destroy();
    }
  });
});
