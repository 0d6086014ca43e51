import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  DeleteManagedPrefixListCommand,
  DescribeManagedPrefixListsCommand,
  DescribePrefixListsCommand,
  GetManagedPrefixListEntriesCommand,
  paginateGetManagedPrefixListEntries,
} from '@aws-sdk/client-ec2';
import { ec2Error } from '../harness/clients.js';
import { sdkSession } from '../harness/sdk-session.js';

// Issue 13: the managed-prefix-list actions answer an unknown list with InvalidPrefixListID.NotFound
// (upper-case ID), which Terraform's aws provider recognises; a rule naming an unknown list as its
// peer keeps InvalidPrefixListId.NotFound (spec/errors.md §3.2).
describe('an unknown managed prefix list', () => {
  const session = sdkSession();
  const unknown = 'pl-0123456789abcdef0';

  test('DescribeManagedPrefixLists and DeleteManagedPrefixList: InvalidPrefixListID.NotFound', async () => {
    const { ec2 } = session;
    const expected = { code: 'InvalidPrefixListID.NotFound', message: `The prefix list ID '${unknown}' does not exist`, status: 400 };
    assert.deepEqual(await ec2Error(ec2.send(new DescribeManagedPrefixListsCommand({ PrefixListIds: [unknown] }))), expected);
    assert.deepEqual(await ec2Error(ec2.send(new DeleteManagedPrefixListCommand({ PrefixListId: unknown }))), expected);
    assert.deepEqual(await ec2Error(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: unknown }))), expected);
  });

  test('a rule peer: InvalidPrefixListId.NotFound, as before', async () => {
    const { ec2 } = session;
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'pl-peer', Description: 'peer' }));
    const refused = await ec2Error(
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, PrefixListIds: [{ PrefixListId: unknown }] }] })),
    );
    assert.equal(refused.code, 'InvalidPrefixListId.NotFound');
  });
});

// Terraform's aws_ec2_managed_prefix_list reads its entries back with GetManagedPrefixListEntries.
describe('GetManagedPrefixListEntries', () => {
  const session = sdkSession();

  test('the entries of the current version, whole and page by page through the SDK paginator', async () => {
    const { ec2 } = session;
    const entries = Array.from({ length: 12 }, (_, i) => ({ Cidr: `10.${i}.0.0/16`, Description: `office ${i}` }));
    const { PrefixList } = await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'offices', MaxEntries: 20, AddressFamily: 'IPv4', Entries: entries }));
    const PrefixListId = PrefixList?.PrefixListId as string;
    const whole = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId }));
    assert.deepEqual(whole.Entries, entries);
    assert.equal(whole.NextToken, undefined);
    const pages: number[] = [];
    const paged: typeof entries = [];
    for await (const page of paginateGetManagedPrefixListEntries({ client: ec2, pageSize: 5 }, { PrefixListId })) {
      pages.push(page.Entries?.length ?? 0);
      paged.push(...((page.Entries ?? []) as typeof entries));
    }
    assert.deepEqual(pages, [5, 5, 2]);
    assert.deepEqual(paged, entries);
    assert.deepEqual((await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId, TargetVersion: PrefixList?.Version }))).Entries, entries);
    const otherVersion = await ec2Error(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId, TargetVersion: 7 })));
    assert.equal(otherVersion.code, 'InvalidParameterValue');
  });

  test('an AWS-managed list is readable; a malformed ID and a bad page size are refused', async () => {
    const { ec2 } = session;
    const s3 = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.us-east-1.s3'] }] }))).PrefixLists?.[0];
    const read = await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: s3?.PrefixListId }));
    assert.ok((read.Entries?.length ?? 0) > 0);
    assert.equal((await ec2Error(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: 'office' })))).code, 'InvalidPrefixListId.Malformed');
    assert.equal((await ec2Error(ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: s3?.PrefixListId, MaxResults: 101 })))).code, 'InvalidParameterValue');
  });
});

// `aws ec2 describe-prefix-lists`: the AWS-managed lists of the region with their CIDRs (issue 13).
describe('DescribePrefixLists', () => {
  const session = sdkSession();

  test('lists the AWS-managed prefix lists with their CIDRs, by name filter and by ID', async () => {
    const { ec2 } = session;
    const all = (await ec2.send(new DescribePrefixListsCommand({}))).PrefixLists ?? [];
    const names = all.map((l) => l.PrefixListName);
    assert.ok(names.includes('com.amazonaws.us-east-1.s3'), JSON.stringify(names));
    const managed = (await ec2.send(new DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'owner-id', Values: ['AWS'] }] }))).PrefixLists ?? [];
    assert.deepEqual(all.map((l) => l.PrefixListId).sort(), managed.map((l) => l.PrefixListId).sort(), 'the same lists as the AWS-owned managed ones');
    const s3 = all.find((l) => l.PrefixListName === 'com.amazonaws.us-east-1.s3');
    const entries = (await ec2.send(new GetManagedPrefixListEntriesCommand({ PrefixListId: s3?.PrefixListId }))).Entries ?? [];
    assert.deepEqual(s3?.Cidrs, entries.map((e) => e.Cidr));
    const byName = (await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['*.s3'] }] }))).PrefixLists ?? [];
    assert.deepEqual(byName.map((l) => l.PrefixListId), [s3?.PrefixListId]);
    const byId = (await ec2.send(new DescribePrefixListsCommand({ PrefixListIds: [s3?.PrefixListId as string] }))).PrefixLists ?? [];
    assert.equal(byId.length, 1);
  });

  test('a customer-managed list is not among them; an unknown ID is InvalidPrefixListID.NotFound', async () => {
    const { ec2 } = session;
    const { PrefixList } = await ec2.send(new CreateManagedPrefixListCommand({ PrefixListName: 'mine', MaxEntries: 2, AddressFamily: 'IPv4', Entries: [{ Cidr: '10.9.0.0/16' }] }));
    const all = (await ec2.send(new DescribePrefixListsCommand({}))).PrefixLists ?? [];
    assert.ok(!all.some((l) => l.PrefixListId === PrefixList?.PrefixListId));
    assert.equal((await ec2Error(ec2.send(new DescribePrefixListsCommand({ PrefixListIds: [PrefixList?.PrefixListId as string] })))).code, 'InvalidPrefixListID.NotFound');
  });
});
