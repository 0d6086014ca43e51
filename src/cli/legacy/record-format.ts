import type { IpPermissionItem, SecurityGroupItem, TagItem } from './response-xml.js';

/**
 * The legacy tools' stdout records (spec/cli.md §5): TAB-separated fields, one record per line,
 * empty fields kept as empty strings (so a line may end in a TAB).
 */

/** Output switches shared by every record. */
export interface RecordOptions {
  /** `--show-empty-fields`: print `(nil)` for empty fields (spec/cli.md §5.7). */
  readonly showEmptyFields: boolean;
}

/** A `GROUP` record of describe, authorize and revoke (spec/cli.md §5.1). */
export interface GroupRecord {
  readonly groupId: string;
  readonly ownerId: string;
  readonly groupName: string;
  readonly description: string;
  readonly vpcId: string;
}

/** Who a permission admits (ingress) or reaches (egress); IPv6 and prefix lists are never printed (§5.3). */
export type PermissionPeer =
  | { readonly kind: 'cidr'; readonly cidrIp: string }
  | { readonly kind: 'group'; readonly userId: string; readonly groupName: string; readonly groupId: string };

/** One `PERMISSION` record: one (permission, peer) pair (spec/cli.md §5.3). */
export interface PermissionRecord {
  readonly ownerId: string;
  readonly groupName: string;
  /** Printed as given: the caller maps describe's `-1` to `all`, echoes keep what was sent. */
  readonly ipProtocol: string;
  /** Empty when the rule has no ports. */
  readonly fromPort: string;
  readonly toPort: string;
  readonly direction: 'ingress' | 'egress';
  readonly peer: PermissionPeer;
}

/** The `-H` line of describe, authorize and revoke (spec/cli.md §5.6). */
export const GROUP_HEADER_LINE = 'GROUP\tId\tOwner\tName\tDescription\tVpcID';

/** The `-H` line of create (spec/cli.md §5.6). */
export const CREATE_HEADER_LINE = 'Type\tId\tName\tDescription';

/** Returns `GROUP⇥id⇥owner⇥name⇥description⇥vpc-id` (spec/cli.md §5.1). */
export function formatGroupRecord(group: GroupRecord, options: RecordOptions): string {
  return formatFields(['GROUP', group.groupId, group.ownerId, group.groupName, group.description, group.vpcId], options);
}

/** Returns create's four-field `GROUP⇥id⇥name⇥description` (spec/cli.md §5.2). */
export function formatCreatedGroupRecord(
  group: { readonly groupId: string; readonly groupName: string; readonly description: string },
  options: RecordOptions,
): string {
  return formatFields(['GROUP', group.groupId, group.groupName, group.description], options);
}

/**
 * Returns one `PERMISSION` record: 11 fields for a CIDR peer, 13 for a group peer.
 *
 * The group peer's name field is `GRPNAME <name>`, not 1.6.x's `NAME <name>`: the project's seed
 * examples (seeds/000_c4ccacc99a1c2158.txt, from the EC2 CLI reference) print `GRPNAME`, and the
 * issue tells us to follow them while keeping the 1.6.x TAB layout. Each seed line is what our
 * layout gives when every run of TABs is read as one space:
 *
 *   seed 1  PERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress
 *           → PERMISSION websrv ALLOWS tcp 80 80 FROM CIDR 192.0.2.0/24 ingress
 *   seed 2  PERMISSION⇥⇥websrv⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥USER⇥999988887777⇥GRPNAME OtherAccountGroup⇥⇥ingress
 *           → PERMISSION websrv ALLOWS tcp 80 80 FROM USER 999988887777 GRPNAME OtherAccountGroup ingress
 *   seed 3  PERMISSION⇥⇥⇥ALLOWS⇥tcp⇥80⇥80⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress
 *           → PERMISSION ALLOWS tcp 80 80 FROM CIDR 192.0.2.0/24 ingress
 *   seed 4  PERMISSION⇥⇥⇥ALLOWS⇥tcp⇥1433⇥1433⇥TO⇥USER⇥⇥⇥ID sg-80aebeec⇥egress
 *           → PERMISSION ALLOWS tcp 1433 1433 TO USER ID sg-80aebeec egress
 *
 * (seed 4: VPC target by ID, so owner and group-name are empty; no `-u`, so the user is empty;
 * `-o` was an ID, so the name field is empty and the ID field is `ID sg-80aebeec`.)
 */
export function formatPermissionRecord(permission: PermissionRecord, options: RecordOptions): string {
  const head = [
    'PERMISSION',
    permission.ownerId,
    permission.groupName,
    'ALLOWS',
    permission.ipProtocol,
    permission.fromPort,
    permission.toPort,
  ].map((field) => emptyField(field, options));
  // --show-empty-fields appends an always-empty sub-field to the direction keyword without a TAB:
  // `FROM(nil)` / `TO(nil)` (spec/cli.md §5.7 [observed-cli]).
  const keyword = (permission.direction === 'ingress' ? 'FROM' : 'TO') + (options.showEmptyFields ? '(nil)' : '');
  const peer = permission.peer;
  const peerFields =
    peer.kind === 'cidr'
      ? ['CIDR', peer.cidrIp]
      : ['USER', emptyField(peer.userId, options), labelled('GRPNAME', peer.groupName, options), labelled('ID', peer.groupId, options)];
  return [...head, keyword, ...peerFields, permission.direction].join('\t');
}

/** Returns `TAG⇥GROUP⇥<group-id>⇥<key>⇥<value>` (spec/cli.md §5.4). */
export function formatTagRecord(groupId: string, tag: TagItem, options: RecordOptions): string {
  return formatFields(['TAG', 'GROUP', groupId, tag.key, tag.value], options);
}

/** Returns delete's `RETURN⇥true`, printed whatever `<return>` said (spec/cli.md §5.5). */
export function formatReturnRecord(): string {
  return 'RETURN\ttrue';
}

/**
 * Returns describe's lines for `groups` in response order: per group its GROUP record, ingress
 * then egress PERMISSION records (per permission: group peers, then CIDR peers), then TAG records
 * unless `hideTags` (spec/cli.md §5.8).
 */
export function describeRecordLines(
  groups: readonly SecurityGroupItem[],
  options: RecordOptions & { readonly hideTags: boolean },
): string[] {
  const lines: string[] = [];
  for (const group of groups) {
    lines.push(
      formatGroupRecord(
        {
          groupId: group.groupId,
          ownerId: group.ownerId,
          groupName: group.groupName,
          description: group.groupDescription,
          vpcId: group.vpcId,
        },
        options,
      ),
    );
    for (const item of group.ipPermissions) lines.push(...describedPermissionLines(group, item, 'ingress', options));
    for (const item of group.ipPermissionsEgress) lines.push(...describedPermissionLines(group, item, 'egress', options));
    if (!options.hideTags) for (const tag of group.tagSet) lines.push(formatTagRecord(group.groupId, tag, options));
  }
  return lines;
}

function describedPermissionLines(
  group: SecurityGroupItem,
  item: IpPermissionItem,
  direction: 'ingress' | 'egress',
  options: RecordOptions,
): string[] {
  const base = {
    ownerId: group.ownerId,
    groupName: group.groupName,
    // Describe prints the all-protocols value `-1` as `all` (spec/cli.md §5.3).
    ipProtocol: item.ipProtocol === '-1' ? 'all' : item.ipProtocol,
    fromPort: item.fromPort,
    toPort: item.toPort,
    direction,
  };
  // Group peers before CIDRs, as the real 1.6.7.1 tools print a permission that has both against
  // the same server (issue 13; spec/cli.md §5.8 says the reverse and is wrong there).
  const peers: PermissionPeer[] = [
    ...item.groups.map((pair): PermissionPeer => ({ kind: 'group', ...pair })),
    ...item.cidrIps.map((cidrIp): PermissionPeer => ({ kind: 'cidr', cidrIp })),
  ];
  return peers.map((peer) => formatPermissionRecord({ ...base, peer }, options));
}

// A labelled field (`GRPNAME x`, `ID y`) is empty, not `GRPNAME `, when the value is unknown (§5.3).
function labelled(label: string, value: string, options: RecordOptions): string {
  return value === '' ? emptyField('', options) : `${label} ${value}`;
}

function formatFields(fields: readonly string[], options: RecordOptions): string {
  return fields.map((field) => emptyField(field, options)).join('\t');
}

function emptyField(field: string, options: RecordOptions): string {
  return field === '' && options.showEmptyFields ? '(nil)' : field;
}
