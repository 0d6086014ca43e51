import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ec2Client, ec2Error } from '../harness/clients.js';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';


describe('instances in groups, vpc-only account', () => {
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

  test('launch into the default subnet, change groups, terminate', async () => {
    const web = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }))).GroupId ?? '';
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2, SecurityGroupIds: [web] }));
    const instances = launched.Instances ?? [];
    assert.equal(instances.length, 2);
    // Answered pending; the default subnet's first free addresses (the first four are reserved).
    assert.deepEqual(instances.map((i) => [i.State?.Code, i.State?.Name, i.PrivateIpAddress]), [
      [0, 'pending', '172.31.0.4'],
      [0, 'pending', '172.31.0.5'],
    ]);
    assert.deepEqual(instances[0]?.SecurityGroups, [{ GroupId: web, GroupName: 'web' }]);
    const id = instances[0]?.InstanceId ?? '';
    assert.match(id, /^i-[0-9a-f]{17}$/);

    const byGroup = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance.group-id', Values: [web] }] }));
    assert.deepEqual(byGroup.Reservations?.flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i.State?.Name]).sort(), instances.map((i) => [i.InstanceId, 'running']).sort());

    // A group held by an instance cannot be deleted (spec/semantics.md §7).
    assert.deepEqual(await ec2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupId: web }))), { code: 'DependencyViolation', message: `resource ${web} has a dependent object`, status: 400 });

    const app = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app' }))).GroupId ?? '';
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [app, web] }));
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'groupSet' }));
    assert.deepEqual(attribute.Groups?.map((g) => g.GroupId), [app, web]);
    const tooMany = await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: Array.from({ length: 6 }, () => app).map((g, i) => (i === 0 ? g : `sg-0000000${i}`)) })));
    assert.equal(tooMany.code, 'InvalidGroup.NotFound');

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: instances.map((i) => i.InstanceId ?? '') }));
    assert.deepEqual(terminated.TerminatingInstances?.map((c) => [c.PreviousState?.Code, c.CurrentState?.Code]), [
      [16, 32],
      [16, 32],
    ]);
    const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    assert.deepEqual(again.TerminatingInstances?.map((c) => [c.PreviousState?.Code, c.CurrentState?.Code]), [[48, 48]]);
    // Terminated instances hold nothing: both groups can go now.
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: app }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: web }));
    const unknown = await ec2Error(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    assert.deepEqual(unknown, { code: 'InvalidInstanceID.NotFound', message: "The instance ID 'i-0123456789abcdef0' does not exist", status: 400 });
  });

  test('a launch into a subnet of another VPC takes that VPC groups by id only', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc?.VpcId ?? '';
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.1.0/24' }))).Subnet?.SubnetId ?? '';
    const db = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'db', VpcId: vpcId }))).GroupId ?? '';
    const byName = await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroups: ['db'] })));
    assert.deepEqual(byName, { code: 'InvalidParameterCombination', message: 'The parameter groupName cannot be used with the parameter subnet', status: 400 });
    const launched = await ec2.send(
      new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [db], PrivateIpAddress: '10.7.1.50' }),
    );
    assert.equal(launched.Instances?.[0]?.PrivateIpAddress, '10.7.1.50');
    assert.equal(launched.Instances?.[0]?.VpcId, vpcId);
    const taken = await ec2Error(
      ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [db], PrivateIpAddress: '10.7.1.50' })),
    );
    assert.equal(taken.code, 'InvalidParameterValue');
    const defaultVpcGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'default vpc' }))).GroupId ?? '';
    const wrongVpc = await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [defaultVpcGroup] })));
    assert.deepEqual(wrongVpc, { code: 'InvalidGroup.NotFound', message: `The security group '${defaultVpcGroup}' does not exist in VPC '${vpcId}'`, status: 400 });
  });
});

describe('instances in groups, classic account', () => {
  let server: RunningStockade;
  let ec2: EC2Client;
  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'classic' } });
    ec2 = ec2Client(server);
  });
  after(async () => {
    ec2.destroy();
    await server.stop();
  });

  test('Classic launches take Classic groups, default to `default`, and cannot change groups', async () => {
    const plain = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }));
    assert.deepEqual(plain.Groups?.map((g) => g.GroupName), ['default']);
    assert.equal(plain.Instances?.[0]?.VpcId, undefined);
    assert.match(plain.Instances?.[0]?.PrivateIpAddress ?? '', /^10\.0\.0\.[0-9]+$/);
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'websrv', Description: 'Web Servers' }));
    const named = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroups: ['websrv'] }));
    const id = named.Instances?.[0]?.InstanceId ?? '';
    assert.deepEqual(named.Instances?.[0]?.SecurityGroups?.map((g) => g.GroupName), ['websrv']);
    const inUse = await ec2Error(ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'websrv' })));
    assert.deepEqual(inUse, { code: 'InvalidGroup.InUse', message: "There are active instances using security group 'websrv'", status: 400 });
    const fixed = await ec2Error(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [named.Instances?.[0]?.SecurityGroups?.[0]?.GroupId ?? ''] })));
    assert.equal(fixed.code, 'InvalidParameterValue');
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc?.VpcId ?? '';
    const vpcGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'v', Description: 'v', VpcId: vpcId }))).GroupId ?? '';
    const mixed = await ec2Error(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, SecurityGroupIds: [vpcGroup] })));
    assert.deepEqual(mixed, { code: 'InvalidParameterCombination', message: 'VPC security groups may not be used for a non-VPC launch', status: 400 });
  });
});
