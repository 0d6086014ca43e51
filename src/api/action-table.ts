import type { Action } from './action.js';
import { authorizeSecurityGroupEgressAction } from './actions/authorize-security-group-egress.js';
import { authorizeSecurityGroupIngressAction } from './actions/authorize-security-group-ingress.js';
import { createSecurityGroupAction } from './actions/create-security-group.js';
import { deleteSecurityGroupAction } from './actions/delete-security-group.js';
import { describeAccountAttributesAction } from './actions/describe-account-attributes.js';
import { describeSecurityGroupRulesAction } from './actions/describe-security-group-rules.js';
import { describeSecurityGroupsAction } from './actions/describe-security-groups.js';
import {
  createManagedPrefixListAction,
  deleteManagedPrefixListAction,
  describeManagedPrefixListsAction,
  describePrefixListsAction,
  getManagedPrefixListAssociationsAction,
  getManagedPrefixListEntriesAction,
  modifyManagedPrefixListAction,
} from './actions/managed-prefix-lists.js';
import { modifySecurityGroupRulesAction } from './actions/modify-security-group-rules.js';
import { describeNetworkAclsAction, describeRouteTablesAction } from './actions/vpc-defaults.js';
import { revokeSecurityGroupEgressAction } from './actions/revoke-security-group-egress.js';
import { revokeSecurityGroupIngressAction } from './actions/revoke-security-group-ingress.js';
import { createTagsAction, deleteTagsAction, describeTagsAction } from './actions/tags.js';
import {
  updateSecurityGroupRuleDescriptionsEgressAction,
  updateSecurityGroupRuleDescriptionsIngressAction,
} from './actions/update-security-group-rule-descriptions.js';
import {
  associateVpcCidrBlockAction,
  createVpcAction,
  deleteVpcAction,
  describeVpcAttributeAction,
  describeVpcsAction,
  disassociateVpcCidrBlockAction,
  modifyVpcAttributeAction,
} from './actions/vpcs.js';
import {
  describeInstanceAttributeAction,
  describeInstanceCreditSpecificationsAction,
  describeInstancesAction,
  modifyInstanceAttributeAction,
  runInstancesAction,
  terminateInstancesAction,
} from './actions/instances.js';
import { describeAvailabilityZonesAction, describeImagesAction, describeInstanceTypesAction } from './actions/catalogues.js';
import { describeNetworkInterfacesAction, modifyNetworkInterfaceAttributeAction } from './actions/network-interfaces.js';
import {
  associateSubnetCidrBlockAction,
  createSubnetAction,
  deleteSubnetAction,
  describeSubnetsAction,
  disassociateSubnetCidrBlockAction,
  modifySubnetAttributeAction,
} from './actions/subnets.js';

/** Every EC2 action the server answers; anything else is InvalidAction (spec/errors.md §3.1). */
export const ACTION_NAMES = [
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'DescribeSecurityGroups',
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'DescribeSecurityGroupRules',
  'ModifySecurityGroupRules',
  'UpdateSecurityGroupRuleDescriptionsIngress',
  'UpdateSecurityGroupRuleDescriptionsEgress',
  'CreateTags',
  'DeleteTags',
  'DescribeTags',
  'CreateManagedPrefixList',
  'DescribeManagedPrefixLists',
  'DeleteManagedPrefixList',
  'GetManagedPrefixListEntries',
  'ModifyManagedPrefixList',
  'GetManagedPrefixListAssociations',
  'DescribePrefixLists',
  'DescribeRouteTables',
  'DescribeNetworkAcls',
  'CreateVpc',
  'DescribeVpcs',
  'DeleteVpc',
  'DescribeAccountAttributes',
  'CreateSubnet',
  'DescribeSubnets',
  'DeleteSubnet',
  'RunInstances',
  'DescribeInstances',
  'TerminateInstances',
  'ModifyInstanceAttribute',
  'DescribeInstanceAttribute',
  'DescribeInstanceCreditSpecifications',
  'DescribeInstanceTypes',
  'DescribeAvailabilityZones',
  'DescribeImages',
  'DescribeNetworkInterfaces',
  'ModifyNetworkInterfaceAttribute',
  'DescribeVpcAttribute',
  'ModifyVpcAttribute',
  'AssociateVpcCidrBlock',
  'DisassociateVpcCidrBlock',
  'AssociateSubnetCidrBlock',
  'DisassociateSubnetCidrBlock',
  'ModifySubnetAttribute',
] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** The action table: exhaustive, so an action listed above cannot lack an implementation. */
export const ACTIONS: Record<ActionName, Action> = {
  CreateSecurityGroup: createSecurityGroupAction,
  DeleteSecurityGroup: deleteSecurityGroupAction,
  DescribeSecurityGroups: describeSecurityGroupsAction,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngressAction,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgressAction,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngressAction,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgressAction,
  DescribeSecurityGroupRules: describeSecurityGroupRulesAction,
  ModifySecurityGroupRules: modifySecurityGroupRulesAction,
  UpdateSecurityGroupRuleDescriptionsIngress: updateSecurityGroupRuleDescriptionsIngressAction,
  UpdateSecurityGroupRuleDescriptionsEgress: updateSecurityGroupRuleDescriptionsEgressAction,
  CreateTags: createTagsAction,
  DeleteTags: deleteTagsAction,
  DescribeTags: describeTagsAction,
  CreateManagedPrefixList: createManagedPrefixListAction,
  DescribeManagedPrefixLists: describeManagedPrefixListsAction,
  DeleteManagedPrefixList: deleteManagedPrefixListAction,
  GetManagedPrefixListEntries: getManagedPrefixListEntriesAction,
  ModifyManagedPrefixList: modifyManagedPrefixListAction,
  GetManagedPrefixListAssociations: getManagedPrefixListAssociationsAction,
  DescribePrefixLists: describePrefixListsAction,
  DescribeRouteTables: describeRouteTablesAction,
  DescribeNetworkAcls: describeNetworkAclsAction,
  CreateVpc: createVpcAction,
  DescribeVpcs: describeVpcsAction,
  DeleteVpc: deleteVpcAction,
  DescribeAccountAttributes: describeAccountAttributesAction,
  CreateSubnet: createSubnetAction,
  DescribeSubnets: describeSubnetsAction,
  DeleteSubnet: deleteSubnetAction,
  RunInstances: runInstancesAction,
  DescribeInstances: describeInstancesAction,
  DescribeNetworkInterfaces: describeNetworkInterfacesAction,
  DescribeVpcAttribute: describeVpcAttributeAction,
  ModifyVpcAttribute: modifyVpcAttributeAction,
  AssociateVpcCidrBlock: associateVpcCidrBlockAction,
  DisassociateVpcCidrBlock: disassociateVpcCidrBlockAction,
  AssociateSubnetCidrBlock: associateSubnetCidrBlockAction,
  DisassociateSubnetCidrBlock: disassociateSubnetCidrBlockAction,
  ModifySubnetAttribute: modifySubnetAttributeAction,
  TerminateInstances: terminateInstancesAction,
  ModifyInstanceAttribute: modifyInstanceAttributeAction,
  DescribeInstanceAttribute: describeInstanceAttributeAction,
  DescribeInstanceCreditSpecifications: describeInstanceCreditSpecificationsAction,
  DescribeInstanceTypes: describeInstanceTypesAction,
  DescribeAvailabilityZones: describeAvailabilityZonesAction,
  DescribeImages: describeImagesAction,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttributeAction,
} as Record<ActionName, Action>;

/** Returns the action of that exact name (names are case-sensitive, spec/api.md §1), if any. */
export function actionNamed(name: string): Action | undefined {
  return Object.hasOwn(ACTIONS, name) ? ACTIONS[name as ActionName] : undefined;
}
