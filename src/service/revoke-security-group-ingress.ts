import type { WriteOperation } from '../state/commit-queue.js';
import type { RequestContext } from './request-context.js';
import { revokeRules, type RevokeRequest, type RevokeResult } from './revoke-rules.js';

/** RevokeSecurityGroupIngress (spec/api.md §5.6). */
export function revokeSecurityGroupIngress(context: RequestContext, request: RevokeRequest): WriteOperation<RevokeResult> {
  return revokeRules(context, 'ingress', request);
}
