import type { AccessKey, Account, RegionState } from '../domain/account.js';
import type { Host } from '../domain/host.js';
import type { InstanceAttributes } from '../domain/instance-attributes.js';
import type { Instance, InstanceStateName } from '../domain/instance.js';
import type { ManagedPrefixList } from '../domain/prefix-list.js';
import type { Subnet } from '../domain/subnet.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import type { SecurityGroup } from '../domain/security-group.js';
import type { Tag } from '../domain/tag.js';
import type { Vpc } from '../domain/vpc.js';

/**
 * One state change. Every acknowledged write is a sequence of these, committed in one transaction
 * together with their revisions (DESIGN: a revisioned change log at the centre). Each carries the
 * full new state of what it touches, so that applying it needs no other input.
 */
export type Change =
  | { readonly kind: 'AccountCreated'; readonly account: Account }
  | { readonly kind: 'AccessKeyCreated'; readonly accessKey: AccessKey }
  | { readonly kind: 'AccessKeyDeleted'; readonly accessKeyId: string }
  | { readonly kind: 'RegionInitialized'; readonly regionState: RegionState }
  | { readonly kind: 'VpcCreated'; readonly vpc: Vpc }
  | { readonly kind: 'VpcDeleted'; readonly vpcId: string }
  /** ModifyVpcAttribute: the VPC with its new attributes. */
  | { readonly kind: 'VpcAttributeModified'; readonly vpc: Vpc }
  /** AssociateVpcCidrBlock, DisassociateVpcCidrBlock: the VPC with its blocks as they are now. */
  | { readonly kind: 'VpcCidrBlocksChanged'; readonly vpc: Vpc }
  | { readonly kind: 'SecurityGroupCreated'; readonly group: SecurityGroup }
  | { readonly kind: 'SecurityGroupDeleted'; readonly groupId: string }
  | { readonly kind: 'RulesAuthorized'; readonly groupId: string; readonly rules: readonly SecurityGroupRule[] }
  | { readonly kind: 'RulesRevoked'; readonly groupId: string; readonly ruleIds: readonly string[] }
  | { readonly kind: 'RulesModified'; readonly groupId: string; readonly rules: readonly SecurityGroupRule[] }
  | { readonly kind: 'TagsSet'; readonly resourceId: string; readonly tags: readonly Tag[] }
  | { readonly kind: 'PrefixListCreated'; readonly prefixList: ManagedPrefixList }
  /**
   * ModifyManagedPrefixList (entries, version, name, size), or a delete that failed because rules
   * still reference the list (state `delete-failed`): the list as it is now.
   */
  | { readonly kind: 'PrefixListModified'; readonly prefixList: ManagedPrefixList }
  /**
   * A list is gone. `tombstone` is what DescribeManagedPrefixLists shows of it by ID for a while
   * (state `delete-complete`, domain/prefix-list.ts); a record without one forgets the list: the
   * purge of an expired tombstone, or a delete recorded before tombstones were kept.
   */
  | { readonly kind: 'PrefixListDeleted'; readonly prefixListId: string; readonly tombstone?: ManagedPrefixList }
  | { readonly kind: 'SubnetCreated'; readonly subnet: Subnet }
  | { readonly kind: 'SubnetDeleted'; readonly subnetId: string }
  /**
   * AssociateSubnetCidrBlock, DisassociateSubnetCidrBlock, ModifySubnetAttribute: the subnet with
   * its IPv6 blocks and attributes as they are now.
   */
  | { readonly kind: 'SubnetModified'; readonly subnet: Subnet }
  | { readonly kind: 'InstancesLaunched'; readonly instances: readonly Instance[] }
  | { readonly kind: 'InstanceStateChanged'; readonly instanceId: string; readonly state: InstanceStateName }
  /** The groups of a VPC instance's primary interface were replaced (ModifyInstanceAttribute). */
  | { readonly kind: 'InstanceGroupsChanged'; readonly instanceId: string; readonly groupIds: readonly string[] }
  /** ModifyInstanceAttribute or ModifyNetworkInterfaceAttribute changed what the instance stores (issue 13). */
  | { readonly kind: 'InstanceAttributesModified'; readonly instanceId: string; readonly instanceType: string; readonly attributes: InstanceAttributes }
  /** A host was registered (issue 5); its key follows as an AccessKeyCreated with `hostName`. */
  | { readonly kind: 'HostRegistered'; readonly host: Host }
  /** A host was removed, after its keys were deleted; instances placed on it keep the name. */
  | { readonly kind: 'HostRemoved'; readonly hostName: string };

/** The kinds of change, for exhaustive dispatch. */
export type ChangeKind = Change['kind'];

/** A change as committed: its revision in the global log, when, and by which account in which region. */
export interface ChangeRecord {
  /** Position in the global change log; strictly increasing, never reused. */
  readonly revision: number;
  /** ISO 8601 commit time. */
  readonly at: string;
  readonly accountId: string;
  readonly region: string;
  readonly change: Change;
}

/**
 * The record as the change feed shows it: identical, except that access-key secrets are never
 * included (secrets never leave the store).
 */
export function redactChangeRecord(record: ChangeRecord): ChangeRecord {
  if (record.change.kind !== 'AccessKeyCreated') return record;
  const { secretAccessKey: _secret, ...accessKey } = record.change.accessKey;
  return { ...record, change: { kind: 'AccessKeyCreated', accessKey: { ...accessKey, secretAccessKey: '' } } };
}
