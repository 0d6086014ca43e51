import type { AuthorizeRequest, AuthorizeResult } from '../../service/authorize-rules.js';
import type { FlatPermission } from '../../service/permission-rules.js';
import type { RequestContext } from '../../service/request-context.js';
import type { WriteOperation } from '../../state/commit-queue.js';
import { ec2WriteAction } from '../action.js';
import { integer, list, string, struct } from '../query-shape.js';
import { securityGroupRuleXml } from '../xml/security-group-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, ipPermissionShape, tagSpecificationShape, tagSpecificationsFromWire } from './shared-shapes.js';

/** Parameters of Authorize/Revoke Ingress/Egress, flat legacy form included (spec/api.md §5.4). */
export const permissionMembers = {
  ...common,
  GroupId: string,
  GroupName: string,
  IpPermissions: list(ipPermissionShape),
  IpProtocol: string,
  FromPort: integer,
  ToPort: integer,
  CidrIp: string,
  SourceSecurityGroupName: string,
  SourceSecurityGroupOwnerId: string,
};

/** Egress actions take `GroupId` only: `GroupName` is UnknownParameter (spec/api.md §5.5, UNCONFIRMED). */
export function egressMembers<M extends typeof permissionMembers>(members: M): Omit<M, 'GroupName'> {
  const { GroupName: _name, ...rest } = members;
  return rest;
}

const authorizeShape = struct({ ...permissionMembers, TagSpecification: list(tagSpecificationShape) });
const authorizeEgressShape = struct({ ...egressMembers(permissionMembers), TagSpecification: list(tagSpecificationShape) });

/** The flat legacy fields of a decoded request. */
export function flatFromWire(input: {
  readonly ipProtocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrIp?: string;
  readonly sourceSecurityGroupName?: string;
  readonly sourceSecurityGroupOwnerId?: string;
}): FlatPermission {
  // Only the fields given, in this order: the first names the field in the message of
  // InvalidParameterCombination (permissionsWithFlatForm). Set one by one rather than through
  // Object.entries/fromEntries: this runs on every Authorize and Revoke, mostly with none given.
  const flat: { -readonly [K in keyof FlatPermission]: FlatPermission[K] } = {};
  if (input.ipProtocol !== undefined) flat.ipProtocol = input.ipProtocol;
  if (input.fromPort !== undefined) flat.fromPort = input.fromPort;
  if (input.toPort !== undefined) flat.toPort = input.toPort;
  if (input.cidrIp !== undefined) flat.cidrIp = input.cidrIp;
  if (input.sourceSecurityGroupName !== undefined) flat.sourceSecurityGroupName = input.sourceSecurityGroupName;
  if (input.sourceSecurityGroupOwnerId !== undefined) flat.sourceSecurityGroupOwnerId = input.sourceSecurityGroupOwnerId;
  return flat;
}

/**
 * Authorize{Ingress,Egress}: `return`, plus the new rules in `securityGroupRuleSet` from
 * 2016-11-15 (spec/api.md §5.4).
 */
export function authorizeAction(
  operation: (context: RequestContext, request: AuthorizeRequest) => WriteOperation<AuthorizeResult>,
  direction: 'ingress' | 'egress',
) {
  return ec2WriteAction(direction === 'ingress' ? authorizeShape : authorizeEgressShape, async ({ queue, context, version }, input) => {
    const groupName = 'groupName' in input && typeof input.groupName === 'string' ? input.groupName : undefined;
    const result = await queue.submit(
      operation(context, {
        group: {
          ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
          ...(groupName === undefined ? {} : { groupName }),
        },
        ipPermissions: input.ipPermissions,
        flat: flatFromWire(input),
        tagSpecifications: tagSpecificationsFromWire(input.tagSpecification),
      }),
    );
    return (
      element('return', true) +
      (version.isModern ? itemList('securityGroupRuleSet', result.rules.map(securityGroupRuleXml)) : '')
    );
  });
}
