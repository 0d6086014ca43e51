import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DeleteManagedPrefixListCommand, DescribeManagedPrefixListsCommand } from '@aws-sdk/client-ec2';
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
