/**
 * Account platform modes (spec/semantics.md §1): `vpc-only` is today's AWS (a default VPC per
 * region, names resolve inside it); `classic` is the world of the seeds (EC2-Classic plus
 * non-default VPCs, no default VPC).
 */
export const ACCOUNT_PLATFORMS = ['vpc-only', 'classic'] as const;
export type AccountPlatform = (typeof ACCOUNT_PLATFORMS)[number];

/** An account: its 12-digit ID and its platform mode. */
export interface Account {
  readonly accountId: string;
  readonly platform: AccountPlatform;
  /** The bootstrap account administers the server: it may read the change feed. */
  readonly isAdmin: boolean;
  readonly createdAt: string;
}

/** An access key of an account. The secret never leaves the store except to the verifier. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  readonly enabled: boolean;
  readonly createdAt: string;
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
