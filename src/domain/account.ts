/**
 * Account platform modes (spec/semantics.md §1): `vpc-only` is today's AWS (a default VPC per
 * region, names resolve inside it); `classic` is the world of the seeds (EC2-Classic plus
 * non-default VPCs, no default VPC).
 */
export const ACCOUNT_PLATFORMS = ['vpc-only', 'classic'] as const;
export type AccountPlatform = (typeof ACCOUNT_PLATFORMS)[number];

/**
 * Hex digits of the security-group IDs an account's new groups get (spec/semantics.md §11: 8 before
 * 2018, 17 since). vpc-only accounts are today's EC2 and get 17 (issue 13 item 6). Classic accounts
 * keep 8 for every group, VPC groups included: the 2013 `ec2-describe-group` sends any other `sg-…`
 * as a group *name* (spec/README.md decision 3, [observed-cli]), so those accounts' scripts would
 * stop finding their groups by ID. Groups created before this rule keep the IDs they have.
 */
export function groupIdHexDigits(platform: AccountPlatform): number {
  return platform === 'vpc-only' ? 17 : 8;
}

/** An account: its 12-digit ID and its platform mode. */
export interface Account {
  readonly accountId: string;
  readonly platform: AccountPlatform;
  /** The bootstrap account administers the server: it may read the change feed. */
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

/**
 * An access key of an account, or of a host when `hostName` is set. The secret never leaves the
 * store except to the verifier.
 */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The owning account; for a host key, the bootstrap account (it authorises nothing in EC2). */
  readonly accountId: string;
  readonly enabled: boolean;
  readonly createdAt: string;
  /**
   * Set for a host key (issue 5): usable only on the host endpoints (`/feed`), never for EC2
   * actions; account keys, conversely, are refused there.
   */
  readonly hostName?: string;
}

/**
 * What an account has in one region (every resource is regional, spec/auth.md §4.4): created on
 * first use, with the default VPC (vpc-only) or the Classic default group (classic).
 */
export interface RegionState {
  readonly accountId: string;
  readonly region: string;
  /** The default VPC, absent in classic accounts and once deleted (spec/semantics.md §1). */
  readonly defaultVpcId?: string;
}
