import type { Tag } from '../../domain/tag.js';
import type { Filter } from '../../service/filters.js';
import type { TagSpecification } from '../../service/permission-rules.js';
import { boolean, integer, list, string, struct, type Decoded } from '../query-shape.js';

/** `IpPermissions.N.*` (spec/api.md §3.1). Peering fields exist in the model: accepted, ignored. */
export const ipPermissionShape = struct({
  IpProtocol: string,
  FromPort: integer,
  ToPort: integer,
  Groups: list(
    struct({
      GroupId: string,
      GroupName: string,
      UserId: string,
      Description: string,
      VpcId: string,
      VpcPeeringConnectionId: string,
      PeeringStatus: string,
    }),
  ),
  IpRanges: list(struct({ CidrIp: string, Description: string })),
  Ipv6Ranges: list(struct({ CidrIpv6: string, Description: string })),
  PrefixListIds: list(struct({ PrefixListId: string, Description: string })),
});

/** `Filter.N.Name` / `Filter.N.Value.M`. */
export const filterShape = struct({ Name: string, Value: list(string) });

/** `Tag.N.Key` / `Tag.N.Value`. */
export const tagShape = struct({ Key: string, Value: string });

/** `TagSpecification.N.ResourceType` / `.Tag.M` (spec/api.md §3.5). */
export const tagSpecificationShape = struct({ ResourceType: string, Tag: list(tagShape) });

/** Members every EC2 action has. */
export const common = { DryRun: boolean };

/** Members of paginated Describe actions. */
export const paging = { MaxResults: integer, NextToken: string };

export function filtersFromWire(filters: readonly Decoded<typeof filterShape>[]): Filter[] {
  return filters.map((f) => ({ name: f.name ?? '', values: f.value }));
}

export function tagsFromWire(tags: readonly Decoded<typeof tagShape>[]): Tag[] {
  return tags.map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
}

export function tagSpecificationsFromWire(specs: readonly Decoded<typeof tagSpecificationShape>[]): TagSpecification[] {
  return specs.map((s) => ({ ...(s.resourceType === undefined ? {} : { resourceType: s.resourceType }), tags: tagsFromWire(s.tag) }));
}


/** `MaxResults`/`NextToken` as the service's page request. */
export function pageFromWire(input: { readonly maxResults?: number; readonly nextToken?: string }) {
  return {
    ...(input.maxResults === undefined ? {} : { maxResults: input.maxResults }),
    ...(input.nextToken === undefined ? {} : { nextToken: input.nextToken }),
  };
}
