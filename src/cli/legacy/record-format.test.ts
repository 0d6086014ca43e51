import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CREATE_HEADER_LINE,
  describeRecordLines,
  formatCreatedGroupRecord,
  formatGroupRecord,
  formatPermissionRecord,
  formatReturnRecord,
  formatTagRecord,
  GROUP_HEADER_LINE,
  type PermissionRecord,
} from './record-format.js';
import type { SecurityGroupItem } from './response-xml.js';

// Written with ⇥ for TAB, as spec/cli.md does.
const tabs = (line: string): string => line.replaceAll('⇥', '\t');
const PLAIN = { showEmptyFields: false };
const NIL = { showEmptyFields: true };

const cidrPermission: PermissionRecord = {
  ownerId: '',
  groupName: 'websrv',
  ipProtocol: 'udp',
  fromPort: '53',
  toPort: '53',
  direction: 'ingress',
  peer: { kind: 'cidr', cidrIp: '10.0.0.0/8' },
};
const groupPermission: PermissionRecord = {
  ownerId: '',
  groupName: 'websrv',
  ipProtocol: 'tcp',
  fromPort: '0',
  toPort: '65535',
  direction: 'ingress',
  peer: { kind: 'group', userId: '123456789012', groupName: 'other', groupId: '' },
};

describe('record shapes (spec/cli.md §5)', () => {
  const rows: { name: string; got: () => string; want: string }[] = [
    // §5.1 GROUP, 6 fields.
    {
      name: 'GROUP by name',
      got: () => formatGroupRecord({ groupId: '', ownerId: '', groupName: 'websrv', description: '', vpcId: '' }, PLAIN),
      want: 'GROUP⇥⇥⇥websrv⇥⇥',
    },
    {
      name: 'GROUP by ID',
      got: () => formatGroupRecord({ groupId: 'sg-5a2b3c4d', ownerId: '', groupName: '', description: '', vpcId: '' }, PLAIN),
      want: 'GROUP⇥sg-5a2b3c4d⇥⇥⇥⇥',
    },
    {
      name: 'GROUP by name, --show-empty-fields',
      got: () => formatGroupRecord({ groupId: '', ownerId: '', groupName: 'websrv', description: '', vpcId: '' }, NIL),
      want: 'GROUP⇥(nil)⇥(nil)⇥websrv⇥(nil)⇥(nil)',
    },
    // §5.2 create's 4 fields.
    {
      name: 'created GROUP',
      got: () => formatCreatedGroupRecord({ groupId: 'sg-3c3a1c0c', groupName: 'deis-controller', description: 'Created by Deis' }, PLAIN),
      want: 'GROUP⇥sg-3c3a1c0c⇥deis-controller⇥Created by Deis',
    },
    {
      name: 'created GROUP with empty description, --show-empty-fields',
      got: () => formatCreatedGroupRecord({ groupId: 'sg-3c3a1c0c', groupName: 'x', description: '' }, NIL),
      want: 'GROUP⇥sg-3c3a1c0c⇥x⇥(nil)',
    },
    // §5.3 PERMISSION, CIDR peer, 11 fields.
    { name: 'CIDR PERMISSION', got: () => formatPermissionRecord(cidrPermission, PLAIN), want: 'PERMISSION⇥⇥websrv⇥ALLOWS⇥udp⇥53⇥53⇥FROM⇥CIDR⇥10.0.0.0/8⇥ingress' },
    // §5.7: the FROM(nil) quirk; no extra (nil) on CIDR records.
    {
      name: 'CIDR PERMISSION, --show-empty-fields',
      got: () => formatPermissionRecord(cidrPermission, NIL),
      want: 'PERMISSION⇥(nil)⇥websrv⇥ALLOWS⇥udp⇥53⇥53⇥FROM(nil)⇥CIDR⇥10.0.0.0/8⇥ingress',
    },
    {
      name: 'egress CIDR PERMISSION without ports, --show-empty-fields',
      got: () => formatPermissionRecord({ ...cidrPermission, ipProtocol: '-1', fromPort: '', toPort: '', direction: 'egress' }, NIL),
      want: 'PERMISSION⇥(nil)⇥websrv⇥ALLOWS⇥-1⇥(nil)⇥(nil)⇥TO(nil)⇥CIDR⇥10.0.0.0/8⇥egress',
    },
    // §5.3 group peer, 13 fields, GRPNAME per the seed.
    {
      name: 'group PERMISSION with name, no ID',
      got: () => formatPermissionRecord(groupPermission, PLAIN),
      want: 'PERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥123456789012⇥GRPNAME other⇥⇥ingress',
    },
    {
      name: 'group PERMISSION with name, no ID, --show-empty-fields',
      got: () => formatPermissionRecord(groupPermission, NIL),
      want: 'PERMISSION⇥(nil)⇥websrv⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM(nil)⇥USER⇥123456789012⇥GRPNAME other⇥(nil)⇥ingress',
    },
    {
      name: 'egress group PERMISSION, ID only, no user (seed 4 layout)',
      got: () =>
        formatPermissionRecord(
          { ...groupPermission, groupName: '', fromPort: '1433', toPort: '1433', direction: 'egress', peer: { kind: 'group', userId: '', groupName: '', groupId: 'sg-80aebeec' } },
          PLAIN,
        ),
      want: 'PERMISSION⇥⇥⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO⇥USER⇥⇥⇥ID sg-80aebeec⇥egress',
    },
    {
      name: 'egress group PERMISSION, ID only, --show-empty-fields',
      got: () =>
        formatPermissionRecord(
          { ...groupPermission, groupName: '', fromPort: '1433', toPort: '1433', direction: 'egress', peer: { kind: 'group', userId: '', groupName: '', groupId: 'sg-80aebeec' } },
          NIL,
        ),
      want: 'PERMISSION⇥(nil)⇥(nil)⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO(nil)⇥USER⇥(nil)⇥(nil)⇥ID sg-80aebeec⇥egress',
    },
    // §5.4 TAG, §5.5 RETURN.
    { name: 'TAG', got: () => formatTagRecord('sg-5a2b3c4d', { key: 'Name', value: 'my vpc sg' }, PLAIN), want: 'TAG⇥GROUP⇥sg-5a2b3c4d⇥Name⇥my vpc sg' },
    { name: 'TAG with empty value, --show-empty-fields', got: () => formatTagRecord('sg-5a2b3c4d', { key: 'k', value: '' }, NIL), want: 'TAG⇥GROUP⇥sg-5a2b3c4d⇥k⇥(nil)' },
    { name: 'RETURN', got: () => formatReturnRecord(), want: 'RETURN⇥true' },
    // §5.6 headers.
    { name: 'describe/authorize header', got: () => GROUP_HEADER_LINE, want: 'GROUP⇥Id⇥Owner⇥Name⇥Description⇥VpcID' },
    { name: 'create header', got: () => CREATE_HEADER_LINE, want: 'Type⇥Id⇥Name⇥Description' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(row.got(), tabs(row.want)));
});

const permission = (
  ipProtocol: string,
  fromPort: string,
  toPort: string,
  cidrIps: string[],
  groups: { userId: string; groupId: string; groupName: string }[] = [],
) => ({ ipProtocol, fromPort, toPort, cidrIps, groups });

// spec/cli.md §7 example 11: one Classic and one VPC group.
const CLASSIC_GROUP: SecurityGroupItem = {
  ownerId: '111122223333',
  groupId: 'sg-1a2b3c4d',
  groupName: 'WebServers',
  groupDescription: 'Web Servers',
  vpcId: '',
  ipPermissions: [
    permission('tcp', '80', '80', ['192.0.2.0/24']),
    permission('tcp', '0', '65535', [], [{ userId: '444455556666', groupId: 'sg-3a2b3c4d', groupName: 'other-acct' }]),
    permission('icmp', '-1', '-1', ['0.0.0.0/0']),
  ],
  ipPermissionsEgress: [],
  tagSet: [],
};
const VPC_GROUP: SecurityGroupItem = {
  ownerId: '111122223333',
  groupId: 'sg-5a2b3c4d',
  groupName: 'vpc-sg',
  groupDescription: 'VPC group',
  vpcId: 'vpc-1a2b3c4d',
  ipPermissions: [
    permission('-1', '', '', [], [{ userId: '111122223333', groupId: 'sg-5a2b3c4d', groupName: '' }]),
    permission('50', '', '', ['10.0.0.0/16']),
    permission('icmp', '8', '0', ['10.1.0.0/16']),
  ],
  ipPermissionsEgress: [
    permission('-1', '', '', ['0.0.0.0/0']),
    permission('tcp', '3306', '3306', [], [{ userId: '111122223333', groupId: 'sg-6a2b3c4d', groupName: '' }]),
  ],
  tagSet: [{ key: 'Name', value: 'my vpc sg' }],
};
const EXAMPLE_11: readonly SecurityGroupItem[] = [CLASSIC_GROUP, VPC_GROUP];

describe('describeRecordLines', () => {
  it('prints spec/cli.md §7 example 11 (GRPNAME for NAME)', () => {
    assert.deepEqual(
      describeRecordLines(EXAMPLE_11, { showEmptyFields: false, hideTags: false }),
      [
        'GROUP⇥sg-1a2b3c4d⇥111122223333⇥WebServers⇥Web Servers⇥',
        'PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress',
        'PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥tcp⇥0⇥65535⇥FROM⇥USER⇥444455556666⇥GRPNAME other-acct⇥ID sg-3a2b3c4d⇥ingress',
        'PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥icmp⇥-1⇥-1⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress',
        'GROUP⇥sg-5a2b3c4d⇥111122223333⇥vpc-sg⇥VPC group⇥vpc-1a2b3c4d',
        'PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥all⇥⇥⇥FROM⇥USER⇥111122223333⇥⇥ID sg-5a2b3c4d⇥ingress',
        'PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥50⇥⇥⇥FROM⇥CIDR⇥10.0.0.0/16⇥ingress',
        'PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥icmp⇥8⇥0⇥FROM⇥CIDR⇥10.1.0.0/16⇥ingress',
        'PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥all⇥⇥⇥TO⇥CIDR⇥0.0.0.0/0⇥egress',
        'PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥tcp⇥3306⇥3306⇥TO⇥USER⇥111122223333⇥⇥ID sg-6a2b3c4d⇥egress',
        'TAG⇥GROUP⇥sg-5a2b3c4d⇥Name⇥my vpc sg',
      ].map(tabs),
    );
  });

  it('drops TAG lines with --hide-tags', () => {
    const lines = describeRecordLines(EXAMPLE_11, { showEmptyFields: false, hideTags: true });
    assert.equal(lines.length, 10);
    assert.ok(lines.every((line) => !line.startsWith('TAG')));
  });

  // The 1.6.7.1 tools' order against the same server (issue 13).
  it('prints group peers before CIDR peers of one permission, one line each', () => {
    const group: SecurityGroupItem = {
      ...CLASSIC_GROUP,
      ipPermissions: [permission('tcp', '22', '22', ['10.0.0.0/8', '192.0.2.0/24'], [{ userId: '111122223333', groupId: 'sg-00000001', groupName: 'a' }])],
    };
    assert.deepEqual(describeRecordLines([group], { showEmptyFields: false, hideTags: false }).slice(1), [
      tabs('PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥USER⇥111122223333⇥GRPNAME a⇥ID sg-00000001⇥ingress'),
      tabs('PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥10.0.0.0/8⇥ingress'),
      tabs('PERMISSION⇥111122223333⇥WebServers⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress'),
    ]);
  });

  it('prints a permission with no IPv4 or group peer as nothing', () => {
    const group: SecurityGroupItem = { ...CLASSIC_GROUP, ipPermissions: [permission('tcp', '22', '22', [])] };
    assert.deepEqual(describeRecordLines([group], { showEmptyFields: false, hideTags: false }), [tabs('GROUP⇥sg-1a2b3c4d⇥111122223333⇥WebServers⇥Web Servers⇥')]);
  });

  it('prints (nil) for empty describe fields with --show-empty-fields', () => {
    const lines = describeRecordLines([VPC_GROUP], { showEmptyFields: true, hideTags: false });
    assert.equal(lines[1], tabs('PERMISSION⇥111122223333⇥vpc-sg⇥ALLOWS⇥all⇥(nil)⇥(nil)⇥FROM(nil)⇥USER⇥111122223333⇥(nil)⇥ID sg-5a2b3c4d⇥ingress'));
    assert.equal(
      describeRecordLines([CLASSIC_GROUP], { showEmptyFields: true, hideTags: false })[0],
      tabs('GROUP⇥sg-1a2b3c4d⇥111122223333⇥WebServers⇥Web Servers⇥(nil)'),
    );
  });
});
