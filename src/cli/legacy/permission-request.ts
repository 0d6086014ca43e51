import {
  destSubnetWithIngress,
  invalidOptionArgument,
  invalidPortRange,
  nonVpcProtocolUnsupported,
  requiredOptionMissing,
  requiredParameterMissing,
  sourceSubnetWithEgress,
  sourcesConflict,
  unexpectedOption,
  unexpectedParameter,
} from './cli-errors.js';
import { isGroupIdForChange } from './group-reference.js';
import { hasOption, optionValue, optionValues, type ParsedCommandLine } from './option-parser.js';
import type { OptionSpec } from './option-spec.js';
import type { QueryParams } from './query-client.js';
import {
  formatGroupRecord,
  formatPermissionRecord,
  type PermissionPeer,
  type RecordOptions,
} from './record-format.js';

/**
 * `ec2-authorize` / `ec2-revoke`: from the command line to the Query parameters and the echoed
 * records (spec/cli.md §3.2). Checks run in two phases because some rules depend on whether the
 * target is a VPC group, which the tools learn from a DescribeSecurityGroups pre-check.
 */

/** The options of authorize and revoke (spec/cli.md §3.2). */
export const PERMISSION_OPTIONS = {
  egress: { long: 'egress', help: 'Change an egress (outbound) rule of a VPC group instead of an ingress rule.' },
  protocol: {
    long: 'protocol',
    short: 'P',
    valueName: 'PROTOCOL',
    help: 'tcp, udp, icmp or a protocol number; VPC groups also take other names and all (= -1). Required for VPC groups.',
  },
  portRange: {
    long: 'port-range',
    short: 'p',
    valueName: 'PORT-RANGE',
    help: 'tcp/udp ports: N, M-N, or -1 for 0-65535.',
  },
  icmpTypeCode: {
    long: 'icmp-type-code',
    short: 't',
    valueName: 'TYPE:CODE',
    help: 'icmp type and code, -1 meaning any (e.g. -t 8:0, -t -1:-1).',
  },
  user: {
    long: 'source-or-dest-group-user',
    short: 'u',
    valueName: 'SOURCE-OR-DEST-GROUP-USER',
    repeatable: true,
    help: 'Account owning the -o group(s): give one for all of them or one per -o, in order. Required for non-VPC groups.',
  },
  group: {
    long: 'source-or-dest-group',
    short: 'o',
    valueName: 'SOURCE-OR-DEST-GROUP',
    repeatable: true,
    help: 'Peer group, by name or sg- ID (VPC groups: by ID). Repeatable. Not with -s.',
  },
  cidr: {
    long: 'cidr',
    short: 's',
    valueName: 'CIDR',
    repeatable: true,
    help: 'Peer IPv4 range. Repeatable. Default 0.0.0.0/0 when neither -s nor -o is given.',
  },
  sourceSubnet: { long: 'source-subnet', valueName: 'CIDR', repeatable: true, help: 'Same as -s, ingress only.' },
  destSubnet: { long: 'dest-subnet', valueName: 'CIDR', repeatable: true, help: 'Same as -s, with --egress only.' },
} as const satisfies Record<string, OptionSpec>;

/** The authorize/revoke command line after the checks that do not depend on the target's platform. */
export interface PermissionArguments {
  /** GROUP as given: an ID when it starts with `sg-` (spec/cli.md §3.1). */
  readonly group: string;
  readonly direction: 'ingress' | 'egress';
  /** `-P` as given. */
  readonly protocol: string | undefined;
  readonly portRange: { readonly fromPort: number; readonly toPort: number } | undefined;
  readonly icmpTypeCode: { readonly type: number; readonly code: number } | undefined;
  readonly users: readonly string[];
  readonly peerGroups: readonly string[];
  readonly cidrs: readonly string[];
}

/** One `IpPermissions.N` of the request. */
export interface RequestedPermission {
  /** As sent: lower-cased, `all` → `-1`, numbers verbatim. */
  readonly ipProtocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrs: readonly string[];
  readonly pairs: readonly RequestedGroupPair[];
}

/** One `Groups.M` of a permission: `GroupId` when the `-o` value starts with `sg-`, else `GroupName`. */
export interface RequestedGroupPair {
  readonly userId: string | undefined;
  readonly groupId: string | undefined;
  readonly groupName: string | undefined;
}

/** A complete authorize/revoke request. */
export interface PermissionRequest {
  readonly target: { readonly kind: 'id'; readonly groupId: string } | { readonly kind: 'name'; readonly groupName: string };
  readonly direction: 'ingress' | 'egress';
  readonly permissions: readonly RequestedPermission[];
}

const O = PERMISSION_OPTIONS;

/**
 * Reads and syntax-checks the authorize/revoke arguments. Throws `UsageError`, checking in this
 * order: GROUP present and alone; subnet aliases matching the direction; `-p` syntax; `-t`
 * syntax; not both `-s` and `-o`; the `-u` count (spec/cli.md §3.2).
 */
export function permissionArgumentsFromCommandLine(parsed: ParsedCommandLine): PermissionArguments {
  const [group, extra] = parsed.positionals;
  if (group === undefined) throw requiredParameterMissing('GROUP');
  if (extra !== undefined) throw unexpectedParameter(extra);
  const direction = hasOption(parsed, O.egress) ? 'egress' : 'ingress';
  if (direction === 'ingress' && hasOption(parsed, O.destSubnet)) throw destSubnetWithIngress();
  if (direction === 'egress' && hasOption(parsed, O.sourceSubnet)) throw sourceSubnetWithEgress();

  const portRangeText = optionValue(parsed, O.portRange);
  const icmpText = optionValue(parsed, O.icmpTypeCode);
  const cidrs = [...optionValues(parsed, O.cidr), ...optionValues(parsed, O.sourceSubnet), ...optionValues(parsed, O.destSubnet)];
  const peerGroups = optionValues(parsed, O.group);
  const users = optionValues(parsed, O.user);
  const args: PermissionArguments = {
    group,
    direction,
    protocol: optionValue(parsed, O.protocol),
    portRange: portRangeText === undefined ? undefined : parsePortRange(portRangeText),
    icmpTypeCode: icmpText === undefined ? undefined : parseIcmpTypeCode(icmpText),
    users,
    peerGroups,
    cidrs,
  };
  if (cidrs.length > 0 && peerGroups.length > 0) throw sourcesConflict();
  // One -u applies to every -o; otherwise there must be one per -o (spec/cli.md §3.2).
  if (users.length > 1 && users.length !== peerGroups.length) throw requiredOptionMissing(O.group);
  return args;
}

/**
 * Returns the `-p` range: `N`, `M-N` with 0 ≤ M ≤ N ≤ 65535, or `-1` meaning 0-65535.
 * Throws `UsageError` `Invalid range specified: '<x>' (use m-n)` otherwise (spec/cli.md §3.2).
 */
export function parsePortRange(text: string): { fromPort: number; toPort: number } {
  if (text === '-1') return { fromPort: 0, toPort: 65535 };
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const fromPort = Number(match?.[1]);
  const toPort = match?.[2] === undefined ? fromPort : Number(match[2]);
  if (match === null || !(fromPort <= toPort && toPort <= 65535)) throw invalidPortRange(text);
  return { fromPort, toPort };
}

/**
 * Returns the `-t` pair `TYPE:CODE`, each an integer ≥ -1 with no upper bound check (`300:0` is
 * sent, spec/cli.md §3.2). Throws `UsageError` otherwise.
 */
export function parseIcmpTypeCode(text: string): { type: number; code: number } {
  const match = /^([+-]?\d+):([+-]?\d+)$/.exec(text);
  const type = Number(match?.[1]);
  const code = Number(match?.[2]);
  const valid = (n: number): boolean => n >= -1 && n <= 2147483647;
  if (match === null || !valid(type) || !valid(code)) throw invalidOptionArgument(O.icmpTypeCode, text);
  return { type, code };
}

/** Reports whether the tools pre-check the target with DescribeSecurityGroups: GROUP is an `sg-` ID (spec/cli.md §3.1). */
export function needsPlatformPreCheck(args: PermissionArguments): boolean {
  return isGroupIdForChange(args.group);
}

const NON_VPC_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', 'icmp', '6', '17', '1']);
const PORT_PROTOCOLS: ReadonlySet<string> = new Set(['tcp', 'udp', '6', '17']);
const ICMP_PROTOCOLS: ReadonlySet<string> = new Set(['icmp', '1']);

/**
 * Applies the platform-dependent rules and returns the request. `isVpc` is true only for an ID
 * whose pre-check returned a `vpcId`; a name is always validated as non-VPC (spec/cli.md §3.2).
 * Throws `UsageError`, checking the protocol, then `-u`, then `-p`/`-t` against the protocol.
 */
export function permissionRequestFromArguments(args: PermissionArguments, isVpc: boolean): PermissionRequest {
  const protocols = requestedProtocols(args, isVpc);
  if (!isVpc && args.peerGroups.length > 0 && args.users.length === 0) throw requiredOptionMissing(O.user);
  const peers = requestedPeers(args);
  const permissions = protocols.map((ipProtocol): RequestedPermission => {
    const ports = portsFor(ipProtocol, args);
    return { ipProtocol, ...ports, ...peers };
  });
  return {
    target: isGroupIdForChange(args.group) ? { kind: 'id', groupId: args.group } : { kind: 'name', groupName: args.group },
    direction: args.direction,
    permissions,
  };
}

// The protocol omitted on a non-VPC target means tcp for CIDR peers, and tcp, udp and icmp over
// all ports/types for group peers; `-p`/`-t` are then refused, although the tools' help claims
// otherwise (spec/cli.md §3.2 [observed-cli]).
const GROUP_DEFAULT_PERMISSIONS = ['tcp', 'udp', 'icmp'] as const;

function requestedProtocols(args: PermissionArguments, isVpc: boolean): readonly string[] {
  if (args.protocol === undefined) {
    if (isVpc) throw requiredOptionMissing(O.protocol);
    if (args.peerGroups.length === 0) return ['tcp'];
    if (args.portRange !== undefined) throw unexpectedOption(O.portRange);
    if (args.icmpTypeCode !== undefined) throw unexpectedOption(O.icmpTypeCode);
    return GROUP_DEFAULT_PERMISSIONS;
  }
  const protocol = args.protocol.toLowerCase();
  if (!isVpc) {
    if (!NON_VPC_PROTOCOLS.has(protocol)) throw nonVpcProtocolUnsupported();
    return [protocol];
  }
  // The tools translate `all` themselves: the API rejects it (spec/README.md traps [field]).
  return [protocol === 'all' ? '-1' : protocol];
}

function portsFor(ipProtocol: string, args: PermissionArguments): { fromPort: number | undefined; toPort: number | undefined } {
  if (args.protocol === undefined && args.peerGroups.length > 0) {
    // The group-peer defaults: every port, every ICMP type and code.
    return ipProtocol === 'icmp' ? { fromPort: -1, toPort: -1 } : { fromPort: 0, toPort: 65535 };
  }
  if (PORT_PROTOCOLS.has(ipProtocol)) {
    if (args.icmpTypeCode !== undefined) throw unexpectedOption(O.icmpTypeCode);
    if (args.portRange === undefined) throw requiredOptionMissing(O.portRange);
    return args.portRange;
  }
  if (ICMP_PROTOCOLS.has(ipProtocol)) {
    if (args.portRange !== undefined) throw unexpectedOption(O.portRange);
    if (args.icmpTypeCode === undefined) throw requiredOptionMissing(O.icmpTypeCode);
    return { fromPort: args.icmpTypeCode.type, toPort: args.icmpTypeCode.code };
  }
  if (args.portRange !== undefined) throw unexpectedOption(O.portRange);
  if (args.icmpTypeCode !== undefined) throw unexpectedOption(O.icmpTypeCode);
  return { fromPort: undefined, toPort: undefined };
}

function requestedPeers(args: PermissionArguments): { cidrs: readonly string[]; pairs: readonly RequestedGroupPair[] } {
  if (args.peerGroups.length > 0) {
    const pairs = args.peerGroups.map((group, i): RequestedGroupPair => {
      const userId = args.users.length === 1 ? args.users[0] : args.users[i];
      return isGroupIdForChange(group)
        ? { userId, groupId: group, groupName: undefined }
        : { userId, groupId: undefined, groupName: group };
    });
    return { cidrs: [], pairs };
  }
  if (args.cidrs.length > 0) return { cidrs: args.cidrs, pairs: [] };
  // `-u` without `-o` sends a permission with no peer at all, for the server to reject
  // (spec/cli.md §3.2, semantics.md §2.2 [observed-cli]); otherwise 0.0.0.0/0 is assumed.
  if (args.users.length > 0) return { cidrs: [], pairs: [] };
  return { cidrs: ['0.0.0.0/0'], pairs: [] };
}

/** Returns the EC2 action `request` calls. */
export function permissionAction(kind: 'authorize' | 'revoke', request: PermissionRequest): string {
  const verb = kind === 'authorize' ? 'Authorize' : 'Revoke';
  return `${verb}SecurityGroup${request.direction === 'ingress' ? 'Ingress' : 'Egress'}`;
}

/**
 * Returns the action's parameters: the target, then each `IpPermissions.N` (protocol, ports,
 * group pairs, CIDR ranges). An egress request on a group given by name names no target at all,
 * as 1.6.7.1 does; the service answers `MissingParameter` (spec/cli.md §3.2, api.md §5.5).
 */
export function permissionRequestParams(request: PermissionRequest): QueryParams {
  const params: [string, string][] = [];
  if (request.target.kind === 'id') params.push(['GroupId', request.target.groupId]);
  else if (request.direction === 'ingress') params.push(['GroupName', request.target.groupName]);
  request.permissions.forEach((permission, i) => {
    const prefix = `IpPermissions.${i + 1}`;
    params.push([`${prefix}.IpProtocol`, permission.ipProtocol]);
    if (permission.fromPort !== undefined) params.push([`${prefix}.FromPort`, String(permission.fromPort)]);
    if (permission.toPort !== undefined) params.push([`${prefix}.ToPort`, String(permission.toPort)]);
    permission.pairs.forEach((pair, m) => {
      const pairPrefix = `${prefix}.Groups.${m + 1}`;
      if (pair.groupId !== undefined) params.push([`${pairPrefix}.GroupId`, pair.groupId]);
      if (pair.groupName !== undefined) params.push([`${pairPrefix}.GroupName`, pair.groupName]);
      if (pair.userId !== undefined) params.push([`${pairPrefix}.UserId`, pair.userId]);
    });
    permission.cidrs.forEach((cidr, m) => params.push([`${prefix}.IpRanges.${m + 1}.CidrIp`, cidr]));
  });
  return params;
}

/**
 * Returns the lines authorize and revoke print on success: the request echoed, not what the
 * server stored (spec/cli.md §5.1, §5.3, §5.8). The GROUP record holds the ID or the name; each
 * PERMISSION record has an empty owner and, for a target given by name, that name.
 */
export function permissionEchoLines(request: PermissionRequest, options: RecordOptions): string[] {
  const target = request.target;
  const groupName = target.kind === 'name' ? target.groupName : '';
  const lines = [
    formatGroupRecord(
      { groupId: target.kind === 'id' ? target.groupId : '', ownerId: '', groupName, description: '', vpcId: '' },
      options,
    ),
  ];
  for (const permission of request.permissions) {
    const peers: PermissionPeer[] = [
      ...permission.cidrs.map((cidrIp): PermissionPeer => ({ kind: 'cidr', cidrIp })),
      ...permission.pairs.map(
        (pair): PermissionPeer => ({
          kind: 'group',
          userId: pair.userId ?? '',
          groupName: pair.groupName ?? '',
          groupId: pair.groupId ?? '',
        }),
      ),
    ];
    for (const peer of peers) {
      lines.push(
        formatPermissionRecord(
          {
            ownerId: '',
            groupName,
            ipProtocol: permission.ipProtocol,
            fromPort: permission.fromPort === undefined ? '' : String(permission.fromPort),
            toPort: permission.toPort === undefined ? '' : String(permission.toPort),
            direction: request.direction,
            peer,
          },
          options,
        ),
      );
    }
  }
  return lines;
}
