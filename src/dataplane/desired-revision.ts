import { heldGroupsOf, type Instance } from '../domain/instance.js';
import type { ReadView } from '../state/view.js';

/**
 * The revision of the last change that altered what the instance's host must enforce for it
 * (issue 5's desired revision; issue 10: from the state, not from a server's memory): a change of
 * its own groups or state, of the rules of a group it holds, of the members of a group those rules
 * name as a peer, or of the entries of a prefix list they name. Read from the revisions the view
 * stamps on documents (`View.apply`), so every replica, and a server just restarted, gives the same
 * answer at once. Documents stored before those stamps existed count as revision 0.
 */
export function desiredRevision(view: ReadView, instance: Instance): number {
  let revision = instance.policyRevision ?? 0;
  for (const groupId of heldGroupsOf(instance)) {
    revision = Math.max(revision, view.groups.get(groupId)?.rulesRevision ?? 0);
    for (const rule of view.rulesOf(groupId)) {
      const peer = rule.peer;
      if (peer.kind === 'group') revision = Math.max(revision, view.groups.get(peer.groupId)?.membersRevision ?? 0);
      else if (peer.kind === 'prefixList') revision = Math.max(revision, view.prefixList(peer.prefixListId)?.entriesRevision ?? 0);
    }
  }
  return revision;
}
