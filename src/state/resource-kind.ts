import type { AccessKey, Account, RegionState } from '../domain/account.js';
import type { Ec2Error } from '../domain/ec2-error.js';
import { groupIdNotFound, instanceNotFound, networkAclNotFound, prefixListNotFound, routeTableNotFound, ruleIdNotFound, subnetNotFound, vpcNotFound } from '../domain/ec2-errors.js';
import type { Host } from '../domain/host.js';
import type { ResourcePrefix } from '../domain/ids.js';
import type { Instance } from '../domain/instance.js';
import { isTombstone, type ManagedPrefixList } from '../domain/prefix-list.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import type { SecurityGroup } from '../domain/security-group.js';
import type { Subnet } from '../domain/subnet.js';
import type { Tag } from '../domain/tag.js';
import type { NetworkAclTags, RouteTableTags } from '../domain/vpc-defaults.js';
import type { Vpc } from '../domain/vpc.js';
import { ruleFromStored, storedRule } from './stored-rule.js';
import type { DocumentKind } from './document-kind.js';
import type { View } from './view.js';

/** The document of each kind, as the view holds it and the store keeps it (as JSON). */
export type DocumentOf<K extends DocumentKind> = {
  account: Account;
  accessKey: AccessKey;
  region: RegionState;
  vpc: Vpc;
  routeTable: RouteTableTags;
  networkAcl: NetworkAclTags;
  subnet: Subnet;
  prefixList: ManagedPrefixList;
  group: SecurityGroup;
  rule: SecurityGroupRule;
  instance: Instance;
  host: Host;
}[K];

/** Resource types as DescribeTags names them (botocore `ResourceType`; spec/api.md §5.12). */
export type TaggedResourceType = 'security-group' | 'security-group-rule' | 'vpc' | 'subnet' | 'instance' | 'prefix-list' | 'route-table' | 'network-acl';

/** How CreateTags, DeleteTags and DescribeTags see one kind of resource (spec/api.md §5.12). */
export interface Tagging<T> {
  /** The kind's name in DescribeTags' `resourceType` and its `resource-type` filter. */
  readonly resourceType: TaggedResourceType;
  /** The error for an ID of this kind that is unknown, or not the caller's in the region. */
  readonly notFound: (resourceId: string) => Ec2Error;
  readonly resourceId: (document: T) => string;
  /** The account that owns the resource. */
  readonly ownerId: (document: T) => string;
  readonly region: (document: T) => string;
  readonly tags: (document: T) => readonly Tag[];
  /** The same resource with these tags instead of its own. */
  readonly withTags: (document: T, tags: readonly Tag[]) => T;
  /** False for a document that stands for no resource (a deleted prefix list's tombstone); default true. */
  readonly exists?: (document: T) => boolean;
}

/** A taggable resource as the tag actions see it, whatever its kind. */
export interface TaggedResource {
  readonly resourceId: string;
  readonly resourceType: TaggedResourceType;
  readonly ownerId: string;
  readonly region: string;
  readonly tags: readonly Tag[];
}

/** Everything the view and the tag actions must know about one kind of stored document. */
export interface ResourceKind<T> {
  /** The view's documents of this kind, keyed by document ID (the resource ID where there is one). */
  readonly documents: (view: View) => Map<string, T>;
  /** Puts a document into the view, with its indexes, and marks it for the store. */
  readonly put: (view: View, document: T) => void;
  /** Puts a document read from the store at start-up, when that can be done faster than `put`. */
  readonly load?: (view: View, document: T) => void;
  /** The prefix of its IDs (`i` for `i-…`); undefined for kinds whose IDs are not EC2 resource IDs. */
  readonly idPrefix: ResourcePrefix | undefined;
  /** How tag actions see it; undefined for kinds that carry no tags. */
  readonly tagging: Tagging<T> | undefined;
  /** The form the store keeps, when it is not the document itself (rules: stored-rule.ts). */
  readonly stored?: StoredForm<T>;
}

/** A document's stored form and back; `fromStored` also reads every form stored before. */
export interface StoredForm<T> {
  readonly toStored: (document: T) => unknown;
  readonly fromStored: (body: unknown) => T;
}

/**
 * The one table of resource kinds. A new document kind does not compile until it has an entry here,
 * and every place that must know a kind (the view's maps, loading, the store's documents, the
 * collision check of new IDs, the tag actions) reads this table.
 */
export const RESOURCE_KINDS: { readonly [K in DocumentKind]: ResourceKind<DocumentOf<K>> } = {
  account: {
    documents: (view) => view.accounts,
    put: (view, account) => view.putAccount(account),
    idPrefix: undefined,
    tagging: undefined,
  },
  accessKey: {
    documents: (view) => view.accessKeys,
    put: (view, accessKey) => view.putAccessKey(accessKey),
    idPrefix: undefined,
    tagging: undefined,
  },
  region: {
    documents: (view) => view.regions,
    put: (view, regionState) => view.putRegionState(regionState),
    idPrefix: undefined,
    tagging: undefined,
  },
  vpc: {
    documents: (view) => view.vpcs,
    put: (view, vpc) => view.putVpc(vpc),
    idPrefix: 'vpc',
    tagging: {
      resourceType: 'vpc',
      notFound: vpcNotFound,
      resourceId: (vpc) => vpc.vpcId,
      ownerId: (vpc) => vpc.ownerId,
      region: (vpc) => vpc.region,
      tags: (vpc) => vpc.tags,
      withTags: (vpc, tags) => ({ ...vpc, tags }),
    },
  },
  // A VPC's main route table and default network ACL: derived (domain/vpc-defaults.ts) but for
  // their tags, which these documents hold (issue 13).
  routeTable: {
    documents: (view) => view.routeTables,
    put: (view, table) => view.putRouteTable(table),
    idPrefix: 'rtb',
    tagging: {
      resourceType: 'route-table',
      notFound: routeTableNotFound,
      resourceId: (table) => table.routeTableId,
      ownerId: (table) => table.ownerId,
      region: (table) => table.region,
      tags: (table) => table.tags,
      withTags: (table, tags) => ({ ...table, tags }),
    },
  },
  networkAcl: {
    documents: (view) => view.networkAcls,
    put: (view, acl) => view.putNetworkAcl(acl),
    idPrefix: 'acl',
    tagging: {
      resourceType: 'network-acl',
      notFound: networkAclNotFound,
      resourceId: (acl) => acl.networkAclId,
      ownerId: (acl) => acl.ownerId,
      region: (acl) => acl.region,
      tags: (acl) => acl.tags,
      withTags: (acl, tags) => ({ ...acl, tags }),
    },
  },
  subnet: {
    documents: (view) => view.subnets,
    put: (view, subnet) => view.putSubnet(subnet),
    idPrefix: 'subnet',
    tagging: {
      resourceType: 'subnet',
      notFound: subnetNotFound,
      resourceId: (subnet) => subnet.subnetId,
      ownerId: (subnet) => subnet.ownerId,
      region: (subnet) => subnet.region,
      tags: (subnet) => subnet.tags,
      withTags: (subnet, tags) => ({ ...subnet, tags }),
    },
  },
  prefixList: {
    // Also holds the AWS-managed lists, which are derived per region and never stored.
    documents: (view) => view.prefixLists,
    put: (view, list) => view.putPrefixList(list),
    idPrefix: 'pl',
    tagging: {
      resourceType: 'prefix-list',
      notFound: prefixListNotFound,
      resourceId: (list) => list.prefixListId,
      // `AWS` for AWS-managed lists, so no caller can tag them.
      ownerId: (list) => list.ownerId,
      region: (list) => list.region,
      tags: (list) => list.tags,
      withTags: (list, tags) => ({ ...list, tags }),
      exists: (list) => !isTombstone(list),
    },
  },
  group: {
    documents: (view) => view.groups,
    put: (view, group) => view.putGroup(group),
    idPrefix: 'sg',
    tagging: {
      resourceType: 'security-group',
      notFound: groupIdNotFound,
      resourceId: (group) => group.groupId,
      ownerId: (group) => group.ownerId,
      region: (group) => group.region,
      tags: (group) => group.tags,
      withTags: (group, tags) => ({ ...group, tags }),
    },
  },
  rule: {
    documents: (view) => view.rules,
    put: (view, rule) => view.putRule(rule),
    load: (view, rule) => view.loadRule(rule),
    idPrefix: 'sgr',
    stored: { toStored: storedRule, fromStored: ruleFromStored },
    tagging: {
      resourceType: 'security-group-rule',
      notFound: ruleIdNotFound,
      resourceId: (rule) => rule.ruleId,
      // A rule belongs to the owner of its group.
      ownerId: (rule) => rule.groupOwnerId,
      region: (rule) => rule.region,
      tags: (rule) => rule.tags,
      withTags: (rule, tags) => ({ ...rule, tags }),
    },
  },
  instance: {
    documents: (view) => view.instances,
    put: (view, instance) => view.putInstance(instance),
    idPrefix: 'i',
    // Terminated instances too: DescribeInstances keeps showing them, with their tags.
    tagging: {
      resourceType: 'instance',
      notFound: instanceNotFound,
      resourceId: (instance) => instance.instanceId,
      ownerId: (instance) => instance.ownerId,
      region: (instance) => instance.region,
      tags: (instance) => instance.tags,
      withTags: (instance, tags) => ({ ...instance, tags }),
    },
  },
  host: {
    documents: (view) => view.hosts,
    put: (view, host) => view.putHost(host),
    idPrefix: undefined,
    tagging: undefined,
  },
};

const KIND_BY_PREFIX: ReadonlyMap<string, DocumentKind> = new Map(
  Object.entries(RESOURCE_KINDS).flatMap(([kind, { idPrefix }]) =>
    idPrefix === undefined || !isDocumentKind(kind) ? [] : [[idPrefix, kind] as const],
  ),
);

function isDocumentKind(name: string): name is DocumentKind {
  return Object.hasOwn(RESOURCE_KINDS, name);
}

/**
 * Returns the kind whose IDs carry this ID's prefix (`sgr` for `sgr-…`), or undefined when no kind
 * does. It says nothing about whether such a resource exists.
 */
export function kindOfResourceId(resourceId: string): DocumentKind | undefined {
  const dash = resourceId.indexOf('-');
  return dash < 0 ? undefined : KIND_BY_PREFIX.get(resourceId.slice(0, dash));
}

/**
 * Returns a document as the tag actions see it, or undefined when its kind carries no tags or it
 * stands for no resource (`Tagging.exists`).
 */
export function taggedResourceOf<K extends DocumentKind>(kind: K, document: DocumentOf<K>): TaggedResource | undefined {
  const { tagging } = RESOURCE_KINDS[kind];
  if (tagging === undefined || tagging.exists?.(document) === false) return undefined;
  return {
    resourceId: tagging.resourceId(document),
    resourceType: tagging.resourceType,
    ownerId: tagging.ownerId(document),
    region: tagging.region(document),
    tags: tagging.tags(document),
  };
}

/**
 * Puts the document back with these tags (applying a TagsSet record). Does nothing when the view
 * holds no such document or its kind carries no tags.
 */
export function putTags<K extends DocumentKind>(view: View, kind: K, id: string, tags: readonly Tag[]): void {
  const { documents, put, tagging } = RESOURCE_KINDS[kind];
  const document = documents(view).get(id);
  if (document !== undefined && tagging !== undefined) put(view, tagging.withTags(document, tags));
}
