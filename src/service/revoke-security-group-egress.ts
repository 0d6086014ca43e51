import type { WriteOperation } from '../state/commit-queue.js';
import type { RequestContext } from './request-context.js';
import { revokeRules, type RevokeRequest, type RevokeResult } from './revoke-rules.js';

/** RevokeSecurityGroupEgress (spec/api.md §5.7): VPC groups only, by ID. */
export function revokeSecurityGroupEgress(context: RequestContext, request: RevokeRequest): WriteOperation<RevokeResult> {
  return revokeRules(context, 'egress', request);
}
