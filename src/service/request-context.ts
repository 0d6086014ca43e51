import type { Account } from '../domain/account.js';
import type { Quotas } from '../domain/quota.js';

/** Who is asking, where, and with which API generation: every operation's first argument. */
export interface RequestContext {
  readonly account: Account;
  readonly region: string;
  /**
   * True for API version 2016-11-15, whose callers see rule IDs, descriptions and IPv6 and get some
   * errors worded differently (spec/api.md §2, spec/semantics.md §2.2).
   */
  readonly modernApi: boolean;
  readonly quotas: Quotas;
}
