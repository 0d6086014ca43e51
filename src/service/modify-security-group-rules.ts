import {
  allProtocolsWithPorts,
  groupIdNotFound,
  invalidParameterValue,
  missingParameter,
  missingPeer2016,
  modifyPeerMissing,
  onePeerOnly,
  permissionDuplicate,
  ruleIdMalformed,
  ruleIdNotFound,
  tcpUdpPortsRequired,
} from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { IpPermissionRequest } from '../domain/ip-permission.js';
import { duplicateRuleText, ruleIdentityKey } from '../domain/rule-identity.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { rulesFromPermissions } from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { ownGroupById } from './target-group.js';

/** One `SecurityGroupRule.N` of ModifySecurityGroupRules. */
export interface SecurityGroupRuleUpdate {
  readonly securityGroupRuleId?: string;
  readonly ipProtocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrIpv4?: string;
  readonly cidrIpv6?: string;
  readonly prefixListId?: string;
  readonly referencedGroupId?: string;
  readonly description?: string;
}

/**
 * Replaces the definition of existing rules, keeping their IDs and directions (spec/api.md §5.9).
 * Every entry is validated before any change; an omitted description clears it (UNCONFIRMED).
 */
export function modifySecurityGroupRules(
  context: RequestContext,
  groupId: string | undefined,
  updates: readonly SecurityGroupRuleUpdate[],
): WriteOperation<void> {
  return (tx) => {
    const { view } = tx;
    if (groupId === undefined) throw missingParameter('groupId');
    if (updates.length === 0) throw missingParameter('SecurityGroupRule');
    const group = ownGroupById(view, context, groupId);
    if (group.vpcId === undefined) throw groupIdNotFound(groupId);
    const replaced: SecurityGroupRule[] = [];
    const replacedIds = new Set<string>();
    for (const update of updates) {
      const ruleId = update.securityGroupRuleId;
      if (ruleId === undefined) throw missingParameter('SecurityGroupRuleId');
      if (!isResourceId('sgr', ruleId)) throw ruleIdMalformed(ruleId);
      const existing = view.rules.get(ruleId);
      if (existing === undefined || existing.groupId !== group.groupId) throw ruleIdNotFound(ruleId);
      const peers = [update.cidrIpv4, update.cidrIpv6, update.prefixListId, update.referencedGroupId].filter((p) => p !== undefined);
      if (peers.length === 0) throw modifyPeerMissing();
      if (peers.length > 1) throw onePeerOnly();
      // Unlike Authorize, a tcp or udp rule must give both ports (issue 13, field).
      const protocol = update.ipProtocol?.toLowerCase();
      if ((protocol === 'tcp' || protocol === 'udp' || protocol === '6' || protocol === '17') && (update.fromPort === undefined || update.toPort === undefined))
        throw tcpUdpPortsRequired();
      // ModifySecurityGroupRules refuses ports with -1, unlike Authorize (spec/semantics.md §3.2, field).
      if (update.ipProtocol === '-1' && (update.fromPort ?? -1) !== -1) throw allProtocolsWithPorts();
      if (update.ipProtocol === '-1' && (update.toPort ?? -1) !== -1) throw allProtocolsWithPorts();
      // Changing a CIDR rule's address family is refused (spec/api.md §5.9, peer).
      if ((existing.peer.kind === 'cidr4' && update.cidrIpv6 !== undefined) || (existing.peer.kind === 'cidr6' && update.cidrIpv4 !== undefined))
        throw invalidParameterValue('You cannot change the address family of a rule');
      const permission: IpPermissionRequest = {
        ...(update.ipProtocol === undefined ? {} : { ipProtocol: update.ipProtocol }),
        ...(update.fromPort === undefined ? {} : { fromPort: update.fromPort }),
        ...(update.toPort === undefined ? {} : { toPort: update.toPort }),
        ipRanges: update.cidrIpv4 === undefined ? [] : [{ cidrIp: update.cidrIpv4, ...desc(update) }],
        ipv6Ranges: update.cidrIpv6 === undefined ? [] : [{ cidrIpv6: update.cidrIpv6, ...desc(update) }],
        prefixListIds: update.prefixListId === undefined ? [] : [{ prefixListId: update.prefixListId, ...desc(update) }],
        groups: update.referencedGroupId === undefined ? [] : [{ groupId: update.referencedGroupId, ...desc(update) }],
      };
      const [draft] = rulesFromPermissions(view, context, group, existing.direction, [permission]);
      if (draft === undefined) throw missingPeer2016();
      const { description: _old, ...kept } = existing;
      const rule: SecurityGroupRule = { ...kept, ...draft, ruleId: existing.ruleId, tags: existing.tags, ordinal: existing.ordinal };
      replaced.push(rule);
      replacedIds.add(ruleId);
    }
    // A result equal to another rule (not being replaced itself) is a duplicate (spec/api.md §5.9).
    const keys = new Set<string>();
    for (const rule of replaced) {
      const key = ruleIdentityKey(rule);
      const holder = view.ruleIdByIdentity(group.groupId, key);
      if (keys.has(key) || (holder !== undefined && !replacedIds.has(holder))) throw permissionDuplicate(duplicateRuleText(rule));
      keys.add(key);
    }
    tx.emit(group.ownerId, group.region, { kind: 'RulesModified', groupId: group.groupId, rules: replaced });
  };
}

function desc(update: SecurityGroupRuleUpdate): { description?: string } {
  return update.description === undefined ? {} : { description: update.description };
}
