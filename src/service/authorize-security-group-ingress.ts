import type { WriteOperation } from '../state/commit-queue.js';
import { authorizeRules, type AuthorizeRequest, type AuthorizeResult } from './authorize-rules.js';
import type { RequestContext } from './request-context.js';

/** AuthorizeSecurityGroupIngress (spec/api.md §5.4). */
export function authorizeSecurityGroupIngress(
  context: RequestContext,
  request: AuthorizeRequest,
): WriteOperation<AuthorizeResult> {
  return authorizeRules(context, 'ingress', request);
}
