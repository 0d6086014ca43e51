import { QUOTAS } from '../../domain/quota.js';
import { initializeRegion } from '../../service/initialize-region.js';
import type { RequestContext } from '../../service/request-context.js';
import type { ServerDependencies } from '../server.js';
import { unknownRegion } from './console-errors.js';
import type { SessionCall } from './console-route.js';

/**
 * The request context of a console call: the session's account in the region named by the body's
 * or query's `region` (the server's default when absent), as a 2016-11-15 API caller, so the
 * service functions check and word everything as they do for the SDKs. Throws ConsoleUnknownRegion.
 */
export function consoleContext(call: SessionCall, deps: ServerDependencies): RequestContext {
  const given = typeof call.body.region === 'string' ? call.body.region : call.params.get('region');
  const region = given ?? deps.defaultRegion;
  if (!deps.regions.has(region)) throw unknownRegion(region);
  return { account: call.session.account, region, modernApi: true, quotas: QUOTAS[deps.quotaProfile] };
}

/** Creates the account's region on first use (its default VPC or group), as EC2 actions do (handle-query.ts). */
export async function ensureRegion(context: RequestContext, deps: ServerDependencies): Promise<void> {
  if (deps.view.regionState(context.account.accountId, context.region) === undefined) await deps.queue.submit(initializeRegion(context.account, context.region));
}
