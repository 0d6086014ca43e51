import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ACTION_NAMES } from '../../src/api/action-table.js';
import * as errors from '../../src/domain/ec2-errors.js';
import { EC2_ERROR_CODES, EC2_ERROR_STATUS } from '../../src/domain/ec2-errors.js';
import { Ec2Error } from '../../src/domain/ec2-error.js';
import { REPO_ROOT } from '../harness/stockade-process.js';

// The error catalogue and the action table must not drift from the specification
// (STYLE.md "Drift tests"). The spec lives beside the repository, in ../shared/spec.

const SPEC = path.resolve(REPO_ROOT, '../shared/spec');
const errorsMd = readFileSync(path.join(SPEC, 'errors.md'), 'utf8');
const apiMd = readFileSync(path.join(SPEC, 'api.md'), 'utf8');

/** First-column codes of the tables in a section of errors.md. */
function tableCodes(section: string): Map<string, string[]> {
  const start = errorsMd.indexOf(section);
  assert.ok(start >= 0, `section ${section} not found`);
  const end = errorsMd.indexOf('\n### ', start + section.length);
  const rows = new Map<string, string[]>();
  for (const line of errorsMd.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // `InvalidPrefixListId.NotFound` / `.Malformed`: a leading dot continues the previous code.
    let base = '';
    for (const m of (cells[1] ?? '').matchAll(/`([A-Za-z0-9.]+)`/g)) {
      const token = m[1] ?? '';
      const code = token.startsWith('.') ? `${base}${token}` : token;
      base = code.split('.')[0] ?? '';
      rows.set(code, cells);
    }
  }
  return rows;
}

/**
 * Codes of DescribeNetworkInterfaces, served beyond the spec because Terraform calls it, and of
 * Stockade's own feed endpoints.
 */
const BEYOND_SPEC: ReadonlySet<string> = new Set([
  'InvalidNetworkInterfaceID.NotFound',
  'InvalidNetworkInterfaceID.Malformed',
  'RevisionCompacted',
  // Issue 13: the managed-prefix-list actions' code for an unknown list, route tables, network ACLs.
  'InvalidPrefixListID.NotFound',
  'InvalidRouteTableID.NotFound',
  'InvalidNetworkAclID.NotFound',
  // Issue 13: ModifyManagedPrefixList's stale version and its CIDR both added and removed.
  'PrefixListVersionMismatch',
  'InvalidRequest',
  // Issue 13: AssociateVpcCidrBlock's limit and DisassociateVpcCidrBlock's unknown association.
  'CidrLimitExceeded',
  'InvalidVpcCidrBlockAssociationID.NotFound',
  // IPv6 subnets and instance addresses: overlapping blocks, unknown subnet associations, a block
  // in use, an address in use.
  'InvalidSubnet.Conflict',
  'InvalidSubnetCidrBlockAssociationID.NotFound',
  'InvalidCidrBlock.InUse',
  'InvalidIPAddress.InUse',
  // Issue 13: instances as Terraform creates them, images, and bodies that end early.
  'IncorrectInstanceState',
  'InvalidAMIID.Malformed',
  'InvalidAMIID.NotFound',
  'InvalidInstanceType',
  'IncompleteBody',
]);

test('every code the catalogue can send is named in spec/errors.md', () => {
  const tabled = new Set([...tableCodes('### 3.1').keys(), ...tableCodes('### 3.2').keys()]);
  for (const code of EC2_ERROR_CODES) {
    if (BEYOND_SPEC.has(code)) continue;
    assert.ok(tabled.has(code) || errorsMd.includes(`\`${code}\``), `${code} is not in errors.md`);
  }
  // An exception the spec has caught up with is removed from the list.
  for (const code of BEYOND_SPEC) assert.ok(!errorsMd.includes(`\`${code}\``), `${code} is in errors.md now: drop it from BEYOND_SPEC`);
});

test('every code of the §3.1 and §3.2 tables is in the catalogue', () => {
  for (const section of ['### 3.1', '### 3.2']) {
    for (const code of tableCodes(section).keys()) {
      // Codes of actions this server does not offer yet are listed in the spec but not sendable.
      assert.ok((EC2_ERROR_CODES as readonly string[]).includes(code), `${code} (errors.md ${section}) is missing from the catalogue`);
    }
  }
});

test('HTTP statuses agree with the §3.1 table', () => {
  for (const [code, cells] of tableCodes('### 3.1')) {
    const status = Number(/\d{3}/.exec(cells[2] ?? '')?.[0]);
    if (Number.isNaN(status)) continue;
    assert.equal(EC2_ERROR_STATUS[code as errors.Ec2ErrorCode], status, code);
  }
});

test('fixed messages appear verbatim in spec/errors.md', () => {
  const fixed: [string, Ec2Error][] = [
    ['authFailure', errors.authFailure()],
    ['signatureDoesNotMatch', errors.signatureDoesNotMatch()],
    ['requestExpired', errors.requestExpired()],
    ['dryRunOperation', errors.dryRunOperation()],
    ['requestLimitExceeded', errors.requestLimitExceeded()],
    ['vpcProtocolRequired', errors.vpcProtocolRequired()],
    ['icmpPortsRequired', errors.icmpPortsRequired()],
    ['allProtocolsWithPorts', errors.allProtocolsWithPorts()],
    ['samePermissionTwice', errors.samePermissionTwice()],
    ['missingPeer2016', errors.missingPeer2016()],
    ['missingPeerLegacy', errors.missingPeerLegacy()],
    ['vpcGroupsOnly', errors.vpcGroupsOnly()],
    ['emptyGroupIdInList', errors.emptyGroupIdInList()],
    ['permissionNotFound', errors.permissionNotFound()],
    ['rulesPerGroupLimitExceeded', errors.rulesPerGroupLimitExceeded()],
    ['groupReserved', errors.groupReserved()],
    ['sourceGroupIdMissing', errors.sourceGroupIdMissing()],
    ['vpcGroupInClassicLaunch', errors.vpcGroupInClassicLaunch()],
    ['groupNameWithSubnet', errors.groupNameWithSubnet()],
    ['onePeerOnly', errors.onePeerOnly()],
  ];
  for (const [name, error] of fixed) assert.ok(errorsMd.includes(error.message), `${name}: "${error.message}" is not in errors.md`);
});

test('templated messages render the spec examples exactly', () => {
  // [error, its message, the message as the spec writes it when that is a template]
  const rows: [Ec2Error, string, string?][] = [
    [errors.groupIdNotFound('sg-1a2b3c4d'), "The security group 'sg-1a2b3c4d' does not exist"],
    [errors.groupIdMalformed(''), "The security-group ID '' is malformed"],
    [errors.unsupportedClassicProtocol('-1'), 'Unsupported IP protocol "-1"  - supported: [tcp, udp, icmp]', 'Unsupported IP protocol "<p>"  - supported: [tcp, udp, icmp]'],
    [errors.portOutOfRange(-1), 'TCP/UDP port (-1) out of range'],
    [errors.icmpOutOfRange('code', 65535), 'ICMP code (65535) out of range'],
    [errors.unknownProtocol('all'), "Invalid value 'all' for IP protocol. Unknown protocol."],
    [errors.cidrMalformed('::/0'), 'CIDR block ::/0 is malformed'],
    [errors.groupNameLooksLikeId('sg-017c251'), 'Value (sg-017c251) for parameter GroupName is invalid. Group names may not be in the format sg-*.'],
    [errors.maxResultsOutOfRange(1, 5, 1000), 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.'],
    [errors.cannotDeleteDefault('sg-51530134'), 'the specified group: "sg-51530134" name: "default" cannot be deleted by a user'],
    [errors.vpcRange('10.0.0.0/8'), "The CIDR '10.0.0.0/8' is invalid."],
    [errors.permissionDuplicate('peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW'), 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists'],
    [errors.missingParameter('GroupDescription'), 'The request must contain the parameter GroupDescription'],
  ];
  // The spec writes templates with <placeholders>: each becomes a wildcard.
  const templates = [...errorsMd.matchAll(/`([^`]*<[^`]+>[^`]*)`/g)].map(
    (m) => new RegExp(`^${(m[1] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/<[^>]+>/g, '.+')}$`),
  );
  for (const [error, message, specForm] of rows) {
    assert.equal(error.message, message);
    const literal = specForm ?? message;
    assert.ok(errorsMd.includes(literal) || templates.some((t) => t.test(message)), `"${message}" matches nothing in errors.md`);
  }
});

test('the action table covers every action the issues name', () => {
  const required = [
    'CreateSecurityGroup', 'DeleteSecurityGroup', 'DescribeSecurityGroups', 'AuthorizeSecurityGroupIngress',
    'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'DescribeSecurityGroupRules',
    'ModifySecurityGroupRules', 'UpdateSecurityGroupRuleDescriptionsIngress', 'UpdateSecurityGroupRuleDescriptionsEgress',
    'CreateTags', 'DeleteTags', 'DescribeTags', 'CreateManagedPrefixList', 'DescribeManagedPrefixLists',
    'DeleteManagedPrefixList', 'CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'DescribeAccountAttributes',
    // Instances (issue 4, spec/api.md §5.13–§5.14).
    'CreateSubnet', 'DescribeSubnets', 'DeleteSubnet', 'RunInstances', 'DescribeInstances', 'TerminateInstances',
    'ModifyInstanceAttribute', 'DescribeInstanceAttribute',
    // Not named by an issue, served for Terraform: its security-group and subnet deletes call
    // DescribeNetworkInterfaces first, and its aws_vpc reads and sets VPC attributes.
    'DescribeNetworkInterfaces', 'DescribeVpcAttribute', 'ModifyVpcAttribute',
    // Issue 13: managed prefix lists, whole.
    'GetManagedPrefixListEntries', 'DescribePrefixLists', 'DescribeRouteTables', 'DescribeNetworkAcls',
    'ModifyManagedPrefixList', 'GetManagedPrefixListAssociations', 'AssociateVpcCidrBlock', 'DisassociateVpcCidrBlock',
    // IPv6 subnets: Terraform's aws_subnet with ipv6_cidr_block and assign_ipv6_address_on_creation.
    'AssociateSubnetCidrBlock', 'DisassociateSubnetCidrBlock', 'ModifySubnetAttribute',
    // Issue 13: instances as Terraform creates them (aws_instance, data "aws_ami", data
    // "aws_availability_zones"); the provider changes an instance's groups on its primary interface.
    'DescribeInstanceCreditSpecifications', 'DescribeInstanceTypes', 'DescribeAvailabilityZones', 'DescribeImages',
    'ModifyNetworkInterfaceAttribute',
  ];
  assert.deepEqual([...ACTION_NAMES].sort(), [...required].sort());
  // Every action of api.md §5.1–§5.10, §5.12 and §5.13's required rows is served.
  for (const heading of apiMd.matchAll(/^### 5\.(?:[1-9]|10) ([A-Za-z]+)/gm)) {
    const name = heading[1] ?? '';
    assert.ok((ACTION_NAMES as readonly string[]).includes(name), `${name} (api.md) is not in the action table`);
  }
});
