import { availabilityZonesOf, findAvailabilityZone, type AvailabilityZone } from '../domain/availability-zone.js';
import { unknownAvailabilityZone } from '../domain/ec2-errors.js';
import { compileFilters, type Filter } from './filters.js';
import type { RequestContext } from './request-context.js';

/**
 * DescribeAvailabilityZones (issue 13): the caller's region's zones (domain/availability-zone.ts,
 * the zones subnets and launches use), by name, by zone ID or all, with EC2's filters. Every zone
 * is `available` and needs no opt-in, so `AllAvailabilityZones` changes nothing. A name or ID that
 * is not one of the region's → InvalidParameterValue (wording UNCONFIRMED).
 */
export function describeAvailabilityZones(
  context: RequestContext,
  request: { readonly zoneNames: readonly string[]; readonly zoneIds: readonly string[]; readonly filters: readonly Filter[] },
): readonly AvailabilityZone[] {
  let zones = availabilityZonesOf(context.region);
  const asked = [...request.zoneNames, ...request.zoneIds];
  if (asked.length > 0) {
    for (const nameOrId of asked) if (findAvailabilityZone(context.region, nameOrId) === undefined) throw unknownAvailabilityZone(nameOrId);
    zones = zones.filter((z) => request.zoneNames.includes(z.zoneName) || request.zoneIds.includes(z.zoneId));
  }
  const matches = compileFilters<AvailabilityZone>(
    request.filters,
    {
      'zone-name': (z) => [z.zoneName],
      'zone-id': (z) => [z.zoneId],
      'region-name': (z) => [z.regionName],
      'group-name': (z) => [z.groupName],
      'group-long-name': (z) => [z.groupName],
      'network-border-group': (z) => [z.regionName],
      'opt-in-status': () => ['opt-in-not-required'],
      state: () => ['available'],
      'zone-state': () => ['available'],
      'zone-type': () => ['availability-zone'],
      'message': () => [],
    },
    undefined,
  );
  return zones.filter(matches);
}
