import {
  cidrMalformed,
  groupIdMalformed,
  invalidRuleDescription,
  missingParameter,
  missingPeer2016,
  missingPeerLegacy,
  prefixListMalformed,
  sourceGroupIdMissing,
  userIdMalformed,
  vpcOnlyPeer,
} from './ec2-errors.js';
import { parseIpv4Cidr, parseIpv6Cidr } from './cidr.js';
import { isAccountId, isResourceId } from './ids.js';
import { portSpecFor } from './port-range.js';
import { canonicalProtocol, type IpProtocol, type Platform } from './protocol.js';

/** A referenced group as a request names it (botocore `UserIdGroupPair`, wire name `Groups.N`). */
export interface UserIdGroupPairRequest {
  readonly groupId?: string;
  readonly groupName?: string;
  readonly userId?: string;
  readonly description?: string;
}

/** An `IpPermission` in request form (spec/api.md §3.1): one protocol and port spec, N peers. */
export interface IpPermissionRequest {
  readonly ipProtocol?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ipRanges: readonly { readonly cidrIp?: string; readonly description?: string }[];
  readonly ipv6Ranges: readonly { readonly cidrIpv6?: string; readonly description?: string }[];
  readonly prefixListIds: readonly { readonly prefixListId?: string; readonly description?: string }[];
  readonly groups: readonly UserIdGroupPairRequest[];
}

/** A peer after syntax checks; group references are still unresolved. */
export type PeerRequest =
  | { readonly kind: 'cidr4'; readonly cidr: string; readonly description?: string }
  | { readonly kind: 'cidr6'; readonly cidr: string; readonly description?: string }
  | { readonly kind: 'prefixList'; readonly prefixListId: string; readonly description?: string }
  | ({ readonly kind: 'groupRef' } & UserIdGroupPairRequest);

/** A protocol and its normalised port spec. */
export interface ProtocolSpec {
  readonly ipProtocol: IpProtocol;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** A permission that passed syntax checks: usually one protocol, three for Classic's full grant. */
export interface CheckedPermission {
  readonly protocols: readonly ProtocolSpec[];
  readonly peers: readonly PeerRequest[];
}

/** What the checks need to know about the request and its target. */
export interface PermissionContext {
  readonly platform: Platform;
  /** True for API version 2016-11-15, which words some errors differently (spec/semantics.md §2.2). */
  readonly modernApi: boolean;
}

// Rule descriptions: up to 255 characters from this set; `&` only on IP ranges (spec/semantics.md §5, model).
const DESCRIPTION_WITH_AMPERSAND = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{0,255}$/;
const DESCRIPTION_WITHOUT_AMPERSAND = /^[a-zA-Z0-9. _\-:/()#,@[\]+=;{}!$*]{0,255}$/;

/**
 * Checks one permission in EC2's order (spec/api.md §5.4 step 3): protocol, ports, at least one
 * peer, peer syntax, descriptions. Throws the Ec2Error of the first failure.
 */
export function checkPermission(permission: IpPermissionRequest, context: PermissionContext): CheckedPermission {
  const protocols = checkProtocols(permission, context.platform);
  const peers: PeerRequest[] = [];
  const peerCount =
    permission.ipRanges.length + permission.ipv6Ranges.length + permission.prefixListIds.length + permission.groups.length;
  if (peerCount === 0) throw context.modernApi ? missingPeer2016() : missingPeerLegacy();
  for (const range of permission.ipRanges) {
    if (range.cidrIp === undefined) throw missingParameter('cidrIp');
    const cidr = parseIpv4Cidr(range.cidrIp);
    if (cidr === undefined) throw cidrMalformed(range.cidrIp);
    peers.push(withDescription({ kind: 'cidr4', cidr: cidr.text }, range.description, DESCRIPTION_WITH_AMPERSAND));
  }
  for (const range of permission.ipv6Ranges) {
    if (context.platform === 'classic') throw vpcOnlyPeer('IPv6 CIDR blocks');
    if (range.cidrIpv6 === undefined) throw missingParameter('cidrIpv6');
    const cidr = parseIpv6Cidr(range.cidrIpv6);
    if (cidr === undefined) throw cidrMalformed(range.cidrIpv6);
    peers.push(withDescription({ kind: 'cidr6', cidr: cidr.text }, range.description, DESCRIPTION_WITH_AMPERSAND));
  }
  for (const item of permission.prefixListIds) {
    if (context.platform === 'classic') throw vpcOnlyPeer('Prefix lists');
    if (item.prefixListId === undefined) throw missingParameter('prefixListId');
    if (!isResourceId('pl', item.prefixListId)) throw prefixListMalformed(item.prefixListId);
    peers.push(
      withDescription({ kind: 'prefixList', prefixListId: item.prefixListId }, item.description, DESCRIPTION_WITHOUT_AMPERSAND),
    );
  }
  for (const pair of permission.groups) {
    if (pair.groupId === undefined && pair.groupName === undefined) throw sourceGroupIdMissing();
    if (pair.groupId !== undefined && !isResourceId('sg', pair.groupId)) throw groupIdMalformed(pair.groupId);
    if (pair.userId !== undefined && !isAccountId(pair.userId)) throw userIdMalformed(pair.userId);
    const { description, ...ref } = pair;
    peers.push(withDescription({ kind: 'groupRef', ...ref }, description, DESCRIPTION_WITHOUT_AMPERSAND));
  }
  return { protocols, peers };
}

function checkProtocols(permission: IpPermissionRequest, platform: Platform): readonly ProtocolSpec[] {
  if (permission.ipProtocol === undefined && platform === 'classic' && permission.groups.length > 0) {
    // Classic grant from a group with no protocol: full TCP, UDP and ICMP (spec/semantics.md §3.4, model).
    return [
      { ipProtocol: 'tcp', fromPort: 0, toPort: 65535 },
      { ipProtocol: 'udp', fromPort: 0, toPort: 65535 },
      { ipProtocol: 'icmp', fromPort: -1, toPort: -1 },
    ];
  }
  const ipProtocol = canonicalProtocol(permission.ipProtocol, platform);
  return [{ ipProtocol, ...portSpecFor(ipProtocol, permission.fromPort, permission.toPort) }];
}

function withDescription<T extends PeerRequest>(peer: T, description: string | undefined, pattern: RegExp): T {
  if (description === undefined) return peer;
  if (!pattern.test(description)) throw invalidRuleDescription();
  return { ...peer, description };
}
