import { invalidParameterValue, missingParameter, vpcIdMalformed, vpcNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import type { Vpc } from '../domain/vpc.js';
import type { View } from '../state/view.js';
import type { RequestContext } from './request-context.js';

/** The VPC attributes DescribeVpcAttribute answers (botocore `VpcAttributeName`). */
export const VPC_ATTRIBUTE_NAMES = ['enableDnsSupport', 'enableDnsHostnames', 'enableNetworkAddressUsageMetrics'] as const;
export type VpcAttributeName = (typeof VPC_ATTRIBUTE_NAMES)[number];

/**
 * The value EC2 gives each attribute of a VPC nobody has modified: DNS resolution on; DNS
 * hostnames on in a default VPC only; usage metrics off. Stockade has no ModifyVpcAttribute, so
 * these are the values. Terraform's `aws_vpc` data source reads all three and fails without them.
 */
function valueOf(vpc: Vpc, attribute: VpcAttributeName): boolean {
  switch (attribute) {
    case 'enableDnsSupport':
      return true;
    case 'enableDnsHostnames':
      return vpc.isDefault;
    case 'enableNetworkAddressUsageMetrics':
      return false;
  }
}

/** DescribeVpcAttribute: one attribute of one of the caller's VPCs. Not in the spec; wording UNCONFIRMED. */
export function describeVpcAttribute(
  view: View,
  context: RequestContext,
  vpcId: string | undefined,
  attribute: string | undefined,
): { readonly vpcId: string; readonly attribute: VpcAttributeName; readonly value: boolean } {
  if (vpcId === undefined) throw missingParameter('vpcId');
  if (attribute === undefined) throw missingParameter('attribute');
  const name = VPC_ATTRIBUTE_NAMES.find((a) => a === attribute);
  if (name === undefined) throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  if (!isResourceId('vpc', vpcId)) throw vpcIdMalformed(vpcId);
  const vpc = view.vpcs.get(vpcId);
  if (vpc === undefined || vpc.ownerId !== context.account.accountId || vpc.region !== context.region) throw vpcNotFound(vpcId);
  return { vpcId, attribute: name, value: valueOf(vpc, name) };
}
