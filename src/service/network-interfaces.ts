import { invalidParameterCombination, networkInterfaceIdMalformed, networkInterfaceNotFound } from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import {
  holdsGroups,
  primaryAttachmentId,
  primaryMacAddress,
  primaryNetworkInterfaceId,
  privateDnsName,
  type Instance,
} from '../domain/instance.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/**
 * The network interfaces Stockade has: the primary interface of each VPC instance, which carries
 * the instance's security groups. EC2 deletes it with its instance (DeleteOnTermination), so a
 * terminated instance has none. EC2-Classic instances have no network interface.
 */
function interfacesOf(view: ReadView, context: RequestContext): Instance[] {
  return [...view.instances.values()].filter(
    (i) => i.vpcId !== undefined && holdsGroups(i) && i.ownerId === context.account.accountId && i.region === context.region,
  );
}

/**
 * DescribeNetworkInterfaces: not in the spec, served because clients look for the interfaces that
 * use a group before deleting it (Terraform's security-group delete filters by `group-id`, and its
 * subnet delete by `subnet-id`). Read only. Interface IDs cannot be combined with MaxResults, as
 * in DescribeInstances (spec/api.md §5.14; wording UNCONFIRMED).
 */
export function describeNetworkInterfaces(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly networkInterfaceIds: readonly string[]; readonly filters: readonly Filter[] },
): Page<Instance> {
  if (request.networkInterfaceIds.length > 0 && request.maxResults !== undefined)
    throw invalidParameterCombination('The parameter networkInterfaceIdSet cannot be used with the parameter maxResults');
  const all = interfacesOf(view, context);
  let interfaces = all;
  if (request.networkInterfaceIds.length > 0) {
    const byId = new Map(all.map((i) => [primaryNetworkInterfaceId(i), i]));
    interfaces = [...new Set(request.networkInterfaceIds)].map((id) => {
      if (!isResourceId('eni', id)) throw networkInterfaceIdMalformed(id);
      const instance = byId.get(id);
      if (instance === undefined) throw networkInterfaceNotFound(id);
      return instance;
    });
  }
  if (request.filters.length > 0) {
    const groupIds = (i: Instance) => i.groupIds;
    const matches = compileFilters<Instance>(
      request.filters,
      {
        'network-interface-id': (i) => [primaryNetworkInterfaceId(i)],
        'group-id': groupIds,
        'group-name': (i) => i.groupIds.map((g) => view.groups.get(g)?.groupName),
        'vpc-id': (i) => [i.vpcId],
        'subnet-id': (i) => [i.subnetId],
        'availability-zone': (i) => [i.availabilityZone],
        // Primary interfaces made by RunInstances have an empty description.
        description: () => [''],
        'owner-id': (i) => [i.ownerId],
        'private-ip-address': (i) => [i.privateIpAddress],
        'addresses.private-ip-address': (i) => [i.privateIpAddress],
        'ipv6-addresses.ipv6-address': (i) => i.ipv6Addresses ?? [],
        'addresses.primary': () => ['true'],
        'private-dns-name': (i) => [privateDnsName(i)],
        'mac-address': (i) => [primaryMacAddress(i)],
        status: () => ['in-use'],
        'requester-managed': () => ['false'],
        'interface-type': () => ['interface'],
        'source-dest-check': () => ['true'],
        'attachment.instance-id': (i) => [i.instanceId],
        'attachment.instance-owner-id': (i) => [i.ownerId],
        'attachment.attachment-id': (i) => [primaryAttachmentId(i)],
        'attachment.device-index': () => ['0'],
        'attachment.status': () => ['attached'],
        'attachment.delete-on-termination': () => ['true'],
      },
      // Tags given to an instance at launch stay on the instance; its interface has none.
      () => [],
    );
    interfaces = interfaces.filter(matches);
  }
  if (request.networkInterfaceIds.length === 0) interfaces.sort((a, b) => a.ordinal - b.ordinal);
  return paginate(interfaces, request, { f: request.filters, i: request.networkInterfaceIds });
}
