import {
  instanceIdMalformed,
  instanceNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  missingParameter,
  securityGroupsPerInterfaceLimitExceeded,
  groupIdMalformed,
  groupNotFoundInVpc,
  terminationProtected,
  instanceNotModifiable,
} from '../domain/ec2-errors.js';
import { attributesOf } from '../domain/instance-attributes.js';
import { isResourceId } from '../domain/ids.js';
import { INSTANCE_STATE_CODES, type Instance, type InstanceStateName } from '../domain/instance.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/** The caller's instance with this ID in the region. Throws InvalidInstanceID.Malformed/NotFound. */
export function ownInstance(view: ReadView, context: RequestContext, instanceId: string): Instance {
  if (!/^i-[0-9a-f]+$/.test(instanceId)) throw instanceIdMalformed(instanceId);
  const instance = view.instances.get(instanceId);
  if (instance === undefined || instance.ownerId !== context.account.accountId || instance.region !== context.region)
    throw instanceNotFound(instanceId);
  return instance;
}

/**
 * DescribeInstances (spec/api.md §5.14): the caller's instances, terminated ones included, with
 * the filters the spec lists. `MaxResults` cannot be combined with instance IDs.
 */
export function describeInstances(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly instanceIds: readonly string[]; readonly filters: readonly Filter[] },
): Page<Instance> {
  if (request.instanceIds.length > 0 && request.maxResults !== undefined)
    throw invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
  let instances =
    request.instanceIds.length > 0
      ? [...new Set(request.instanceIds)].map((id) => ownInstance(view, context, id))
      : [...view.instances.values()].filter((i) => i.ownerId === context.account.accountId && i.region === context.region);
  if (request.filters.length > 0) {
    const groupIds = (i: Instance) => i.groupIds;
    const groupNames = (i: Instance) => i.groupIds.map((g) => view.groups.get(g)?.groupName);
    const matches = compileFilters<Instance>(
      request.filters,
      {
        'instance-id': (i) => [i.instanceId],
        'reservation-id': (i) => [i.reservationId],
        'instance-state-name': (i) => [i.state],
        'instance-state-code': (i) => [String(INSTANCE_STATE_CODES[i.state])],
        'instance-type': (i) => [i.instanceType],
        'image-id': (i) => [i.imageId],
        'vpc-id': (i) => [i.vpcId],
        'subnet-id': (i) => [i.subnetId],
        'private-ip-address': (i) => [i.privateIpAddress],
        // IPv6 addresses of the primary interface (issue 10; EC2's DescribeInstances filters).
        'ipv6-address': (i) => i.ipv6Addresses ?? [],
        'network-interface.ipv6-address': (i) => i.ipv6Addresses ?? [],
        'network-interface.ipv6-addresses.ipv6-address': (i) => i.ipv6Addresses ?? [],
        'availability-zone': (i) => [i.availabilityZone],
        'owner-id': (i) => [i.ownerId],
        // What the launch set (issue 13).
        'key-name': (i) => [attributesOf(i).keyName],
        tenancy: (i) => [attributesOf(i).tenancy],
        'placement-group-name': (i) => [attributesOf(i).placementGroupName],
        'monitoring-state': (i) => [attributesOf(i).monitoring ? 'enabled' : 'disabled'],
        'metadata-options.http-tokens': (i) => [attributesOf(i).metadataOptions.httpTokens],
        'metadata-options.http-endpoint': (i) => [attributesOf(i).metadataOptions.httpEndpoint],
        'hibernation-options.configured': (i) => [String(attributesOf(i).hibernationConfigured)],
        'instance.group-id': groupIds,
        'instance.group-name': groupNames,
        'group-id': groupIds,
        'group-name': groupNames,
      },
      (i) => i.tags,
    );
    instances = instances.filter(matches);
  }
  instances.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(instances, request, { f: request.filters, i: request.instanceIds });
}

/** One instance's state change, as TerminateInstances reports it. */
export interface StateChange {
  readonly instanceId: string;
  readonly previous: InstanceStateName;
  readonly current: InstanceStateName;
}

/**
 * TerminateInstances (spec/api.md §5.14): answered as shutting-down (32) from running (16), and
 * terminated (48) right after, so the instance stops holding its groups; repeats report 48/48. An
 * instance with `disableApiTermination` set → OperationNotPermitted, and nothing is terminated.
 */
export function terminateInstances(context: RequestContext, instanceIds: readonly string[]): WriteOperation<readonly StateChange[]> {
  return (tx) => {
    if (instanceIds.length === 0) throw missingParameter('InstanceId');
    const instances = [...new Set(instanceIds)].map((id) => ownInstance(tx.view, context, id));
    // Termination protection refuses the whole call, before any instance changes (issue 13).
    for (const instance of instances)
      if (instance.state !== 'terminated' && attributesOf(instance).disableApiTermination) throw terminationProtected(instance.instanceId);
    const changes: StateChange[] = [];
    for (const instance of instances) {
      if (instance.state === 'terminated') {
        changes.push({ instanceId: instance.instanceId, previous: 'terminated', current: 'terminated' });
        continue;
      }
      changes.push({ instanceId: instance.instanceId, previous: instance.state, current: 'shutting-down' });
      tx.emit(instance.ownerId, instance.region, { kind: 'InstanceStateChanged', instanceId: instance.instanceId, state: 'terminated' });
    }
    return changes;
  };
}

/**
 * ModifyInstanceAttribute with `GroupId.N` (spec/api.md §5.14): replaces a VPC instance's groups
 * with 1–5 groups of its VPC. Classic instances keep their launch groups (spec/semantics.md §8).
 */
export function modifyInstanceGroups(context: RequestContext, instanceId: string | undefined, groupIds: readonly string[]): WriteOperation<void> {
  return (tx) => {
    if (instanceId === undefined) throw missingParameter('InstanceId');
    const instance = ownInstance(tx.view, context, instanceId);
    if (groupIds.length === 0) throw missingParameter('GroupId');
    // UNCONFIRMED message (spec/api.md §5.14): Classic membership is fixed at launch.
    if (instance.vpcId === undefined) throw invalidParameterValue('The security groups of an EC2-Classic instance cannot be changed after launch');
    if (instance.state === 'terminated') throw instanceNotModifiable(instanceId);
    const unique = [...new Set(groupIds)];
    for (const id of unique) {
      if (!isResourceId('sg', id)) throw groupIdMalformed(id);
      const group = tx.view.groups.get(id);
      // A group of another VPC is "not found" there (UNCONFIRMED, spec/api.md §5.14).
      if (group === undefined || group.ownerId !== instance.ownerId || group.vpcId !== instance.vpcId) throw groupNotFoundInVpc(id, instance.vpcId);
    }
    if (unique.length > context.quotas.groupsPerInterface) throw securityGroupsPerInterfaceLimitExceeded();
    tx.emit(instance.ownerId, instance.region, { kind: 'InstanceGroupsChanged', instanceId, groupIds: unique });
  };
}
