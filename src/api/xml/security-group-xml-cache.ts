import type { SecurityGroup } from '../../domain/security-group.js';
import type { ChangeRecord } from '../../state/change-record.js';
import type { ReadView } from '../../state/view.js';
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
  /**
   * `variant|account/region` → the encoded `<securityGroupInfo>` of every group there: the answer
   * to DescribeSecurityGroups without arguments, sent as bytes without re-rendering or re-encoding.
   * Dropped when any group of that account and region changes.
   */
  readonly #regions = new Map<string, Buffer>();

  /** Returns the group's item XML for the version, rendering it at most once per change. */
  get(view: ReadView, group: SecurityGroup, version: ApiVersion): string {
    const key = `${variantOf(version)}|${group.groupId}`;
    let xml = this.#entries.get(key);
    if (xml === undefined) {
      xml = securityGroupXml(group, view.rulesOf(group.groupId), version);
      this.#entries.set(key, xml);
    }
    return xml;
  }

  /** Returns the encoded `<securityGroupInfo>` of all the account's groups in the region. */
  regionInfo(view: ReadView, accountId: string, region: string, version: ApiVersion): Buffer {
    const key = `${variantOf(version)}|${accountId}/${region}`;
    let info = this.#regions.get(key);
    if (info === undefined) {
      let items = '';
      for (const group of view.groupsInRegion(accountId, region)) items += `<item>${this.get(view, group, version)}</item>`;
      info = Buffer.from(items === '' ? '<securityGroupInfo/>' : `<securityGroupInfo>${items}</securityGroupInfo>`);
      this.#regions.set(key, info);
    }
    return info;
  }

  /** Drops every entry (after the view was rebuilt). */
  clear(): void {
    this.#entries.clear();
    this.#regions.clear();
  }

  /** Drops entries of every group the records touch. */
  invalidate(records: readonly ChangeRecord[]): void {
    for (const { change, accountId, region } of records) {
      if (change.kind === 'SecurityGroupCreated' || change.kind === 'SecurityGroupDeleted' || change.kind.startsWith('Rules') || change.kind === 'TagsSet')
        for (const variant of VARIANTS) this.#regions.delete(`${variant}|${accountId}/${region}`);
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
    for (const variant of VARIANTS) this.#entries.delete(`${variant}|${groupId}`);
  }
}

/** Responses differ in three ways across versions (api-version.ts): 2016-11-15, 2015-04-15+, older. */
const VARIANTS = ['m', 'p', 'l'] as const;

function variantOf(version: ApiVersion): (typeof VARIANTS)[number] {
  return version.isModern ? 'm' : version.hasPrefixLists ? 'p' : 'l';
}
