import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from './cli-error.js';
import { parseCommandLine } from './option-parser.js';
import {
  PERMISSION_OPTIONS,
  permissionAction,
  permissionArgumentsFromCommandLine,
  permissionEchoLines,
  permissionRequestFromArguments,
  permissionRequestParams,
} from './permission-request.js';

const SPECS = Object.values(PERMISSION_OPTIONS);
const T = '\t';

function build(argv: string[], isVpc = false): { params: string[]; lines: string[]; action: string } {
  const args = permissionArgumentsFromCommandLine(parseCommandLine(argv, SPECS));
  const request = permissionRequestFromArguments(args, isVpc);
  return {
    params: permissionRequestParams(request).map(([name, value]) => `${name}=${value}`),
    lines: permissionEchoLines(request, { showEmptyFields: false }),
    action: permissionAction('authorize', request),
  };
}

function usageMessage(argv: string[], isVpc = false): string {
  try {
    build(argv, isVpc);
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a UsageError: ${String(error)}`);
    return error.message;
  }
  return assert.fail(`no usage error for ${argv.join(' ')}`);
}

describe('authorize/revoke usage errors (spec/cli.md §3.2, verbatim)', () => {
  const rows: { argv: string[]; vpc?: boolean; message: string }[] = [
    // GROUP and positionals.
    { argv: ['-P', 'tcp', '-p', '22'], message: "Required parameter 'GROUP' missing (-h for usage)" },
    { argv: ['web', 'extra', '-p', '22'], message: "Unexpected parameter 'extra' encountered (-h for usage)" },
    // Subnet aliases.
    { argv: ['web', '-p', '22', '--dest-subnet', '10.0.0.0/8'], message: 'Specify --dest-subnet for egress requests only. (-h for usage)' },
    {
      argv: ['sg-1a2b3c4d', '--egress', '-P', 'tcp', '-p', '22', '--source-subnet', '10.0.0.0/8'],
      vpc: true,
      message: 'Specify --source-subnet for ingress requests only. (-h for usage)',
    },
    // -p syntax.
    { argv: ['web', '-p', 'abc'], message: "Invalid range specified: 'abc' (use m-n)" },
    { argv: ['web', '-p', '80-70'], message: "Invalid range specified: '80-70' (use m-n)" },
    { argv: ['web', '-p', '65536'], message: "Invalid range specified: '65536' (use m-n)" },
    { argv: ['web', '-p', '1-2-3'], message: "Invalid range specified: '1-2-3' (use m-n)" },
    { argv: ['web', '-p', '-2'], message: "Invalid range specified: '-2' (use m-n)" },
    { argv: ['web', '-p', ''], message: "Invalid range specified: '' (use m-n)" },
    // -t syntax.
    { argv: ['web', '-P', 'icmp', '-t', '8'], message: "Invalid argument for option '-t, --icmp-type-code TYPE:CODE': '8' (-h for usage)" },
    { argv: ['web', '-P', 'icmp', '-t', 'a:b'], message: "Invalid argument for option '-t, --icmp-type-code TYPE:CODE': 'a:b' (-h for usage)" },
    { argv: ['web', '-P', 'icmp', '-t', '-2:0'], message: "Invalid argument for option '-t, --icmp-type-code TYPE:CODE': '-2:0' (-h for usage)" },
    // Peers.
    {
      argv: ['web', '-P', 'tcp', '-p', '22', '-s', '10.0.0.0/8', '-o', 'other', '-u', '111122223333'],
      message: 'Specify either source groups or source CIDRs, not both. (-h for usage)',
    },
    {
      argv: ['web', '-o', 'a', '-u', '111122223333', '-u', '444455556666', '-o', 'b', '-o', 'c'],
      message: "Required option '-o, --source-or-dest-group SOURCE-OR-DEST-GROUP' missing (-h for usage)",
    },
    {
      argv: ['web', '-P', 'tcp', '-p', '22', '-u', '111122223333', '-u', '444455556666'],
      message: "Required option '-o, --source-or-dest-group SOURCE-OR-DEST-GROUP' missing (-h for usage)",
    },
    {
      argv: ['web', '-o', 'other'],
      message: "Required option '-u, --source-or-dest-group-user SOURCE-OR-DEST-GROUP-USER' missing (-h for usage)",
    },
    // Protocols on non-VPC targets (names are always non-VPC).
    ...['gre', 'all', '-1', 'icmpv6', '50', '58'].map((protocol) => ({
      argv: ['web', '-P', protocol, '-s', '10.0.0.0/8'],
      message: 'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)',
    })),
    { argv: ['sg-1a2b3c4d', '-P', 'all'], vpc: false, message: 'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)' },
    // Protocol omitted.
    { argv: ['sg-1a2b3c4d', '-p', '22'], vpc: true, message: "Required option '-P, --protocol PROTOCOL' missing (-h for usage)" },
    { argv: ['web', '-o', 'other', '-u', '111122223333', '-p', '80'], message: "Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)" },
    { argv: ['web', '-o', 'other', '-u', '111122223333', '-t', '8:0'], message: "Unexpected option '-t, --icmp-type-code TYPE:CODE' encountered (-h for usage)" },
    { argv: ['web'], message: "Required option '-p, --port-range PORT-RANGE' missing (-h for usage)" },
    // Ports against protocol.
    { argv: ['web', '-P', 'tcp'], message: "Required option '-p, --port-range PORT-RANGE' missing (-h for usage)" },
    { argv: ['web', '-P', '17'], message: "Required option '-p, --port-range PORT-RANGE' missing (-h for usage)" },
    { argv: ['web', '-P', 'tcp', '-t', '8:0', '-p', '22'], message: "Unexpected option '-t, --icmp-type-code TYPE:CODE' encountered (-h for usage)" },
    { argv: ['web', '-P', 'icmp'], message: "Required option '-t, --icmp-type-code TYPE:CODE' missing (-h for usage)" },
    { argv: ['web', '-P', 'icmp', '-p', '22', '-t', '8:0'], message: "Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)" },
    { argv: ['sg-1a2b3c4d', '-P', '-1', '-p', '22'], vpc: true, message: "Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)" },
    { argv: ['sg-1a2b3c4d', '-P', '50', '-t', '8:0'], vpc: true, message: "Unexpected option '-t, --icmp-type-code TYPE:CODE' encountered (-h for usage)" },
    { argv: ['sg-1a2b3c4d', '-P', 'all', '-p', '-1'], vpc: true, message: "Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)" },
  ];
  for (const row of rows) {
    it(`${row.argv.join(' ')}${row.vpc === true ? ' (VPC)' : ''}`, () => {
      assert.equal(usageMessage(row.argv, row.vpc ?? false), row.message);
    });
  }
});

describe('authorize/revoke request parameters', () => {
  const rows: { argv: string[]; vpc?: boolean; action?: string; params: string[] }[] = [
    // api.md §6.1 [observed-cli].
    {
      argv: ['websrv', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=80', 'IpPermissions.1.ToPort=80', 'IpPermissions.1.IpRanges.1.CidrIp=192.0.2.0/24'],
    },
    {
      argv: ['websrv', '-o', 'other', '-u', '123456789012'],
      params: [
        'GroupName=websrv',
        ...[
          ['1', 'tcp', '0', '65535'],
          ['2', 'udp', '0', '65535'],
          ['3', 'icmp', '-1', '-1'],
        ].flatMap(([n, protocol, from, to]) => [
          `IpPermissions.${n}.IpProtocol=${protocol}`,
          `IpPermissions.${n}.FromPort=${from}`,
          `IpPermissions.${n}.ToPort=${to}`,
          `IpPermissions.${n}.Groups.1.GroupName=other`,
          `IpPermissions.${n}.Groups.1.UserId=123456789012`,
        ]),
      ],
    },
    {
      argv: ['sg-5a2b3c4d', '--egress', '-P', 'all', '-s', '0.0.0.0/0'],
      vpc: true,
      action: 'AuthorizeSecurityGroupEgress',
      params: ['GroupId=sg-5a2b3c4d', 'IpPermissions.1.IpProtocol=-1', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // Defaults: protocol tcp and 0.0.0.0/0 (spec/cli.md §7 example 2).
    {
      argv: ['websrv', '-p', '443'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=443', 'IpPermissions.1.ToPort=443', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // Port ranges and -1.
    {
      argv: ['websrv', '-P', 'udp', '-p', '80-84'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=udp', 'IpPermissions.1.FromPort=80', 'IpPermissions.1.ToPort=84', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    {
      argv: ['websrv', '-P', 'tcp', '-p', '-1'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=0', 'IpPermissions.1.ToPort=65535', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // ICMP type:code, -1 kept, no upper bound.
    {
      argv: ['websrv', '-P', 'icmp', '-t', '-1:-1'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=icmp', 'IpPermissions.1.FromPort=-1', 'IpPermissions.1.ToPort=-1', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    {
      argv: ['websrv', '-P', '1', '-t', '300:0'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=1', 'IpPermissions.1.FromPort=300', 'IpPermissions.1.ToPort=0', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // Names lower-cased; numbers sent verbatim.
    {
      argv: ['websrv', '-P', 'TCP', '-p', '22'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    {
      argv: ['websrv', '-P', '6', '-p', '22'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=6', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // VPC: unknown names verbatim, numbers without ports.
    { argv: ['sg-5a2b3c4d', '-P', 'GRE', '-s', '10.0.0.0/8'], vpc: true, params: ['GroupId=sg-5a2b3c4d', 'IpPermissions.1.IpProtocol=gre', 'IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/8'] },
    { argv: ['sg-5a2b3c4d', '-P', '50'], vpc: true, params: ['GroupId=sg-5a2b3c4d', 'IpPermissions.1.IpProtocol=50', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'] },
    // Repeated -s and -o; -u pairing.
    {
      argv: ['websrv', '-P', 'udp', '-p', '1000-2000', '-s', '10.1.0.0/16', '-s', '10.2.0.0/16'],
      params: [
        'GroupName=websrv',
        'IpPermissions.1.IpProtocol=udp',
        'IpPermissions.1.FromPort=1000',
        'IpPermissions.1.ToPort=2000',
        'IpPermissions.1.IpRanges.1.CidrIp=10.1.0.0/16',
        'IpPermissions.1.IpRanges.2.CidrIp=10.2.0.0/16',
      ],
    },
    {
      argv: ['websrv', '-P', 'tcp', '-p', '22', '-u', '111122223333', '-o', 'a', '-o', 'sg-0000abcd'],
      params: [
        'GroupName=websrv',
        'IpPermissions.1.IpProtocol=tcp',
        'IpPermissions.1.FromPort=22',
        'IpPermissions.1.ToPort=22',
        'IpPermissions.1.Groups.1.GroupName=a',
        'IpPermissions.1.Groups.1.UserId=111122223333',
        'IpPermissions.1.Groups.2.GroupId=sg-0000abcd',
        'IpPermissions.1.Groups.2.UserId=111122223333',
      ],
    },
    {
      argv: ['websrv', '-P', 'tcp', '-p', '22', '-o', 'a', '-u', '111122223333', '-o', 'b', '-u', '444455556666'],
      params: [
        'GroupName=websrv',
        'IpPermissions.1.IpProtocol=tcp',
        'IpPermissions.1.FromPort=22',
        'IpPermissions.1.ToPort=22',
        'IpPermissions.1.Groups.1.GroupName=a',
        'IpPermissions.1.Groups.1.UserId=111122223333',
        'IpPermissions.1.Groups.2.GroupName=b',
        'IpPermissions.1.Groups.2.UserId=444455556666',
      ],
    },
    // VPC: -u optional.
    {
      argv: ['sg-5a2b3c4d', '-P', 'tcp', '-p', '3306', '-o', 'sg-4cab0644'],
      vpc: true,
      params: ['GroupId=sg-5a2b3c4d', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=3306', 'IpPermissions.1.ToPort=3306', 'IpPermissions.1.Groups.1.GroupId=sg-4cab0644'],
    },
    // -u without -o: a permission with no peer (semantics.md §2.2).
    {
      argv: ['websrv', '-P', 'tcp', '-p', '22', '-u', '111122223333'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22'],
    },
    // Egress by name: no target parameter at all (spec/cli.md §3.2).
    {
      argv: ['websrv', '--egress', '-P', 'tcp', '-p', '22'],
      action: 'AuthorizeSecurityGroupEgress',
      params: ['IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
    // Subnet aliases; CIDR syntax is not checked.
    {
      argv: ['websrv', '-P', 'tcp', '-p', '22', '--source-subnet', 'garbage'],
      params: ['GroupName=websrv', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=garbage'],
    },
    {
      argv: ['sg-5a2b3c4d', '--egress', '-P', 'tcp', '-p', '22', '--dest-subnet', '10.0.0.0/8'],
      vpc: true,
      action: 'AuthorizeSecurityGroupEgress',
      params: ['GroupId=sg-5a2b3c4d', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0/8'],
    },
    // An sg- ID on a non-VPC group still goes as GroupId.
    {
      argv: ['sg-x', '-P', 'tcp', '-p', '22'],
      params: ['GroupId=sg-x', 'IpPermissions.1.IpProtocol=tcp', 'IpPermissions.1.FromPort=22', 'IpPermissions.1.ToPort=22', 'IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0/0'],
    },
  ];
  for (const row of rows) {
    it(`${row.argv.join(' ')}${row.vpc === true ? ' (VPC)' : ''}`, () => {
      const built = build(row.argv, row.vpc ?? false);
      assert.deepEqual(built.params, row.params);
      assert.equal(built.action, row.action ?? 'AuthorizeSecurityGroupIngress');
    });
  }
});

describe('authorize/revoke echo (spec/cli.md §7, GRPNAME per the seed)', () => {
  const rows: { name: string; argv: string[]; vpc?: boolean; lines: string[] }[] = [
    {
      name: 'example 1',
      argv: ['websrv', '-P', 'tcp', '-p', '80', '-s', '192.0.2.0/24'],
      lines: [`GROUP${T}${T}${T}websrv${T}${T}`, `PERMISSION${T}${T}websrv${T}ALLOWS${T}tcp${T}80${T}80${T}FROM${T}CIDR${T}192.0.2.0/24${T}ingress`],
    },
    {
      name: 'example 3',
      argv: ['websrv', '-o', 'other', '-u', '123456789012'],
      lines: [
        `GROUP${T}${T}${T}websrv${T}${T}`,
        `PERMISSION${T}${T}websrv${T}ALLOWS${T}tcp${T}0${T}65535${T}FROM${T}USER${T}123456789012${T}GRPNAME other${T}${T}ingress`,
        `PERMISSION${T}${T}websrv${T}ALLOWS${T}udp${T}0${T}65535${T}FROM${T}USER${T}123456789012${T}GRPNAME other${T}${T}ingress`,
        `PERMISSION${T}${T}websrv${T}ALLOWS${T}icmp${T}-1${T}-1${T}FROM${T}USER${T}123456789012${T}GRPNAME other${T}${T}ingress`,
      ],
    },
    {
      name: 'example 4',
      argv: ['websrv', '-P', 'udp', '-p', '1000-2000', '-s', '10.1.0.0/16', '-s', '10.2.0.0/16'],
      lines: [
        `GROUP${T}${T}${T}websrv${T}${T}`,
        `PERMISSION${T}${T}websrv${T}ALLOWS${T}udp${T}1000${T}2000${T}FROM${T}CIDR${T}10.1.0.0/16${T}ingress`,
        `PERMISSION${T}${T}websrv${T}ALLOWS${T}udp${T}1000${T}2000${T}FROM${T}CIDR${T}10.2.0.0/16${T}ingress`,
      ],
    },
    {
      name: 'example 5',
      argv: ['sg-5a2b3c4d', '-P', 'tcp', '-p', '3306', '-o', 'sg-4cab0644'],
      vpc: true,
      lines: [`GROUP${T}sg-5a2b3c4d${T}${T}${T}${T}`, `PERMISSION${T}${T}${T}ALLOWS${T}tcp${T}3306${T}3306${T}FROM${T}USER${T}${T}${T}ID sg-4cab0644${T}ingress`],
    },
    {
      name: 'example 6',
      argv: ['sg-5a2b3c4d', '--egress', '-P', 'tcp', '-p', '3306', '-o', 'sg-4cab0644'],
      vpc: true,
      lines: [`GROUP${T}sg-5a2b3c4d${T}${T}${T}${T}`, `PERMISSION${T}${T}${T}ALLOWS${T}tcp${T}3306${T}3306${T}TO${T}USER${T}${T}${T}ID sg-4cab0644${T}egress`],
    },
    {
      name: 'example 7',
      argv: ['sg-5a2b3c4d', '-P', 'all', '-s', '10.5.0.0/16'],
      vpc: true,
      lines: [`GROUP${T}sg-5a2b3c4d${T}${T}${T}${T}`, `PERMISSION${T}${T}${T}ALLOWS${T}-1${T}${T}${T}FROM${T}CIDR${T}10.5.0.0/16${T}ingress`],
    },
    {
      name: 'unmasked CIDR echoed as sent',
      argv: ['websrv', '-p', '22', '-s', '205.192.8.45/24'],
      lines: [`GROUP${T}${T}${T}websrv${T}${T}`, `PERMISSION${T}${T}websrv${T}ALLOWS${T}tcp${T}22${T}22${T}FROM${T}CIDR${T}205.192.8.45/24${T}ingress`],
    },
    {
      name: 'no peer: no PERMISSION line',
      argv: ['websrv', '-P', 'tcp', '-p', '22', '-u', '111122223333'],
      lines: [`GROUP${T}${T}${T}websrv${T}${T}`],
    },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(build(row.argv, row.vpc ?? false).lines, row.lines));
  }
});
