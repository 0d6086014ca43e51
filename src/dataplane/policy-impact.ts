import type { Change, ChangeKind } from '../state/change-record.js';

/**
 * How one change bears on the enforcement of instances: the one answer to "which instances does
 * this change affect", shared by the server's policies (service/instance-policies.ts) and the
 * agent's host model (agent/host-model.ts).
 * - `groupRules`: the rules of a group changed (or it is gone): its members' policies change.
 * - `prefixList`: a prefix list's entries appeared or went: policies whose rules name it change.
 * - `instances`: these instances' groups, state or placement changed: their own policies change,
 *   and so does every policy whose rules name one of the groups they held before or hold now as a
 *   peer (the group's member addresses changed).
 * - `none`: no instance's enforcement depends on it.
 */
export type PolicyImpact =
  | { readonly kind: 'none' }
  | { readonly kind: 'groupRules'; readonly groupId: string }
  | { readonly kind: 'prefixList'; readonly prefixListId: string }
  | { readonly kind: 'instances'; readonly instanceIds: readonly string[] };

const NONE: PolicyImpact = { kind: 'none' };

/**
 * Exhaustive over change kinds: a new kind of change does not compile until it says how it bears
 * on enforcement (issue 10). Pure: the caller resolves members and dependents from its own view.
 */
const IMPACT: { [K in ChangeKind]: (change: Extract<Change, { kind: K }>) => PolicyImpact } = {
  AccountCreated: () => NONE,
  AccessKeyCreated: () => NONE,
  AccessKeyDeleted: () => NONE,
  RegionInitialized: () => NONE,
  VpcCreated: () => NONE,
  // A VPC with instances cannot be deleted (its subnets hold them); its attributes are DNS only.
  VpcDeleted: () => NONE,
  VpcAttributeModified: () => NONE,
  // Blocks bound where subnets (and so addresses) may lie; no rule names a VPC's blocks.
  VpcCidrBlocksChanged: () => NONE,
  // A new group has no members yet; its first rules come as RulesAuthorized.
  SecurityGroupCreated: () => NONE,
  SecurityGroupDeleted: ({ groupId }) => ({ kind: 'groupRules', groupId }),
  RulesAuthorized: ({ groupId }) => ({ kind: 'groupRules', groupId }),
  RulesRevoked: ({ groupId }) => ({ kind: 'groupRules', groupId }),
  RulesModified: ({ groupId }) => ({ kind: 'groupRules', groupId }),
  TagsSet: () => NONE,
  PrefixListCreated: ({ prefixList }) => ({ kind: 'prefixList', prefixListId: prefixList.prefixListId }),
  // New entries (or a new size) reach every policy whose rules name the list.
  PrefixListModified: ({ prefixList }) => ({ kind: 'prefixList', prefixListId: prefixList.prefixListId }),
  PrefixListDeleted: ({ prefixListId }) => ({ kind: 'prefixList', prefixListId }),
  // A subnet with instances cannot be deleted; a new one holds none.
  SubnetCreated: () => NONE,
  SubnetDeleted: () => NONE,
  // An IPv6 block or a launch default: addresses already given stay (a block in use cannot go).
  SubnetModified: () => NONE,
  InstancesLaunched: ({ instances }) => ({ kind: 'instances', instanceIds: instances.map((i) => i.instanceId) }),
  InstanceStateChanged: ({ instanceId }) => ({ kind: 'instances', instanceIds: [instanceId] }),
  InstanceGroupsChanged: ({ instanceId }) => ({ kind: 'instances', instanceIds: [instanceId] }),
  // Termination protection, user data, metadata options …: nothing a packet filter sees.
  InstanceAttributesModified: () => NONE,
  HostRegistered: () => NONE,
  // Instances keep the host's name; the agent that served it stops being told anything.
  HostRemoved: () => NONE,
};

/** How `change` bears on the enforcement of instances. */
export function policyImpact(change: Change): PolicyImpact {
  return (IMPACT[change.kind] as (change: Change) => PolicyImpact)(change);
}
