import type { SecurityGroup } from '../../domain/security-group.js';
import type { ChangeRecord } from '../../state/change-record.js';
import type { View } from '../../state/view.js';
import type { ApiVersion } from '../api-version.js';
import { securityGroupXml } from './security-group-xml.js';

/**
 * Rendered SecurityGroup items, per group and response variant. Describe-all is the hottest read
 * (sg-load W3), and a group's XML changes only when a change record names the group, so entries are
 * dropped by `invalidate`, which the commit queue calls after every commit and catch-up.
 */
export class SecurityGroupXmlCache {
  /** `variant|groupId` → item XML. Bounded by the number of groups times three variants. */
  readonly #entries = new Map<string, string>();

  /** Returns the group's item XML for the version, rendering it at most once per change. */
  get(view: View, group: SecurityGroup, version: ApiVersion): string {
    const key = `${version.isModern ? 'm' : version.hasPrefixLists ? 'p' : 'l'}|${group.groupId}`;
    let xml = this.#entries.get(key);
    if (xml === undefined) {
      xml = securityGroupXml(group, view.rulesOf(group.groupId), version);
      this.#entries.set(key, xml);
    }
    return xml;
  }

  /** Drops every entry (after the view was rebuilt). */
  clear(): void {
    this.#entries.clear();
  }

  /** Drops entries of every group the records touch. */
  invalidate(records: readonly ChangeRecord[]): void {
    for (const { change } of records) {
      switch (change.kind) {
        case 'SecurityGroupCreated':
          this.#drop(change.group.groupId);
          break;
        case 'SecurityGroupDeleted':
        case 'RulesAuthorized':
        case 'RulesRevoked':
        case 'RulesModified':
          this.#drop(change.groupId);
          break;
        case 'TagsSet':
          this.#drop(change.resourceId);
          break;
        default:
          break;
      }
    }
  }

  #drop(groupId: string): void {
    for (const variant of ['m', 'p', 'l']) this.#entries.delete(`${variant}|${groupId}`);
  }
}
