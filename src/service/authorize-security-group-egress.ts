import { parametersCannotBeCombined } from '../domain/ec2-errors.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { authorizeRules, type AuthorizeRequest, type AuthorizeResult } from './authorize-rules.js';
import type { RequestContext } from './request-context.js';

/**
 * AuthorizeSecurityGroupEgress (spec/api.md §5.5): VPC groups only, by ID. The model's flat fields
 * are documented as unsupported and are refused (UNCONFIRMED, spec/api.md §5.5).
 */
export function authorizeSecurityGroupEgress(
  context: RequestContext,
  request: AuthorizeRequest,
): WriteOperation<AuthorizeResult> {
  return (tx) => {
    const flat = Object.keys(request.flat).find((k) => request.flat[k as keyof typeof request.flat] !== undefined);
    if (flat !== undefined) throw parametersCannotBeCombined(flat, 'ipPermissions');
    return authorizeRules(context, 'egress', request)(tx);
  };
}
