import { invalidParameterCombination, invalidParameterValue, missingParameter } from '../domain/ec2-errors.js';
import { VPC_ATTRIBUTE_NAMES, vpcAttribute, type VpcAttributeName } from '../domain/vpc.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { ownVpc } from './own-vpc.js';
import type { RequestContext } from './request-context.js';

// DescribeVpcAttribute and ModifyVpcAttribute are not in the spec: they are served because
// Terraform's aws_vpc reads all three attributes and sets DNS hostnames. Wording UNCONFIRMED.

/** DescribeVpcAttribute: one attribute of one of the caller's VPCs. */
export function describeVpcAttribute(
  view: ReadView,
  context: RequestContext,
  vpcId: string | undefined,
  attribute: string | undefined,
): { readonly vpcId: string; readonly attribute: VpcAttributeName; readonly value: boolean } {
  // Both parameters are checked for presence before either value (as EC2 orders its checks,
  // spec/errors.md §2); `ownVpc` then checks the ID's form and existence.
  if (vpcId === undefined) throw missingParameter('vpcId');
  if (attribute === undefined) throw missingParameter('attribute');
  const name = VPC_ATTRIBUTE_NAMES.find((a) => a === attribute);
  if (name === undefined) throw invalidParameterValue(`Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
  const vpc = ownVpc(view, context, vpcId);
  return { vpcId: vpc.vpcId, attribute: name, value: vpcAttribute(vpc, name) };
}

/** ModifyVpcAttribute: sets exactly one attribute per call, as EC2 requires. */
export function modifyVpcAttribute(
  context: RequestContext,
  vpcId: string | undefined,
  values: Readonly<Partial<Record<VpcAttributeName, boolean>>>,
): WriteOperation<void> {
  return (tx) => {
    const vpc = ownVpc(tx.view, context, vpcId);
    const given = VPC_ATTRIBUTE_NAMES.filter((name) => values[name] !== undefined);
    if (given.length > 1) throw invalidParameterCombination(`Fields for multiple attribute types specified: ${given.join(', ')}`);
    const name = given[0];
    const value = name === undefined ? undefined : values[name];
    if (name === undefined || value === undefined) throw missingParameter('enableDnsSupport, enableDnsHostnames or enableNetworkAddressUsageMetrics');
    tx.emit(vpc.ownerId, vpc.region, { kind: 'VpcAttributeModified', vpc: { ...vpc, attributes: { ...vpc.attributes, [name]: value } } });
  };
}
