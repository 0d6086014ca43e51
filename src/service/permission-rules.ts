import {
  groupIdNotFound,
  groupInOtherNetwork,
  groupNameNotFound,
  groupNameNotFoundInDefaultVpc,
  invalidParameterValue,
  missingPeer2016,
  missingPeerLegacy,
  parametersCannotBeCombined,
  prefixListNotFound,
  samePermissionTwice,
  sourceGroupIdMissing,
  vpcGroupByName,
} from '../domain/ec2-errors.js';
import { checkPermission, type IpPermissionRequest, type PeerRequest } from '../domain/ip-permission.js';
import type { Platform } from '../domain/protocol.js';
import { ruleIdentityKey } from '../domain/rule-identity.js';
import type { Direction, Peer, RuleDraft } from '../domain/rule.js';
import type { SecurityGroup } from '../domain/security-group.js';
import type { Tag } from '../domain/tag.js';
import type { ReadView } from '../state/view.js';
import type { RequestContext } from './request-context.js';
import { defaultVpcIdOf } from './target-group.js';

/** The legacy top-level form of Authorize/Revoke Ingress (spec/api.md §5.4). */
export interface FlatPermission {
  readonly ipProtocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrIp?: string;
  readonly sourceSecurityGroupName?: string;
  readonly sourceSecurityGroupOwnerId?: string;
}

/** `TagSpecification.N` of a request. */
export interface TagSpecification {
  readonly resourceType?: string;
  readonly tags: readonly Tag[];
}

/** Returns the group's platform: Classic when it has no VPC. */
export function platformOf(group: SecurityGroup): Platform {
  return group.vpcId === undefined ? 'classic' : 'vpc';
}

/**
 * Merges the legacy flat form into the permission list (spec/api.md §5.4 "Flat form → permission").
 * Throws InvalidParameterCombination when both forms or a CIDR and a source group are mixed
 * (UNCONFIRMED wording), and MissingParameter for an owner without a group name (field).
 */
export function permissionsWithFlatForm(
  permissions: readonly IpPermissionRequest[],
  flat: FlatPermission,
): readonly IpPermissionRequest[] {
  const given = (Object.keys(flat) as (keyof FlatPermission)[]).filter((k) => flat[k] !== undefined);
  if (given.length === 0) return permissions;
  const first = given[0];
  if (permissions.length > 0 && first !== undefined) throw parametersCannotBeCombined(first, 'ipPermissions');
  if (flat.cidrIp !== undefined && flat.sourceSecurityGroupName !== undefined)
    throw parametersCannotBeCombined('cidrIp', 'sourceSecurityGroupName');
  if (flat.sourceSecurityGroupOwnerId !== undefined && flat.sourceSecurityGroupName === undefined)
    throw sourceGroupIdMissing();
  const empty = { ipRanges: [], ipv6Ranges: [], prefixListIds: [], groups: [] };
  if (flat.sourceSecurityGroupName !== undefined) {
    const pair = {
      groupName: flat.sourceSecurityGroupName,
      ...(flat.sourceSecurityGroupOwnerId === undefined ? {} : { userId: flat.sourceSecurityGroupOwnerId }),
    };
    if (flat.ipProtocol === undefined) {
      // A source group without protocol grants full TCP, UDP and ICMP (spec/semantics.md §3.4, model).
      return [
        { ...empty, ipProtocol: 'tcp', fromPort: 0, toPort: 65535, groups: [pair] },
        { ...empty, ipProtocol: 'udp', fromPort: 0, toPort: 65535, groups: [pair] },
        { ...empty, ipProtocol: 'icmp', fromPort: -1, toPort: -1, groups: [pair] },
      ];
    }
    return [{ ...empty, ...portsOf(flat), groups: [pair] }];
  }
  return [{ ...empty, ...portsOf(flat), ipRanges: flat.cidrIp === undefined ? [] : [{ cidrIp: flat.cidrIp }] }];
}

function portsOf(flat: FlatPermission): Pick<IpPermissionRequest, 'ipProtocol' | 'fromPort' | 'toPort'> {
  return {
    ...(flat.ipProtocol === undefined ? {} : { ipProtocol: flat.ipProtocol }),
    ...(flat.fromPort === undefined ? {} : { fromPort: flat.fromPort }),
    ...(flat.toPort === undefined ? {} : { toPort: flat.toPort }),
  };
}

/**
 * Turns the permissions of an Authorize/Revoke request into rule drafts for `group`, checking in
 * EC2's order (spec/api.md §5.4 steps 2–5): at least one permission, each permission's syntax in
 * index order, then every referenced group and prefix list, then duplicates inside the request.
 */
export function rulesFromPermissions(
  view: ReadView,
  context: RequestContext,
  group: SecurityGroup,
  direction: Direction,
  permissions: readonly IpPermissionRequest[],
): readonly RuleDraft[] {
  if (permissions.length === 0) throw context.modernApi ? missingPeer2016() : missingPeerLegacy();
  const platform = platformOf(group);
  const checked = permissions.map((p) => checkPermission(p, { platform, modernApi: context.modernApi }));
  const drafts: RuleDraft[] = [];
  const seen = new Set<string>();
  const resolved = checked.map((c) => c.peers.map((peer) => resolvePeer(view, context, group, peer)));
  checked.forEach((permission, i) => {
    const peers = resolved[i] ?? [];
    for (const protocol of permission.protocols) {
      permission.peers.forEach((request, j) => {
        const peer = peers[j];
        if (peer === undefined) return;
        const draft: RuleDraft = {
          direction,
          ...protocol,
          peer,
          ...(request.description === undefined ? {} : { description: request.description }),
        };
        const key = ruleIdentityKey(draft);
        // The same atomic rule twice in one request (spec/semantics.md §2.3, field).
        if (seen.has(key)) throw samePermissionTwice();
        seen.add(key);
        drafts.push(draft);
      });
    }
  });
  return drafts;
}

/**
 * Resolves a peer of a rule of `target` (spec/semantics.md §4.4, spec/api.md §5.4 step 4): Classic
 * peers by ID or by name in the owner's Classic groups (other accounts allowed); VPC peers by ID in
 * the same VPC, by name only in the default VPC. Throws InvalidGroup.NotFound,
 * InvalidParameterValue or InvalidPrefixListId.NotFound.
 */
function resolvePeer(view: ReadView, context: RequestContext, target: SecurityGroup, peer: PeerRequest): Peer {
  switch (peer.kind) {
    case 'cidr4':
      return { kind: 'cidr4', cidr: peer.cidr };
    case 'cidr6':
      return { kind: 'cidr6', cidr: peer.cidr };
    case 'prefixList': {
      view.ensureManagedPrefixLists(context.region);
      const list = view.prefixList(peer.prefixListId);
      const visible =
        list !== undefined && list.region === context.region && (list.ownerId === 'AWS' || list.ownerId === context.account.accountId);
      if (!visible) throw prefixListNotFound(peer.prefixListId);
      return { kind: 'prefixList', prefixListId: peer.prefixListId };
    }
    case 'groupRef':
      return target.vpcId === undefined
        ? resolveClassicPeer(view, context, peer)
        : resolveVpcPeer(view, context, target.vpcId, peer);
  }
}

function resolveClassicPeer(view: ReadView, context: RequestContext, ref: PeerRequest & { kind: 'groupRef' }): Peer {
  if (ref.groupId !== undefined) {
    const group = view.groups.get(ref.groupId);
    const ok =
      group !== undefined &&
      group.region === context.region &&
      group.vpcId === undefined &&
      (ref.userId === undefined || ref.userId === group.ownerId);
    if (!ok || group === undefined) throw groupIdNotFound(ref.groupId);
    return { kind: 'group', groupId: group.groupId, userId: group.ownerId, groupName: group.groupName };
  }
  const name = ref.groupName ?? '';
  // UserId omitted defaults to the caller's account (spec/semantics.md §4.4).
  const ownerId = ref.userId ?? context.account.accountId;
  const group = view.groupByName(ownerId, context.region, undefined, name);
  if (group === undefined) throw groupNameNotFound(name);
  return { kind: 'group', groupId: group.groupId, userId: group.ownerId, groupName: group.groupName, givenByName: true };
}

function resolveVpcPeer(
  view: ReadView,
  context: RequestContext,
  vpcId: string,
  ref: PeerRequest & { kind: 'groupRef' },
): Peer {
  if (ref.groupId !== undefined) {
    const group = view.groups.get(ref.groupId);
    // The caller's group in another VPC (none is peered here) is InvalidGroup.NotFound with its own
    // sentence (issue 13, field); another account's group elsewhere, or a Classic group, stays
    // "does not exist" (spec/semantics.md §4.4, UNCONFIRMED).
    const ownOtherVpc = group?.ownerId === context.account.accountId && group.region === context.region && group.vpcId !== undefined && group.vpcId !== vpcId;
    if (ownOtherVpc) throw groupInOtherNetwork();
    if (group === undefined || group.vpcId !== vpcId || group.region !== context.region) throw groupIdNotFound(ref.groupId);
    return { kind: 'group', groupId: group.groupId, userId: group.ownerId };
  }
  const name = ref.groupName ?? '';
  const defaultVpcId = defaultVpcIdOf(view, context);
  // Names work only inside the default VPC (spec/semantics.md §4.4, field).
  if (defaultVpcId !== vpcId) throw vpcGroupByName(name);
  const group = view.groupByName(context.account.accountId, context.region, vpcId, name);
  if (group === undefined) throw groupNameNotFoundInDefaultVpc(name, vpcId);
  return { kind: 'group', groupId: group.groupId, userId: group.ownerId, givenByName: true };
}

/**
 * Checks `TagSpecification.N` for an action that tags resources of `resourceType` and returns the
 * tags to apply. Other resource types → InvalidParameterValue (UNCONFIRMED message, spec/api.md §3.5).
 */
export function tagsFromSpecifications(specs: readonly TagSpecification[], resourceType: string): readonly Tag[] {
  return tagsFromSpecificationsOf(specs, [resourceType]).get(resourceType) ?? [];
}

/**
 * The same check for an action that tags resources of several types (RunInstances: the instance,
 * its volumes, its network interfaces): the tags per type, every type of `resourceTypes` present.
 */
export function tagsFromSpecificationsOf(specs: readonly TagSpecification[], resourceTypes: readonly string[]): ReadonlyMap<string, readonly Tag[]> {
  const tags = new Map<string, Tag[]>(resourceTypes.map((t) => [t, []]));
  for (const spec of specs) {
    const ofType = spec.resourceType === undefined ? undefined : tags.get(spec.resourceType);
    if (ofType === undefined)
      throw invalidParameterValue(`'${spec.resourceType ?? ''}' is not a valid taggable resource type for this operation.`);
    ofType.push(...spec.tags);
  }
  return tags;
}
