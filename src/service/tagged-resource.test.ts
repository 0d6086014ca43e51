import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ec2Error } from '../domain/ec2-error.js';
import { QUOTAS } from '../domain/quota.js';
import { kindOfResourceId, RESOURCE_KINDS, type DocumentOf, type TaggedResourceType } from '../state/resource-kind.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../state/document-kind.js';
import { View } from '../state/view.js';
import type { RequestContext } from './request-context.js';
import { ownTaggedResource, ownTaggedResources } from './tagged-resource.js';

const OWNER = '111122223333';
const OTHER = '444455556666';
const REGION = 'us-east-1';
const AT = '2026-01-01T00:00:00.000Z';

/**
 * One document of every kind, all of OWNER in REGION (the rule belongs to the group). A new
 * document kind does not compile until it has a sample here, and the tests below then cover it.
 */
const SAMPLES: { readonly [K in DocumentKind]: { readonly id: string; readonly document: DocumentOf<K> } } = {
  account: { id: OWNER, document: { accountId: OWNER, platform: 'vpc-only', isAdmin: false, createdAt: AT } },
  accessKey: {
    id: 'AKIAEXAMPLE',
    document: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret', accountId: OWNER, enabled: true, createdAt: AT },
  },
  region: { id: `${OWNER}/${REGION}`, document: { accountId: OWNER, region: REGION, defaultVpcId: 'vpc-0000000000000000a' } },
  vpc: {
    id: 'vpc-0000000000000000a',
    document: {
      vpcId: 'vpc-0000000000000000a', ownerId: OWNER, region: REGION, cidrBlock: '10.0.0.0/16', isDefault: true,
      instanceTenancy: 'default', dhcpOptionsId: 'dopt-0000000000000000a', tags: [{ key: 'k', value: 'vpc' }], ordinal: 1,
    },
  },
  // The sample VPC's own (domain/vpc-defaults.ts derives their IDs from the VPC's).
  routeTable: {
    id: 'rtb-4fcb458f2a9e27506',
    document: { routeTableId: 'rtb-4fcb458f2a9e27506', vpcId: 'vpc-0000000000000000a', ownerId: OWNER, region: REGION, tags: [{ key: 'k', value: 'rtb' }] },
  },
  networkAcl: {
    id: 'acl-0389e7b24d1553208',
    document: { networkAclId: 'acl-0389e7b24d1553208', vpcId: 'vpc-0000000000000000a', ownerId: OWNER, region: REGION, tags: [{ key: 'k', value: 'acl' }] },
  },
  subnet: {
    id: 'subnet-0000000000000000a',
    document: {
      subnetId: 'subnet-0000000000000000a', vpcId: 'vpc-0000000000000000a', ownerId: OWNER, region: REGION,
      cidrBlock: '10.0.0.0/24', availabilityZone: 'us-east-1a', defaultForAz: true, tags: [{ key: 'k', value: 'subnet' }], ordinal: 2,
    },
  },
  prefixList: {
    id: 'pl-0000000000000000a',
    document: {
      prefixListId: 'pl-0000000000000000a', ownerId: OWNER, region: REGION, prefixListName: 'office', addressFamily: 'IPv4',
      maxEntries: 1, entries: [{ cidr: '192.0.2.0/24' }], version: 1, tags: [{ key: 'k', value: 'pl' }], ordinal: 3,
    },
  },
  group: {
    id: 'sg-0000000a',
    document: {
      groupId: 'sg-0000000a', ownerId: OWNER, region: REGION, groupName: 'web', description: 'web',
      vpcId: 'vpc-0000000000000000a', tags: [{ key: 'k', value: 'sg' }], ordinal: 4,
    },
  },
  rule: {
    id: 'sgr-0000000000000000a',
    document: {
      ruleId: 'sgr-0000000000000000a', groupId: 'sg-0000000a', groupOwnerId: OWNER, region: REGION, direction: 'ingress',
      ipProtocol: 'tcp', fromPort: 22, toPort: 22, peer: { kind: 'cidr4', cidr: '0.0.0.0/0' }, tags: [{ key: 'k', value: 'sgr' }], ordinal: 5,
    },
  },
  instance: {
    id: 'i-0000000000000000a',
    document: {
      instanceId: 'i-0000000000000000a', reservationId: 'r-0000000000000000a', ownerId: OWNER, region: REGION, imageId: 'ami-12345678',
      instanceType: 't2.micro', state: 'terminated', vpcId: 'vpc-0000000000000000a', subnetId: 'subnet-0000000000000000a',
      availabilityZone: 'us-east-1a', privateIpAddress: '10.0.0.4', groupIds: ['sg-0000000a'], launchTime: AT, amiLaunchIndex: 0,
      tags: [{ key: 'k', value: 'i' }], ordinal: 6,
    },
  },
  host: { id: 'host-a', document: { hostName: 'host-a', createdAt: AT, ordinal: 7 } },
};

/** What tag actions must make of each kind: its DescribeTags name and the code for an unknown ID. */
const TAGGING: { readonly [K in DocumentKind]: { readonly resourceType: TaggedResourceType; readonly notFound: string } | undefined } = {
  account: undefined,
  accessKey: undefined,
  region: undefined,
  vpc: { resourceType: 'vpc', notFound: 'InvalidVpcID.NotFound' },
  routeTable: { resourceType: 'route-table', notFound: 'InvalidRouteTableID.NotFound' },
  networkAcl: { resourceType: 'network-acl', notFound: 'InvalidNetworkAclID.NotFound' },
  subnet: { resourceType: 'subnet', notFound: 'InvalidSubnetID.NotFound' },
  prefixList: { resourceType: 'prefix-list', notFound: 'InvalidPrefixListId.NotFound' },
  group: { resourceType: 'security-group', notFound: 'InvalidGroup.NotFound' },
  rule: { resourceType: 'security-group-rule', notFound: 'InvalidSecurityGroupRuleId.NotFound' },
  instance: { resourceType: 'instance', notFound: 'InvalidInstanceID.NotFound' },
  host: undefined,
};

function loaded(): View {
  const view = new View();
  for (const kind of DOCUMENT_KINDS) view.load(kind, SAMPLES[kind].document);
  return view;
}

function contextOf(accountId: string): RequestContext {
  return { account: { accountId, platform: 'vpc-only', isAdmin: false, createdAt: AT }, region: REGION, modernApi: true, quotas: QUOTAS.current };
}

function codeOf(call: () => unknown): string | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    if (error instanceof Ec2Error) return error.code;
    throw error;
  }
}

test('every kind: loaded, stored and forgotten through RESOURCE_KINDS', () => {
  const view = loaded();
  for (const kind of DOCUMENT_KINDS) {
    const { id, document } = SAMPLES[kind];
    assert.deepEqual(view.document(kind, id), document, kind);
    assert.equal(view.holdsResourceId(id), RESOURCE_KINDS[kind].idPrefix !== undefined, kind);
  }
  view.reset();
  for (const kind of DOCUMENT_KINDS) assert.equal(view.document(kind, SAMPLES[kind].id), undefined, kind);
});

test('every kind with tags: found by ID, listed by DescribeTags, retagged', () => {
  const view = loaded();
  const owner = contextOf(OWNER);
  const other = contextOf(OTHER);
  for (const kind of DOCUMENT_KINDS) {
    const { id } = SAMPLES[kind];
    const want = TAGGING[kind];
    assert.equal(RESOURCE_KINDS[kind].tagging?.resourceType, want?.resourceType, kind);
    if (want === undefined) continue;
    assert.equal(kindOfResourceId(id), kind, kind);
    assert.equal(ownTaggedResource(view, owner, id).resourceType, want.resourceType, kind);
    // Another account's resource, or an unknown ID of the kind, is NotFound.
    assert.equal(codeOf(() => ownTaggedResource(view, other, id)), want.notFound, kind);
    assert.equal(codeOf(() => ownTaggedResource(view, owner, `${id}f`)), want.notFound, kind);
    view.apply({ revision: 1, at: AT, accountId: OWNER, region: REGION, change: { kind: 'TagsSet', resourceId: id, tags: [{ key: 'new', value: kind }] } });
    assert.deepEqual(view.taggedResource(id)?.tags, [{ key: 'new', value: kind }], kind);
    assert.deepEqual(view.takeTouched().get(id), kind, kind);
  }
  // Every taggable kind in DescribeTags order: a group's rules after it, instances last.
  assert.deepEqual(
    [...ownTaggedResources(view, owner)].map((r) => [r.resourceType, r.resourceId]),
    [
      ['vpc', SAMPLES.vpc.id],
      ['subnet', SAMPLES.subnet.id],
      ['security-group', SAMPLES.group.id],
      ['security-group-rule', SAMPLES.rule.id],
      ['prefix-list', SAMPLES.prefixList.id],
      ['instance', SAMPLES.instance.id],
      ['route-table', SAMPLES.routeTable.id],
      ['network-acl', SAMPLES.networkAcl.id],
    ],
  );
  assert.deepEqual([...ownTaggedResources(view, other)], []);
});

test('IDs of no taggable kind are InvalidID', () => {
  const view = loaded();
  const rows = ['ami-12345678', 'r-0000000000000000a', 'eni-0000000000000000a', 'host-a', 'AKIAEXAMPLE', 'SG-0000000A', 'sg', ''];
  for (const id of rows) assert.equal(codeOf(() => ownTaggedResource(view, contextOf(OWNER), id)), 'InvalidID', id);
});
