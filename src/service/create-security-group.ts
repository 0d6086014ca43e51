import { groupIdHexDigits } from '../domain/account.js';
import {
  groupDuplicateClassic,
  groupDuplicateInVpc,
  groupNameLooksLikeId,
  groupReserved,
  invalidGroupNameOrDescription,
  missingParameter,
  noDefaultVpc,
  securityGroupLimitExceeded,
  vpcNotFound,
} from '../domain/ec2-errors.js';
import { DEFAULT_GROUP_NAME, type SecurityGroup } from '../domain/security-group.js';
import { validateTags } from '../domain/tag.js';
import type { Vpc } from '../domain/vpc.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { defaultEgressDrafts, newRule } from './new-resources.js';
import { tagsFromSpecifications, type TagSpecification } from './permission-rules.js';
import type { RequestContext } from './request-context.js';
import { defaultVpcIdOf } from './target-group.js';

/** CreateSecurityGroup's parameters. */
export interface CreateSecurityGroupRequest {
  readonly groupName?: string;
  readonly description?: string;
  readonly vpcId?: string;
  readonly tagSpecifications: readonly TagSpecification[];
}

// Names and descriptions: 1–255 characters; VPC groups from this set, Classic any ASCII
// (spec/semantics.md §5, aws-doc).
const VPC_CHARSET = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Creates a group in the VPC given, or in the name scope (Classic or the default VPC), checking in
 * the order of spec/api.md §5.1; new VPC groups get the default egress rule (spec/semantics.md §6.3).
 */
export function createSecurityGroup(context: RequestContext, request: CreateSecurityGroupRequest): WriteOperation<SecurityGroup> {
  return (tx) => {
    const { view } = tx;
    const { accountId } = context.account;
    if (request.groupName === undefined) throw missingParameter('GroupName');
    if (request.description === undefined) throw missingParameter('GroupDescription');
    // Trailing spaces are trimmed before saving (spec/semantics.md §5, aws-doc).
    const groupName = request.groupName.replace(/ +$/, '');
    const description = request.description;
    if (groupName.toLowerCase().startsWith('sg-')) throw groupNameLooksLikeId(groupName);
    checkText('GroupName', groupName);
    checkText('GroupDescription', description);
    let vpc: Vpc | undefined;
    if (request.vpcId !== undefined) {
      // Any unknown value, even one that is not vpc-…, is NotFound (spec/api.md §5.1, field).
      vpc = view.vpcs.get(request.vpcId);
      if (vpc === undefined || vpc.ownerId !== accountId || vpc.region !== context.region) throw vpcNotFound(request.vpcId);
    } else if (context.account.platform === 'vpc-only') {
      const defaultVpcId = defaultVpcIdOf(view, context);
      vpc = defaultVpcId === undefined ? undefined : view.vpcs.get(defaultVpcId);
      if (vpc === undefined) throw noDefaultVpc();
    }
    if (vpc !== undefined) {
      if (!VPC_CHARSET.test(groupName)) throw invalidGroupNameOrDescription('GroupName', groupName, 'Character sets beyond ASCII are not supported.');
      if (!VPC_CHARSET.test(description))
        throw invalidGroupNameOrDescription('GroupDescription', description, 'Character sets beyond ASCII are not supported.');
    }
    if (groupName.toLowerCase() === DEFAULT_GROUP_NAME) {
      // Classic reserves the name; a VPC already has its default group (spec/api.md §5.1 step 3).
      if (vpc === undefined) throw groupReserved();
      throw groupDuplicateInVpc(groupName, vpc.vpcId);
    }
    if (view.groupByName(accountId, context.region, vpc?.vpcId, groupName) !== undefined)
      throw vpc === undefined ? groupDuplicateClassic(groupName) : groupDuplicateInVpc(groupName, vpc.vpcId);
    const limit = vpc === undefined ? context.quotas.classicGroupsPerRegion : context.quotas.vpcGroupsPerRegion;
    let count = 0;
    for (const g of view.groupsInRegion(accountId, context.region)) if ((g.vpcId === undefined) === (vpc === undefined)) count++;
    if (count >= limit) throw securityGroupLimitExceeded();
    const tags = tagsFromSpecifications(request.tagSpecifications, 'security-group');
    validateTags(tags);
    const group: SecurityGroup = {
      groupId: tx.ids.next('sg', groupIdHexDigits(context.account.platform)),
      ownerId: accountId,
      region: context.region,
      groupName,
      description,
      ...(vpc === undefined ? {} : { vpcId: vpc.vpcId }),
      tags,
      ordinal: view.nextOrdinal(),
    };
    tx.emit(accountId, context.region, { kind: 'SecurityGroupCreated', group });
    if (vpc !== undefined)
      tx.emit(accountId, context.region, {
        kind: 'RulesAuthorized',
        groupId: group.groupId,
        rules: defaultEgressDrafts(vpc).map((d) => newRule(tx, group, d)),
      });
    return group;
  };
}

function checkText(parameter: 'GroupName' | 'GroupDescription', value: string): void {
  if (value.length === 0) throw missingParameter(parameter);
  if (value.length > 255) throw invalidGroupNameOrDescription(parameter, value, 'Length exceeds maximum of 255 characters.');
  if (!ASCII.test(value)) throw invalidGroupNameOrDescription(parameter, value, 'Character sets beyond ASCII are not supported.');
}
