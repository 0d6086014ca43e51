/**
 * The built-in catalogue of instance types (botocore `InstanceTypeInfo`), kept to the common
 * families and to the fields providers read (issue 13): Terraform's aws_instance asks
 * DescribeInstanceTypes whether the type is burstable before it reads the credit specification.
 * Figures are AWS's published ones for each size; RunInstances refuses a type outside the catalogue.
 */
export interface InstanceTypeInfo {
  readonly instanceType: string;
  readonly currentGeneration: boolean;
  readonly freeTierEligible: boolean;
  readonly defaultVCpus: number;
  readonly defaultCores: number;
  readonly defaultThreadsPerCore: number;
  readonly memoryMiB: number;
  readonly architectures: readonly ('i386' | 'x86_64' | 'arm64')[];
  readonly sustainedClockSpeedGhz: number;
  readonly hypervisor: 'xen' | 'nitro';
  /** T2, T3, T3a and T4g earn CPU credits (DescribeInstanceCreditSpecifications answers for them). */
  readonly burstablePerformanceSupported: boolean;
  /** The credit option an instance of the type gets when RunInstances names none. */
  readonly defaultCpuCredits?: 'standard' | 'unlimited';
  readonly hibernationSupported: boolean;
  readonly ebsOptimizedSupport: 'unsupported' | 'supported' | 'default';
  readonly networkPerformance: string;
  readonly maximumNetworkInterfaces: number;
  readonly ipv4AddressesPerInterface: number;
  readonly ipv6AddressesPerInterface: number;
}

type Size = readonly [size: string, vcpus: number, memoryMiB: number, interfaces: number, addresses: number, network: string];

const BURSTABLE_SIZES: readonly Size[] = [
  ['nano', 2, 512, 2, 2, 'Up to 5 Gigabit'],
  ['micro', 2, 1024, 2, 2, 'Up to 5 Gigabit'],
  ['small', 2, 2048, 3, 4, 'Up to 5 Gigabit'],
  ['medium', 2, 4096, 3, 6, 'Up to 5 Gigabit'],
  ['large', 2, 8192, 3, 12, 'Up to 5 Gigabit'],
  ['xlarge', 4, 16384, 4, 15, 'Up to 5 Gigabit'],
  ['2xlarge', 8, 32768, 4, 15, 'Up to 5 Gigabit'],
];
// T2 has one vCPU up to small, and the older network wording.
const T2_SIZES: readonly Size[] = BURSTABLE_SIZES.map(([size, vcpus, memory, , addresses]) => [
  size,
  ['nano', 'micro', 'small'].includes(size) ? 1 : vcpus,
  memory,
  size === 'nano' || size === 'micro' ? 2 : 3,
  addresses,
  ['nano', 'micro', 'small', 'medium'].includes(size) ? 'Low to Moderate' : 'Moderate',
]);
const GENERAL_SIZES = (memoryPerVCpuMiB: number): readonly Size[] => [
  ['large', 2, 2 * memoryPerVCpuMiB, 3, 10, 'Up to 10 Gigabit'],
  ['xlarge', 4, 4 * memoryPerVCpuMiB, 4, 15, 'Up to 10 Gigabit'],
  ['2xlarge', 8, 8 * memoryPerVCpuMiB, 4, 15, 'Up to 10 Gigabit'],
  ['4xlarge', 16, 16 * memoryPerVCpuMiB, 8, 30, 'Up to 10 Gigabit'],
];

interface Family {
  readonly family: string;
  readonly sizes: readonly Size[];
  readonly arm: boolean;
  readonly clockGhz: number;
  readonly hypervisor: 'xen' | 'nitro';
  readonly defaultCpuCredits?: 'standard' | 'unlimited';
  readonly hibernationSupported: boolean;
}

const FAMILIES: readonly Family[] = [
  { family: 't2', sizes: T2_SIZES, arm: false, clockGhz: 2.3, hypervisor: 'xen', defaultCpuCredits: 'standard', hibernationSupported: true },
  { family: 't3', sizes: BURSTABLE_SIZES, arm: false, clockGhz: 2.5, hypervisor: 'nitro', defaultCpuCredits: 'unlimited', hibernationSupported: true },
  { family: 't3a', sizes: BURSTABLE_SIZES, arm: false, clockGhz: 2.2, hypervisor: 'nitro', defaultCpuCredits: 'unlimited', hibernationSupported: true },
  { family: 't4g', sizes: BURSTABLE_SIZES, arm: true, clockGhz: 2.5, hypervisor: 'nitro', defaultCpuCredits: 'unlimited', hibernationSupported: false },
  { family: 'm5', sizes: GENERAL_SIZES(4096), arm: false, clockGhz: 3.1, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'm6i', sizes: GENERAL_SIZES(4096), arm: false, clockGhz: 3.5, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'm7g', sizes: GENERAL_SIZES(4096), arm: true, clockGhz: 2.6, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'c5', sizes: GENERAL_SIZES(2048), arm: false, clockGhz: 3.4, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'c6i', sizes: GENERAL_SIZES(2048), arm: false, clockGhz: 3.5, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'r5', sizes: GENERAL_SIZES(8192), arm: false, clockGhz: 3.1, hypervisor: 'nitro', hibernationSupported: true },
  { family: 'r6i', sizes: GENERAL_SIZES(8192), arm: false, clockGhz: 3.5, hypervisor: 'nitro', hibernationSupported: true },
];

// The previous-generation types the 2013 tools and Classic launches use (m1.small is their default).
const PREVIOUS_GENERATION: readonly InstanceTypeInfo[] = [
  previous('t1.micro', 1, 627, 2, 2, 'Very Low'),
  previous('m1.small', 1, 1740, 2, 4, 'Low'),
  previous('m1.medium', 1, 3840, 2, 6, 'Moderate'),
  previous('m3.medium', 1, 3840, 2, 6, 'Moderate'),
];

function previous(instanceType: string, vcpus: number, memoryMiB: number, interfaces: number, addresses: number, network: string): InstanceTypeInfo {
  return {
    instanceType,
    currentGeneration: false,
    freeTierEligible: false,
    defaultVCpus: vcpus,
    defaultCores: vcpus,
    defaultThreadsPerCore: 1,
    memoryMiB,
    architectures: ['i386', 'x86_64'],
    sustainedClockSpeedGhz: 2.0,
    hypervisor: 'xen',
    burstablePerformanceSupported: false,
    hibernationSupported: false,
    ebsOptimizedSupport: 'unsupported',
    networkPerformance: network,
    maximumNetworkInterfaces: interfaces,
    ipv4AddressesPerInterface: addresses,
    ipv6AddressesPerInterface: 0,
  };
}

function fromFamily(f: Family, [size, vcpus, memoryMiB, interfaces, addresses, network]: Size): InstanceTypeInfo {
  const instanceType = `${f.family}.${size}`;
  // Graviton has one thread per core; T2 too; the others two (one core below two vCPUs).
  const threads = f.arm || f.family === 't2' ? 1 : 2;
  return {
    instanceType,
    currentGeneration: true,
    // t2.micro, and t3.micro where T2 is not offered (AWS free tier; UNCONFIRMED per region).
    freeTierEligible: instanceType === 't2.micro' || instanceType === 't3.micro',
    defaultVCpus: vcpus,
    defaultCores: Math.max(1, vcpus / threads),
    defaultThreadsPerCore: threads,
    memoryMiB,
    architectures: f.arm ? ['arm64'] : f.family === 't2' ? ['i386', 'x86_64'] : ['x86_64'],
    sustainedClockSpeedGhz: f.clockGhz,
    hypervisor: f.hypervisor,
    burstablePerformanceSupported: f.defaultCpuCredits !== undefined,
    ...(f.defaultCpuCredits === undefined ? {} : { defaultCpuCredits: f.defaultCpuCredits }),
    hibernationSupported: f.hibernationSupported,
    ebsOptimizedSupport: f.family === 't2' ? 'unsupported' : 'default',
    networkPerformance: network,
    maximumNetworkInterfaces: interfaces,
    ipv4AddressesPerInterface: addresses,
    ipv6AddressesPerInterface: addresses,
  };
}

/** Every type of the catalogue, in family then size order. */
export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = [...FAMILIES.flatMap((f) => f.sizes.map((s) => fromFamily(f, s))), ...PREVIOUS_GENERATION];

const BY_NAME: ReadonlyMap<string, InstanceTypeInfo> = new Map(INSTANCE_TYPES.map((t) => [t.instanceType, t]));

/** Returns the catalogue's entry for this type name, if any. */
export function findInstanceType(instanceType: string): InstanceTypeInfo | undefined {
  return BY_NAME.get(instanceType);
}
