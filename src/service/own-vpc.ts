import { missingParameter, vpcIdMalformed, vpcNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { Vpc } from '../domain/vpc.js';
import type { ReadView } from '../state/view.js';
import type { RequestContext } from './request-context.js';

/**
 * The caller's VPC named by a `VpcId` parameter, checked in EC2's order: missing, malformed, then
 * not found (another account's or region's VPC is not found either).
 */
export function ownVpc(view: ReadView, context: RequestContext, vpcId: string | undefined): Vpc {
  if (vpcId === undefined) throw missingParameter('vpcId');
  if (!isResourceId('vpc', vpcId)) throw vpcIdMalformed(vpcId);
  const vpc = view.vpcs.get(vpcId);
  if (vpc === undefined || vpc.ownerId !== context.account.accountId || vpc.region !== context.region) throw vpcNotFound(vpcId);
  return vpc;
}
