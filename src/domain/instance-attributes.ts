import { invalidCpuCredits, invalidParameterValueFor, invalidShutdownBehavior } from './ec2-errors.js';
import type { Instance } from './instance.js';
import type { Tag } from './tag.js';

/** The instance metadata service's options (botocore `InstanceMetadataOptionsResponse`). */
export interface InstanceMetadataOptions {
  readonly httpTokens: 'optional' | 'required';
  readonly httpPutResponseHopLimit: number;
  readonly httpEndpoint: 'enabled' | 'disabled';
  readonly httpProtocolIpv6: 'enabled' | 'disabled';
  readonly instanceMetadataTags: 'enabled' | 'disabled';
}

/**
 * What RunInstances stores of an instance beyond placement and groups (issue 13), reported back by
 * DescribeInstances and DescribeInstanceAttribute and changed by ModifyInstanceAttribute. None of it
 * changes what the instance may send or receive.
 */
export interface InstanceAttributes {
  /** TerminateInstances refuses the instance while set (OperationNotPermitted). */
  readonly disableApiTermination: boolean;
  readonly disableApiStop: boolean;
  readonly instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  readonly ebsOptimized: boolean;
  /** Base64, as given; absent when the launch gave none. */
  readonly userData?: string;
  readonly keyName?: string;
  /** Detailed monitoring (`Monitoring.Enabled`). */
  readonly monitoring: boolean;
  readonly hibernationConfigured: boolean;
  /** For burstable types only (instance-type.ts): `standard` or `unlimited`. */
  readonly cpuCredits?: 'standard' | 'unlimited';
  readonly metadataOptions: InstanceMetadataOptions;
  readonly tenancy: 'default' | 'dedicated' | 'host';
  readonly placementGroupName?: string;
  readonly sourceDestCheck: boolean;
  /** Tags of the launch's `volume` TagSpecification, kept for the root volume (not modelled yet). */
  readonly volumeTags: readonly Tag[];
  /** Tags of the launch's `network-interface` TagSpecification: the primary interface's. */
  readonly networkInterfaceTags: readonly Tag[];
}

/** Every attribute DescribeInstanceAttribute answers: botocore's `InstanceAttributeName`. */
export const INSTANCE_ATTRIBUTE_NAMES = [
  'instanceType',
  'kernel',
  'ramdisk',
  'userData',
  'disableApiTermination',
  'instanceInitiatedShutdownBehavior',
  'rootDeviceName',
  'blockDeviceMapping',
  'productCodes',
  'sourceDestCheck',
  'groupSet',
  'ebsOptimized',
  'sriovNetSupport',
  'enaSupport',
  'enclaveOptions',
  'disableApiStop',
] as const;
export type InstanceAttributeName = (typeof INSTANCE_ATTRIBUTE_NAMES)[number];

/** EC2's defaults for a launch that sets nothing (RunInstances' documented defaults). */
export const DEFAULT_METADATA_OPTIONS: InstanceMetadataOptions = {
  httpTokens: 'optional',
  httpPutResponseHopLimit: 1,
  httpEndpoint: 'enabled',
  httpProtocolIpv6: 'disabled',
  instanceMetadataTags: 'disabled',
};

export const DEFAULT_INSTANCE_ATTRIBUTES: InstanceAttributes = {
  disableApiTermination: false,
  disableApiStop: false,
  instanceInitiatedShutdownBehavior: 'stop',
  ebsOptimized: false,
  monitoring: false,
  hibernationConfigured: false,
  metadataOptions: DEFAULT_METADATA_OPTIONS,
  tenancy: 'default',
  sourceDestCheck: true,
  volumeTags: [],
  networkInterfaceTags: [],
};

/** The instance's attributes; instances stored before issue 13 have EC2's defaults. */
export function attributesOf(instance: Instance): InstanceAttributes {
  return instance.attributes ?? DEFAULT_INSTANCE_ATTRIBUTES;
}

/** What a launch asks for beyond placement and groups, as the caller gave it (all optional). */
export interface LaunchAttributesRequest {
  readonly disableApiTermination?: boolean;
  readonly disableApiStop?: boolean;
  readonly instanceInitiatedShutdownBehavior?: string;
  readonly ebsOptimized?: boolean;
  readonly userData?: string;
  readonly keyName?: string;
  readonly monitoring?: boolean;
  readonly hibernationConfigured?: boolean;
  readonly cpuCredits?: string;
  readonly metadataOptions?: {
    readonly httpTokens?: string;
    readonly httpPutResponseHopLimit?: number;
    readonly httpEndpoint?: string;
    readonly httpProtocolIpv6?: string;
    readonly instanceMetadataTags?: string;
  };
  readonly tenancy?: string;
  readonly placementGroupName?: string;
}

/**
 * Checks a launch's attributes and returns what the instance stores, EC2's defaults filling what the
 * launch left out. `burstableCredits` is the instance type's default credit option, undefined for
 * types that earn no credits (whose CreditSpecification is ignored, UNCONFIRMED: EC2 may refuse it).
 * Throws InvalidParameterValue for values outside EC2's enumerations (botocore model).
 */
export function launchAttributesOf(
  request: LaunchAttributesRequest,
  burstableCredits: 'standard' | 'unlimited' | undefined,
  tags: { readonly volumeTags: readonly Tag[]; readonly networkInterfaceTags: readonly Tag[] },
): InstanceAttributes {
  const d = DEFAULT_INSTANCE_ATTRIBUTES;
  const m = request.metadataOptions ?? {};
  const metadataOptions: InstanceMetadataOptions = {
    httpTokens: oneOf('HttpTokens', m.httpTokens, ['optional', 'required'], d.metadataOptions.httpTokens),
    httpPutResponseHopLimit: hopLimit(m.httpPutResponseHopLimit),
    httpEndpoint: oneOf('HttpEndpoint', m.httpEndpoint, ['enabled', 'disabled'], d.metadataOptions.httpEndpoint),
    httpProtocolIpv6: oneOf('HttpProtocolIpv6', m.httpProtocolIpv6, ['enabled', 'disabled'], d.metadataOptions.httpProtocolIpv6),
    instanceMetadataTags: oneOf('InstanceMetadataTags', m.instanceMetadataTags, ['enabled', 'disabled'], d.metadataOptions.instanceMetadataTags),
  };
  const cpuCredits =
    burstableCredits === undefined
      ? undefined
      : request.cpuCredits === undefined
        ? burstableCredits
        : checkedCpuCredits(request.cpuCredits);
  return {
    disableApiTermination: request.disableApiTermination ?? d.disableApiTermination,
    disableApiStop: request.disableApiStop ?? d.disableApiStop,
    instanceInitiatedShutdownBehavior: checkedShutdownBehavior(request.instanceInitiatedShutdownBehavior ?? d.instanceInitiatedShutdownBehavior),
    ebsOptimized: request.ebsOptimized ?? d.ebsOptimized,
    ...(request.userData === undefined || request.userData === '' ? {} : { userData: request.userData }),
    ...(request.keyName === undefined ? {} : { keyName: request.keyName }),
    monitoring: request.monitoring ?? d.monitoring,
    hibernationConfigured: request.hibernationConfigured ?? d.hibernationConfigured,
    ...(cpuCredits === undefined ? {} : { cpuCredits }),
    metadataOptions,
    tenancy: oneOf('tenancy', request.tenancy, ['default', 'dedicated', 'host'], d.tenancy),
    ...(request.placementGroupName === undefined || request.placementGroupName === '' ? {} : { placementGroupName: request.placementGroupName }),
    sourceDestCheck: d.sourceDestCheck,
    volumeTags: tags.volumeTags,
    networkInterfaceTags: tags.networkInterfaceTags,
  };
}

/** `stop` or `terminate`; anything else → InvalidParameterValue. */
export function checkedShutdownBehavior(value: string): 'stop' | 'terminate' {
  if (value === 'stop' || value === 'terminate') return value;
  throw invalidShutdownBehavior(value);
}

/** `standard` or `unlimited`; anything else → InvalidParameterValue. */
export function checkedCpuCredits(value: string): 'standard' | 'unlimited' {
  if (value === 'standard' || value === 'unlimited') return value;
  throw invalidCpuCredits(value);
}

function oneOf<T extends string>(parameter: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw invalidParameterValueFor(parameter, value, `Valid values are ${allowed.join(', ')}.`);
  return found;
}

// 1–64 hops (botocore `InstanceMetadataOptionsRequest`).
function hopLimit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_METADATA_OPTIONS.httpPutResponseHopLimit;
  if (value < 1 || value > 64) throw invalidParameterValueFor('HttpPutResponseHopLimit', String(value), 'Expected a value between 1 and 64.');
  return value;
}
