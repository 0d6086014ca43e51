/**
 * Resource identifiers (spec/semantics.md §11). IDs are the resource prefix, a dash and lower-case
 * hex. Security-group IDs default to 8 hex digits because the legacy `ec2-describe-group` only
 * treats `sg-` + 8 hex as an ID (spec/README.md decision 3, observed-cli); everything else uses
 * today's 17. The owning account's platform may ask for another length (`groupIdHexDigits` in
 * account.ts: vpc-only accounts get today's 17, issue 13).
 */
export const RESOURCE_PREFIXES = ['sg', 'sgr', 'vpc', 'subnet', 'pl', 'i', 'r', 'acl', 'dopt', 'rtb', 'eni', 'vpc-cidr-assoc', 'vpc-ipv6-cidr-assoc', 'subnet-cidr-assoc'] as const;
export type ResourcePrefix = (typeof RESOURCE_PREFIXES)[number];

/** Hex digits per prefix. */
export const ID_HEX_LENGTH: Record<ResourcePrefix, number> = {
  sg: 8,
  sgr: 17,
  vpc: 17,
  subnet: 17,
  pl: 17,
  i: 17,
  r: 17,
  acl: 17,
  dopt: 17,
  rtb: 17,
  eni: 17,
  'vpc-cidr-assoc': 17,
  'vpc-ipv6-cidr-assoc': 17,
  'subnet-cidr-assoc': 17,
};

/** Source of fresh IDs; passed in so that domain and service stay free of randomness. */
export interface IdSource {
  /**
   * Returns a new, never-issued ID with the given prefix and `hexDigits` hex digits (at most 17;
   * default `ID_HEX_LENGTH[prefix]`).
   */
  next(prefix: ResourcePrefix, hexDigits?: number): string;
}

const ID_PATTERNS: Record<ResourcePrefix, RegExp> = Object.fromEntries(
  RESOURCE_PREFIXES.map((p) => [p, new RegExp(`^${p}-[0-9a-f]+$`)]),
) as Record<ResourcePrefix, RegExp>;

/** Reports whether `value` has the form of an ID with this prefix (`sg-` + lower-case hex). */
export function isResourceId(prefix: ResourcePrefix, value: string): boolean {
  return ID_PATTERNS[prefix].test(value);
}

/** Reports whether `value` is a 12-digit account ID (spec/semantics.md §11). */
export function isAccountId(value: string): boolean {
  return /^[0-9]{12}$/.test(value);
}

/** ARN of a security group (spec/semantics.md §11). */
export function securityGroupArn(region: string, ownerId: string, groupId: string): string {
  return `arn:aws:ec2:${region}:${ownerId}:security-group/${groupId}`;
}

/** ARN of a subnet, as DescribeSubnets' `subnetArn` gives it (the ARN form of spec/semantics.md §11). */
export function subnetArn(region: string, ownerId: string, subnetId: string): string {
  return `arn:aws:ec2:${region}:${ownerId}:subnet/${subnetId}`;
}

/** ARN of a security-group rule (spec/semantics.md §11). */
export function securityGroupRuleArn(region: string, ownerId: string, ruleId: string): string {
  return `arn:aws:ec2:${region}:${ownerId}:security-group-rule/${ruleId}`;
}

// FNV-1a, hex: a stable, dependency-free digest for derived IDs (not a security measure).
export function stableHex(text: string, length: number): string {
  let out = '';
  let seed = 0x811c9dc5;
  while (out.length < length) {
    let h = seed;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, '0');
    seed = h ^ 0x5bd1e995;
  }
  return out.slice(0, length);
}
