import { instanceTypesNotFound } from '../domain/ec2-errors.js';
import { findInstanceType, INSTANCE_TYPES, type InstanceTypeInfo } from '../domain/instance-type.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';

/**
 * DescribeInstanceTypes (issue 13): the built-in catalogue (domain/instance-type.ts), by name or
 * all, with EC2's filters on the fields it holds. Unknown names → InvalidInstanceType naming them
 * all. Pages of 5–100 (botocore `DITMaxResults`).
 */
export function describeInstanceTypes(request: PageRequest & { readonly instanceTypes: readonly string[]; readonly filters: readonly Filter[] }): Page<InstanceTypeInfo> {
  let types: readonly InstanceTypeInfo[] = INSTANCE_TYPES;
  if (request.instanceTypes.length > 0) {
    const unknown = request.instanceTypes.filter((t) => findInstanceType(t) === undefined);
    if (unknown.length > 0) throw instanceTypesNotFound(unknown);
    const asked = new Set(request.instanceTypes);
    types = INSTANCE_TYPES.filter((t) => asked.has(t.instanceType));
  }
  const matches = compileFilters<InstanceTypeInfo>(
    request.filters,
    {
      'instance-type': (t) => [t.instanceType],
      'current-generation': (t) => [String(t.currentGeneration)],
      'free-tier-eligible': (t) => [String(t.freeTierEligible)],
      'burstable-performance-supported': (t) => [String(t.burstablePerformanceSupported)],
      'hibernation-supported': (t) => [String(t.hibernationSupported)],
      hypervisor: (t) => [t.hypervisor],
      'processor-info.supported-architecture': (t) => t.architectures,
      'vcpu-info.default-vcpus': (t) => [String(t.defaultVCpus)],
      'vcpu-info.default-cores': (t) => [String(t.defaultCores)],
      'vcpu-info.default-threads-per-core': (t) => [String(t.defaultThreadsPerCore)],
      'memory-info.size-in-mib': (t) => [String(t.memoryMiB)],
      'ebs-info.ebs-optimized-support': (t) => [t.ebsOptimizedSupport],
      'network-info.network-performance': (t) => [t.networkPerformance],
      'network-info.maximum-network-interfaces': (t) => [String(t.maximumNetworkInterfaces)],
      'network-info.ipv4-addresses-per-interface': (t) => [String(t.ipv4AddressesPerInterface)],
      'network-info.ipv6-supported': (t) => [String(t.ipv6AddressesPerInterface > 0)],
      'supported-usage-class': () => ['on-demand', 'spot'],
      'supported-root-device-type': () => ['ebs'],
      'supported-virtualization-type': () => ['hvm'],
    },
    undefined,
  );
  return paginate(types.filter(matches), request, { f: request.filters, i: request.instanceTypes }, { min: 5, max: 100 });
}
