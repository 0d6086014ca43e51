import { rulesPerGroupLimitExceeded } from './ec2-errors.js';
import type { Platform } from './protocol.js';
import type { RuleDraft } from './rule.js';

/**
 * Quota profiles (spec/semantics.md §9): `2011` is the world of the seeds (Classic 100 ingress
 * rules per group; VPC 50 rules per group, ingress and egress together); `current` is today's AWS
 * (60 inbound and 60 outbound per group, counted separately for IPv4 and IPv6).
 */
export const QUOTA_PROFILES = ['current', '2011'] as const;
export type QuotaProfile = (typeof QUOTA_PROFILES)[number];

/** The limits of a profile. */
export interface Quotas {
  readonly profile: QuotaProfile;
  readonly rulesPerClassicGroup: number;
  readonly rulesPerVpcGroup: number;
  readonly classicGroupsPerRegion: number;
  readonly vpcGroupsPerRegion: number;
  readonly vpcsPerRegion: number;
  readonly groupsPerInterface: number;
}

/** The limits of each profile (spec/semantics.md §9). */
export const QUOTAS: Record<QuotaProfile, Quotas> = {
  current: {
    profile: 'current',
    rulesPerClassicGroup: 100,
    rulesPerVpcGroup: 60,
    classicGroupsPerRegion: 500,
    vpcGroupsPerRegion: 2500,
    vpcsPerRegion: 5,
    groupsPerInterface: 5,
  },
  '2011': {
    profile: '2011',
    rulesPerClassicGroup: 100,
    rulesPerVpcGroup: 50,
    classicGroupsPerRegion: 500,
    vpcGroupsPerRegion: 500,
    vpcsPerRegion: 5,
    groupsPerInterface: 5,
  },
};

/** How much a prefix-list peer weighs toward the quota: its max entries (spec/semantics.md §4.3). */
export type PrefixListWeight = (prefixListId: string) => number;

/**
 * Checks that `existing` rules of one group plus `added` stay within the quota, counted as the
 * profile says (spec/semantics.md §9). Throws RulesPerSecurityGroupLimitExceeded.
 */
export function checkRuleQuota(
  quotas: Quotas,
  platform: Platform,
  existing: Iterable<RuleDraft>,
  added: readonly RuleDraft[],
  prefixListWeight: PrefixListWeight,
): void {
  if (added.length === 0) return;
  if (platform === 'classic') {
    // Classic counts ingress rules only; Classic groups have no egress rules (spec/semantics.md §9).
    if (countAll(existing) + added.length > quotas.rulesPerClassicGroup) throw rulesPerGroupLimitExceeded();
    return;
  }
  if (quotas.profile === '2011') {
    // 2011: 50 atomic rules per VPC group, ingress and egress together (seed; spec/semantics.md §9).
    if (countAll(existing) + added.length > quotas.rulesPerVpcGroup) throw rulesPerGroupLimitExceeded();
    return;
  }
  // Four counters, direction × family, filled without allocating: this runs on every authorize,
  // over every rule the group already has.
  const counters = { ingress4: 0, ingress6: 0, egress4: 0, egress6: 0 };
  const bump = (rule: RuleDraft): void => {
    const weights = familyWeights(rule, prefixListWeight);
    if (rule.direction === 'ingress') {
      counters.ingress4 += weights[0];
      counters.ingress6 += weights[1];
    } else {
      counters.egress4 += weights[0];
      counters.egress6 += weights[1];
    }
  };
  for (const rule of existing) bump(rule);
  let ingress = false;
  let egress = false;
  for (const rule of added) {
    bump(rule);
    if (rule.direction === 'ingress') ingress = true;
    else egress = true;
  }
  const limit = quotas.rulesPerVpcGroup;
  if (ingress && (counters.ingress4 > limit || counters.ingress6 > limit)) throw rulesPerGroupLimitExceeded();
  if (egress && (counters.egress4 > limit || counters.egress6 > limit)) throw rulesPerGroupLimitExceeded();
}

function countAll(rules: Iterable<RuleDraft>): number {
  let n = 0;
  for (const _ of rules) n++;
  return n;
}

// A CIDR rule counts toward its family; a group reference toward both; a prefix list toward both
// with its max entries (spec/semantics.md §9, aws-doc + field). Returns [IPv4 weight, IPv6 weight].
const CIDR4_WEIGHTS = [1, 0] as const;
const CIDR6_WEIGHTS = [0, 1] as const;
const GROUP_WEIGHTS = [1, 1] as const;

function familyWeights(rule: RuleDraft, prefixListWeight: PrefixListWeight): readonly [number, number] {
  switch (rule.peer.kind) {
    case 'cidr4':
      return CIDR4_WEIGHTS;
    case 'cidr6':
      return CIDR6_WEIGHTS;
    case 'group':
      return GROUP_WEIGHTS;
    case 'prefixList': {
      const w = prefixListWeight(rule.peer.prefixListId);
      return [w, w];
    }
  }
}
