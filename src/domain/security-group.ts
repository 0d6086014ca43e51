import type { Tag } from './tag.js';

/** A security group (botocore `SecurityGroup`); its rules are stored separately, one per peer. */
export interface SecurityGroup {
  readonly groupId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly groupName: string;
  readonly description: string;
  /** Absent for EC2-Classic groups. */
  readonly vpcId?: string;
  readonly tags: readonly Tag[];
  /** Global creation order: Describe lists groups in it (spec/api.md §5.3 step 4). */
  readonly ordinal: number;
  /** Revision of the last change of its rules (issue 10: what its members must enforce; see `desiredRevision`). */
  readonly rulesRevision?: number;
  /** Revision of the last change of its members (what rules naming it as a peer admit). */
  readonly membersRevision?: number;
}

/** The reserved name of default groups (spec/semantics.md §6). */
export const DEFAULT_GROUP_NAME = 'default';

/** Reports whether the group is the default group of its scope (spec/semantics.md §6). */
export function isDefaultGroup(group: SecurityGroup): boolean {
  return group.groupName === DEFAULT_GROUP_NAME;
}

/** Descriptions of default groups (spec/semantics.md §6.1, §6.2, field). */
export const CLASSIC_DEFAULT_GROUP_DESCRIPTION = 'default group';
export const VPC_DEFAULT_GROUP_DESCRIPTION = 'default VPC security group';
