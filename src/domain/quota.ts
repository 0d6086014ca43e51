import { rulesPerGroupLimitExceeded } from './ec2-errors.js';
import type { Platform } from './protocol.js';
import type { Direction, RuleDraft } from './rule.js';

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
  const counters = new Map<string, number>();
  const bump = (rule: RuleDraft): void => {
    for (const [family, weight] of familyWeights(rule, prefixListWeight)) {
      const key = `${rule.direction}:${family}`;
      counters.set(key, (counters.get(key) ?? 0) + weight);
    }
  };
  for (const rule of existing) bump(rule);
  for (const rule of added) bump(rule);
  const touched = new Set<Direction>(added.map((r) => r.direction));
  for (const direction of touched)
    for (const family of [4, 6])
      if ((counters.get(`${direction}:${family}`) ?? 0) > quotas.rulesPerVpcGroup) throw rulesPerGroupLimitExceeded();
}

function countAll(rules: Iterable<RuleDraft>): number {
  let n = 0;
  for (const _ of rules) n++;
  return n;
}

// A CIDR rule counts toward its family; a group reference toward both; a prefix list toward both
// with its max entries (spec/semantics.md §9, aws-doc + field).
function familyWeights(rule: RuleDraft, prefixListWeight: PrefixListWeight): readonly [number, number][] {
  switch (rule.peer.kind) {
    case 'cidr4':
      return [[4, 1]];
    case 'cidr6':
      return [[6, 1]];
    case 'group':
      return [
        [4, 1],
        [6, 1],
      ];
    case 'prefixList': {
      const w = prefixListWeight(rule.peer.prefixListId);
      return [
        [4, w],
        [6, w],
      ];
    }
  }
}
