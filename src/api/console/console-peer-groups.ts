import { policyImpact } from '../../dataplane/policy-impact.js';
import type { ChangeRecord } from '../../state/change-record.js';
import type { ReadView } from '../../state/view.js';

/**
 * The groups of other accounts that the account's rules in `region` name as peers: another
 * account's change to one of them (its members, its rules, its deletion) changes what this
 * account's console shows and what its reachability answers say.
 */
export function foreignPeerGroups(view: ReadView, accountId: string, region: string): ReadonlySet<string> {
  const groups = new Set<string>();
  for (const group of view.groupsInRegion(accountId, region)) {
    for (const rule of view.rulesOf(group.groupId)) if (rule.peer.kind === 'group' && rule.peer.userId !== accountId) groups.add(rule.peer.groupId);
  }
  return groups;
}

/**
 * Whether a record touches one of `peerGroups`: a group's rules changed or it was deleted, or its
 * members changed (an instance launched into it, left it, joined it or was terminated). Which
 * records bear on a group is `policyImpact`'s one table; the groups whose members a record changed
 * are those the view stamped with its revision (`membersRevision`, View.apply), read after the
 * record was applied, as every record the watch hub delivers has been.
 */
export function touchesPeerGroup(view: ReadView, record: ChangeRecord, peerGroups: ReadonlySet<string>): boolean {
  const impact = policyImpact(record.change);
  switch (impact.kind) {
    case 'groupRules':
      return peerGroups.has(impact.groupId);
    case 'instances':
      for (const groupId of peerGroups) if ((view.groups.get(groupId)?.membersRevision ?? 0) >= record.revision) return true;
      return false;
    case 'prefixList':
    case 'none':
      return false;
  }
}
