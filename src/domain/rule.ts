import type { IpProtocol } from './protocol.js';
import type { Tag } from './tag.js';

/** Which way a rule admits traffic. */
export type Direction = 'ingress' | 'egress';

/**
 * The one peer of an atomic rule (spec/semantics.md §2.1): an IPv4 or IPv6 CIDR in canonical
 * form, a prefix list, or a security group (resolved to its ID).
 */
export type Peer =
  | { readonly kind: 'cidr4'; readonly cidr: string }
  | { readonly kind: 'cidr6'; readonly cidr: string }
  | { readonly kind: 'prefixList'; readonly prefixListId: string }
  | {
      readonly kind: 'group';
      readonly groupId: string;
      readonly userId: string;
      /** Only for EC2-Classic peers, which are shown with their name (spec/semantics.md §4.4). */
      readonly groupName?: string;
      /**
       * True when the request named the peer by GroupName rather than GroupId: only such rules
       * match DescribeSecurityGroups' `ip-permission.group-name` filters (issue 13, UNCONFIRMED).
       * Not part of the rule's identity.
       */
      readonly givenByName?: true;
    };

/**
 * One stored rule: (group, direction, protocol, port spec, one peer), with its own `sgr-` ID
 * (spec/semantics.md §2.1). Ports follow spec/semantics.md §3.2.
 */
export interface SecurityGroupRule {
  readonly ruleId: string;
  readonly groupId: string;
  readonly groupOwnerId: string;
  readonly region: string;
  readonly direction: Direction;
  readonly ipProtocol: IpProtocol;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly peer: Peer;
  readonly description?: string;
  readonly tags: readonly Tag[];
  /** Global creation order, used to regroup rules for output (spec/semantics.md §2.4). */
  readonly ordinal: number;
}

/** A rule before it has an ID and a place: what expansion of a permission produces. */
export interface RuleDraft {
  readonly direction: Direction;
  readonly ipProtocol: IpProtocol;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly peer: Peer;
  readonly description?: string;
}
