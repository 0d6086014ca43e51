/**
 * The availability zones of a region (botocore `AvailabilityZone`): the one source of the zone names
 * that DescribeAvailabilityZones lists, CreateSubnet accepts and default subnets and launches use
 * (issue 13). Regions AWS has published keep their real zone count and zone-ID prefix; any other
 * region name gets three zones (a–c). Zone IDs map to names one-to-one in zone order here, while in
 * AWS the mapping is shuffled per account (UNCONFIRMED which account sees which ID; Terraform and
 * the SDKs only need the pairing to be stable).
 */
export interface AvailabilityZone {
  readonly zoneName: string;
  readonly zoneId: string;
  readonly regionName: string;
  /** The zone group, which for AWS's ordinary zones is the region's name. */
  readonly groupName: string;
}

// Zone-ID prefixes and zone counts of AWS's regions (AWS's "AZ IDs" documentation).
const KNOWN_REGIONS: Readonly<Record<string, { readonly idPrefix: string; readonly zones: number }>> = {
  'us-east-1': { idPrefix: 'use1', zones: 6 },
  'us-east-2': { idPrefix: 'use2', zones: 3 },
  'us-west-1': { idPrefix: 'usw1', zones: 2 },
  'us-west-2': { idPrefix: 'usw2', zones: 4 },
  'eu-west-1': { idPrefix: 'euw1', zones: 3 },
  'eu-west-2': { idPrefix: 'euw2', zones: 3 },
  'eu-central-1': { idPrefix: 'euc1', zones: 3 },
  'ap-southeast-1': { idPrefix: 'apse1', zones: 3 },
  'ap-southeast-2': { idPrefix: 'apse2', zones: 3 },
  'ap-northeast-1': { idPrefix: 'apne1', zones: 3 },
};

/** Returns the region's zones in name order; the first is where defaults go. */
export function availabilityZonesOf(region: string): readonly AvailabilityZone[] {
  const known = KNOWN_REGIONS[region];
  const count = known?.zones ?? 3;
  const idPrefix = known?.idPrefix ?? region.replace(/[^a-z0-9]/g, '');
  return Array.from({ length: count }, (_, i) => ({
    zoneName: `${region}${String.fromCharCode(97 + i)}`,
    zoneId: `${idPrefix}-az${i + 1}`,
    regionName: region,
    groupName: region,
  }));
}

/** The zone where a resource that names none goes: the region's first. */
export function defaultAvailabilityZone(region: string): AvailabilityZone {
  const [first] = availabilityZonesOf(region);
  if (first === undefined) throw new Error(`no availability zones for ${region}`);
  return first;
}

/** Returns the region's zone with this name or zone ID, if any. */
export function findAvailabilityZone(region: string, nameOrId: string): AvailabilityZone | undefined {
  return availabilityZonesOf(region).find((z) => z.zoneName === nameOrId || z.zoneId === nameOrId);
}
