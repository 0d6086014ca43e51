import { summarizeRules } from '../../domain/ip-permission-summary.js';
import type { RequestContext } from '../../service/request-context.js';
import type { RevokeRequest, RevokeResult } from '../../service/revoke-rules.js';
import type { WriteOperation } from '../../state/commit-queue.js';
import { ec2WriteAction } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { ipPermissionXml, revokedRuleXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { egressMembers, flatFromWire, permissionMembers } from './authorize-permissions.js';

const revokeShape = struct({ ...permissionMembers, SecurityGroupRuleId: list(string) });
const revokeEgressShape = struct({ ...egressMembers(permissionMembers), SecurityGroupRuleId: list(string) });

/**
 * Revoke{Ingress,Egress}: `return`; from 2016-11-15 also `unknownIpPermissionSet` (one item per
 * unmatched atomic rule, only when there are some) and `revokedSecurityGroupRuleSet` (spec/api.md §5.6).
 */
export function revokeAction(
  operation: (context: RequestContext, request: RevokeRequest) => WriteOperation<RevokeResult>,
  direction: 'ingress' | 'egress',
) {
  return ec2WriteAction(direction === 'ingress' ? revokeShape : revokeEgressShape, async ({ queue, context, version }, input) => {
    const groupName = 'groupName' in input && typeof input.groupName === 'string' ? input.groupName : undefined;
    const result = await queue.submit(
      operation(context, {
        group: {
          ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
          ...(groupName === undefined ? {} : { groupName }),
        },
        ipPermissions: input.ipPermissions,
        flat: flatFromWire(input),
        securityGroupRuleIds: input.securityGroupRuleId,
      }),
    );
    if (!version.isModern) return element('return', true);
    const unknown =
      result.unknown.length === 0
        ? ''
        : itemList(
            'unknownIpPermissionSet',
            result.unknown.map((rule) => ipPermissionXml(summarizeRules([rule])[0] ?? { ipProtocol: rule.ipProtocol, peers: [] }, version)),
          );
    return element('return', true) + unknown + itemList('revokedSecurityGroupRuleSet', result.revoked.map(revokedRuleXml));
  });
}
