import { securityGroupArn, securityGroupRuleArn } from '../../domain/ids.js';
import type { IpPermissionSummary } from '../../domain/ip-permission-summary.js';
import { summarizeRules } from '../../domain/ip-permission-summary.js';
import type { RuleDraft, SecurityGroupRule } from '../../domain/rule.js';
import type { SecurityGroup } from '../../domain/security-group.js';
import type { Tag } from '../../domain/tag.js';
import type { ApiVersion } from '../api-version.js';
import { element, itemList } from './xml-text.js';

/** `<tagSet>` items; omitted entirely when `omitEmpty` and there are no tags. */
export function tagSetXml(tags: readonly Tag[], omitEmpty: boolean): string {
  if (tags.length === 0 && omitEmpty) return '';
  return itemList('tagSet', tags.map((t) => element('key', t.key) + element('value', t.value)));
}

/**
 * An IpPermission in response form (spec/api.md §3.2): ports only where the protocol has them,
 * `groupName` only for Classic pairs, descriptions and IPv6 only from 2016-11-15, prefix lists
 * from 2015-04-15.
 */
export function ipPermissionXml(item: IpPermissionSummary, version: ApiVersion): string {
  const groups: string[] = [];
  const ipRanges: string[] = [];
  const ipv6Ranges: string[] = [];
  const prefixLists: string[] = [];
  for (const { peer, description } of item.peers) {
    const desc = version.isModern ? element('description', description) : '';
    switch (peer.kind) {
      case 'cidr4':
        ipRanges.push(element('cidrIp', peer.cidr) + desc);
        break;
      case 'cidr6':
        if (version.isModern) ipv6Ranges.push(element('cidrIpv6', peer.cidr) + desc);
        break;
      case 'prefixList':
        if (version.hasPrefixLists) prefixLists.push(element('prefixListId', peer.prefixListId) + desc);
        break;
      case 'group':
        groups.push(element('userId', peer.userId) + element('groupId', peer.groupId) + element('groupName', peer.groupName) + desc);
        break;
    }
  }
  return (
    element('ipProtocol', item.ipProtocol) +
    element('fromPort', item.fromPort) +
    element('toPort', item.toPort) +
    itemList('groups', groups) +
    itemList('ipRanges', ipRanges) +
    (version.isModern ? itemList('ipv6Ranges', ipv6Ranges) : '') +
    (version.hasPrefixLists ? itemList('prefixListIds', prefixLists) : '')
  );
}

/** `<name>` holding the summarised permissions of `rules`. */
export function ipPermissionsXml(name: string, rules: Iterable<RuleDraft>, version: ApiVersion): string {
  return itemList(
    name,
    summarizeRules(rules).map((item) => ipPermissionXml(item, version)),
  );
}

/** A SecurityGroup item (spec/api.md §3.3), without the surrounding `<item>`. */
export function securityGroupXml(group: SecurityGroup, rules: Iterable<SecurityGroupRule>, version: ApiVersion): string {
  const ingress: SecurityGroupRule[] = [];
  const egress: SecurityGroupRule[] = [];
  for (const rule of rules) (rule.direction === 'ingress' ? ingress : egress).push(rule);
  return (
    element('ownerId', group.ownerId) +
    element('groupId', group.groupId) +
    element('groupName', group.groupName) +
    element('groupDescription', group.description) +
    element('vpcId', group.vpcId) +
    ipPermissionsXml('ipPermissions', ingress, version) +
    ipPermissionsXml('ipPermissionsEgress', egress, version) +
    tagSetXml(group.tags, true) +
    (version.isModern ? element('securityGroupArn', securityGroupArn(group.region, group.ownerId, group.groupId)) : '')
  );
}

/** Port fields of a rule item: -1 for protocols without ports (spec/semantics.md §3.3). */
function rulePorts(rule: RuleDraft): string {
  return element('fromPort', rule.fromPort ?? -1) + element('toPort', rule.toPort ?? -1);
}

/** A SecurityGroupRule item (spec/api.md §3.4), without the surrounding `<item>`. */
export function securityGroupRuleXml(rule: SecurityGroupRule): string {
  const { peer } = rule;
  const peerXml =
    peer.kind === 'cidr4'
      ? element('cidrIpv4', peer.cidr)
      : peer.kind === 'cidr6'
        ? element('cidrIpv6', peer.cidr)
        : peer.kind === 'prefixList'
          ? element('prefixListId', peer.prefixListId)
          : `<referencedGroupInfo>${element('groupId', peer.groupId)}${element('userId', peer.userId)}</referencedGroupInfo>`;
  return (
    element('securityGroupRuleId', rule.ruleId) +
    element('groupId', rule.groupId) +
    element('groupOwnerId', rule.groupOwnerId) +
    element('isEgress', rule.direction === 'egress') +
    element('ipProtocol', rule.ipProtocol) +
    rulePorts(rule) +
    peerXml +
    element('description', rule.description) +
    tagSetXml(rule.tags, false) +
    element('securityGroupRuleArn', securityGroupRuleArn(rule.region, rule.groupOwnerId, rule.ruleId))
  );
}

/** A `revokedSecurityGroupRuleSet` item: the flat `referencedGroupId` form (spec/api.md §5.6, model). */
export function revokedRuleXml(rule: SecurityGroupRule): string {
  const { peer } = rule;
  const peerXml =
    peer.kind === 'cidr4'
      ? element('cidrIpv4', peer.cidr)
      : peer.kind === 'cidr6'
        ? element('cidrIpv6', peer.cidr)
        : peer.kind === 'prefixList'
          ? element('prefixListId', peer.prefixListId)
          : element('referencedGroupId', peer.groupId);
  return (
    element('securityGroupRuleId', rule.ruleId) +
    element('groupId', rule.groupId) +
    element('isEgress', rule.direction === 'egress') +
    element('ipProtocol', rule.ipProtocol) +
    rulePorts(rule) +
    peerXml +
    element('description', rule.description)
  );
}
