import { invalidParameterValue, invalidVpcCidr, missingParameter, vpcLimitExceeded, vpcRange } from '../domain/ec2-errors.js';
import { parseIpv4Cidr } from '../domain/cidr.js';
import { validateTags } from '../domain/tag.js';
import { amazonIpv6BlockFrom, type Vpc } from '../domain/vpc.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { emitDefaultGroup } from './new-resources.js';
import { tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';

/** CreateVpc's parameters. */
export interface CreateVpcRequest {
  readonly cidrBlock?: string;
  readonly instanceTenancy?: string;
  readonly amazonProvidedIpv6CidrBlock?: boolean;
  readonly tagSpecifications: readonly TagSpecification[];
}

/**
 * Creates a VPC and its default security group (spec/api.md §5.13, spec/semantics.md §6.2). The
 * CIDR must be /16 to /28 (InvalidVpc.Range, field); at most `vpcsPerRegion` VPCs per region.
 */
export function createVpc(context: RequestContext, request: CreateVpcRequest): WriteOperation<Vpc> {
  return (tx) => {
    const { accountId } = context.account;
    if (request.cidrBlock === undefined) throw missingParameter('cidrBlock');
    const cidr = parseIpv4Cidr(request.cidrBlock);
    if (cidr === undefined) throw invalidVpcCidr(request.cidrBlock);
    const prefix = Number(cidr.text.split('/')[1]);
    if (prefix < 16 || prefix > 28) throw vpcRange(request.cidrBlock);
    const tenancy = request.instanceTenancy ?? 'default';
    if (tenancy !== 'default' && tenancy !== 'dedicated')
      throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
    let count = 0;
    for (const vpc of tx.view.vpcs.values()) if (vpc.ownerId === accountId && vpc.region === context.region) count++;
    if (count >= context.quotas.vpcsPerRegion) throw vpcLimitExceeded();
    const tags = tagsFromSpecifications(request.tagSpecifications, 'vpc');
    validateTags(tags);
    const vpcId = tx.ids.next('vpc');
    const vpc: Vpc = {
      vpcId,
      ownerId: accountId,
      region: context.region,
      cidrBlock: cidr.text,
      isDefault: false,
      instanceTenancy: tenancy,
      ...(request.amazonProvidedIpv6CidrBlock === true ? { ipv6CidrBlock: amazonIpv6BlockFrom(vpcId.slice(4)) } : {}),
      dhcpOptionsId: tx.ids.next('dopt'),
      tags,
      ordinal: tx.view.nextOrdinal(),
    };
    tx.emit(accountId, context.region, { kind: 'VpcCreated', vpc });
    emitDefaultGroup(tx, context.account, context.region, vpc);
    return vpc;
  };
}
