import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateSecurityGroupCommand,
  DeleteManagedPrefixListCommand,
  DescribeManagedPrefixListsCommand,
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
