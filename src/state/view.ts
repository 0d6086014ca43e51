import type { AccessKey, Account, RegionState } from '../domain/account.js';
import type { Host } from '../domain/host.js';
import { heldGroupsOf, holdsGroups, type Instance } from '../domain/instance.js';
import type { Subnet } from '../domain/subnet.js';
import { awsManagedPrefixLists, isTombstone, type ManagedPrefixList } from '../domain/prefix-list.js';
import { ruleIdentityKey } from '../domain/rule-identity.js';
import type { SecurityGroupRule } from '../domain/rule.js';
import type { SecurityGroup } from '../domain/security-group.js';
import type { Tag } from '../domain/tag.js';
import { defaultNetworkAclIdOf, mainRouteTableIdOf, type NetworkAclTags, type RouteTableTags } from '../domain/vpc-defaults.js';
import type { Vpc } from '../domain/vpc.js';
import type { Change, ChangeKind, ChangeRecord } from './change-record.js';
import { policyImpact, type PolicyImpact } from '../dataplane/policy-impact.js';
import { unreachable } from '../domain/unreachable.js';
import { RuleIdentityIndex } from './rule-identity-index.js';
import { DOCUMENT_KINDS, type DocumentKind } from './document-kind.js';
import { kindOfResourceId, putTags, RESOURCE_KINDS, taggedResourceOf, type DocumentOf, type ResourceKind, type StoredForm, type TaggedResource } from './resource-kind.js';

/** Key of a group name within its scope; names are unique case-insensitively (spec/semantics.md §5). */
function nameKey(ownerId: string, region: string, vpcId: string | undefined, name: string): string {
  return `${ownerId}/${region}/${vpcId ?? 'classic'}/${name.toLowerCase()}`;
}

function regionKey(accountId: string, region: string): string {
  return `${accountId}/${region}`;
}

/**
 * The in-memory indexed view of all state (DESIGN: readers work from it; writers validate against
 * it). It is rebuilt from stored documents at start and advanced only by `apply` with committed (or
 * committing) change records. Not thread-shared: the commit queue is its only writer.
 */
export class View {
  /** Revision of the last change applied. */
  revision = 0;
  readonly accounts = new Map<string, Account>();
  readonly accessKeys = new Map<string, AccessKey>();
  readonly regions = new Map<string, RegionState>();
  readonly vpcs = new Map<string, Vpc>();
  /** The tags of each VPC's main route table and default network ACL, keyed by their IDs (issue 13). */
  readonly routeTables = new Map<string, RouteTableTags>();
  readonly networkAcls = new Map<string, NetworkAclTags>();
  readonly groups = new Map<string, SecurityGroup>();
  /**
   * Every rule by ID, in creation order. Rules loaded at start-up join it later (`#loadedRules`),
   * in the order loaded: this getter puts any still waiting in first, so whoever reads or writes
   * it sees the whole map, in the same order as if they had been put one by one.
   */
  get rules(): Map<string, SecurityGroupRule> {
    if (this.#loadedRules.length > 0) this.indexLoadedRules(Number.POSITIVE_INFINITY);
    return this.#rules;
  }
  readonly #rules = new Map<string, SecurityGroupRule>();
  /**
   * Rules loaded at start-up and not yet in `#rules`, from `#loadedRulesFrom` on. A million inserts
   * into one map were a quarter of a restart at 1,000,000 rules (issue 12), and nothing needs
   * rules by ID before the first answer; `indexLoadedRules` moves them over in slices afterwards
   * (state/fill-view.ts), or all at once when the map is wanted first.
   */
  #loadedRules: SecurityGroupRule[] = [];
  #loadedRulesFrom = 0;
  readonly prefixLists = new Map<string, ManagedPrefixList>();
  readonly subnets = new Map<string, Subnet>();
  readonly instances = new Map<string, Instance>();
  /** Registered hosts by name (issue 5). */
  readonly hosts = new Map<string, Host>();
  /** host name → IDs of the instances placed on it that are not terminated (placement counts). */
  readonly #placed = new Map<string, Set<string>>();
  /** group ID → IDs of the instances that hold it (terminated instances hold nothing). */
  readonly #members = new Map<string, Set<string>>();
  /** address scope (subnet ID, or `classic/<region>`) → private addresses held by instances. */
  readonly #addresses = new Map<string, Set<string>>();
  /**
   * subnet ID → IPv6 addresses held by instances (issue 10). Kept beside `#addresses`, from the
   * same instances in the same `putInstance`, so a subnet's free IPv4 count stays what it was.
   */
  readonly #ipv6Addresses = new Map<string, Set<string>>();
  /** group name key → group ID (see `nameKey`). */
  readonly #groupsByName = new Map<string, string>();
  /** group ID → its rules, in creation order. */
  readonly #rulesByGroup = new Map<string, Map<string, SecurityGroupRule>>();
  /** group ID → rule identity key → rule ID, for duplicate and revoke matching. */
  readonly #ruleKeys = new RuleIdentityIndex();
  /**
   * Groups whose rules were loaded at start-up and are not in `#ruleKeys` yet: a group's identity
   * keys are computed the first time it is asked for or written to (`#keyGroup`), not for a
   * million rules at start (issue 12: restart time at 1,000,000 rules).
   */
  readonly #unkeyed = new Set<string>();
  /** group ID → IDs of rules (of any group) whose peer is that group. */
  readonly #referencedBy = new Map<string, Set<string>>();
  /** prefix-list ID → IDs of rules whose peer is that list (quota weight, deletes, associations). */
  readonly #prefixListReferencedBy = new Map<string, Set<string>>();
  /** account/region → group IDs in creation order. */
  readonly #groupsByRegion = new Map<string, Set<string>>();
  /** Regions whose AWS-managed prefix lists have been materialised. */
  readonly #managedListRegions = new Set<string>();
  /** Documents touched since the last `takeTouched`, which the store must persist. */
  #touched = new Map<string, DocumentKind>();
  #nextOrdinal = 1;
  /** The group of the rule `loadRule` put last, with its rules: the next one is usually its too. */
  #loadingGroup: { readonly groupId: string; readonly group: SecurityGroup | undefined; readonly rules: Map<string, SecurityGroupRule> } | undefined;
  /** True while `load` puts a stored document: nothing to mark touched. */
  #loading = false;

  // ---- reads ------------------------------------------------------------------------------

  /** Returns the account's state in a region, or undefined before its first use. */
  regionState(accountId: string, region: string): RegionState | undefined {
    return this.regions.get(regionKey(accountId, region));
  }

  /** Returns the group of that name in the scope (Classic when `vpcId` is undefined), if any. */
  groupByName(ownerId: string, region: string, vpcId: string | undefined, name: string): SecurityGroup | undefined {
    const id = this.#groupsByName.get(nameKey(ownerId, region, vpcId, name));
    return id === undefined ? undefined : this.groups.get(id);
  }

  /** Returns the groups of an account in a region, in creation order. */
  *groupsInRegion(accountId: string, region: string): IterableIterator<SecurityGroup> {
    for (const id of this.#groupsByRegion.get(regionKey(accountId, region)) ?? []) {
      const group = this.groups.get(id);
      if (group !== undefined) yield group;
    }
  }

  /** Returns the rules of a group in creation order (empty for an unknown group). */
  rulesOf(groupId: string): IterableIterator<SecurityGroupRule> {
    return (this.#rulesByGroup.get(groupId) ?? new Map<string, SecurityGroupRule>()).values();
  }

  /** Returns the ID of the rule of `groupId` with this identity key (rule-identity.ts), if any. */
  ruleIdByIdentity(groupId: string, identityKey: string): string | undefined {
    this.#keyGroup(groupId);
    return this.#ruleKeys.find(groupId, identityKey, (ruleId) => {
      const rule = this.rules.get(ruleId);
      return rule !== undefined && ruleIdentityKey(rule) === identityKey;
    });
  }

  /** Returns the rules (of any group) that name `groupId` as their peer. */
  *rulesReferencing(groupId: string): IterableIterator<SecurityGroupRule> {
    for (const id of this.#referencedBy.get(groupId) ?? []) {
      const rule = this.rules.get(id);
      if (rule !== undefined) yield rule;
    }
  }

  /** Returns the rules (of any group) that name the prefix list `prefixListId` as their peer. */
  *rulesReferencingPrefixList(prefixListId: string): IterableIterator<SecurityGroupRule> {
    for (const id of this.#prefixListReferencedBy.get(prefixListId) ?? []) {
      const rule = this.rules.get(id);
      if (rule !== undefined) yield rule;
    }
  }

  /** Returns the instances that hold `groupId` (its members), in launch order. */
  *membersOf(groupId: string): IterableIterator<Instance> {
    for (const id of this.#members.get(groupId) ?? []) {
      const instance = this.instances.get(id);
      if (instance !== undefined) yield instance;
    }
  }

  /** Reports whether any instance holds `groupId`. */
  hasMembers(groupId: string): boolean {
    return (this.#members.get(groupId)?.size ?? 0) > 0;
  }

  /** The number of non-terminated instances placed on a host (0 for an unknown name). */
  instanceCountOnHost(hostName: string): number {
    return this.#placed.get(hostName)?.size ?? 0;
  }

  /** The private addresses in use in an address scope (see `addressScope`). */
  addressesInUse(scope: string): ReadonlySet<string> {
    return this.#addresses.get(scope) ?? new Set();
  }

  /** The IPv6 addresses (canonical text) that instances not terminated hold in a subnet. */
  ipv6AddressesInUse(subnetId: string): ReadonlySet<string> {
    return this.#ipv6Addresses.get(subnetId) ?? new Set();
  }

  /**
   * Returns a prefix list that exists (AWS-managed or any account's), or undefined; the tombstone
   * of a deleted list (domain/prefix-list.ts) is not one. The caller decides who may see it.
   */
  prefixList(prefixListId: string): ManagedPrefixList | undefined {
    const list = this.prefixLists.get(prefixListId);
    return list === undefined || isTombstone(list) ? undefined : list;
  }

  /** Makes the region's AWS-managed prefix lists visible; they are derived, never stored. */
  ensureManagedPrefixLists(region: string): void {
    if (this.#managedListRegions.has(region)) return;
    this.#managedListRegions.add(region);
    for (const list of awsManagedPrefixLists(region)) this.prefixLists.set(list.prefixListId, list);
  }

  /**
   * Returns a taggable resource of any owner by ID, with its tags (RESOURCE_KINDS decides which
   * kinds carry tags), or undefined when no such resource exists.
   */
  taggedResource(resourceId: string): TaggedResource | undefined {
    const kind = kindOfResourceId(resourceId);
    if (kind === undefined) return undefined;
    const document = this.document(kind, resourceId);
    return document === undefined ? undefined : taggedResourceOf(kind, document);
  }

  /**
   * Returns every resource of one kind, of every owner, with its tags, in creation order; nothing
   * for a kind that carries no tags.
   */
  *taggedResources(kind: DocumentKind): IterableIterator<TaggedResource> {
    if (RESOURCE_KINDS[kind].tagging === undefined) return;
    for (const document of this.documentsOf(kind)) {
      const resource = taggedResourceOf(kind, document);
      if (resource !== undefined) yield resource;
    }
  }

  /** Reports whether the view holds a resource with this ID (new IDs must not collide with one). */
  holdsResourceId(resourceId: string): boolean {
    const kind = kindOfResourceId(resourceId);
    return kind !== undefined && RESOURCE_KINDS[kind].documents(this).has(resourceId);
  }

  /**
   * Moves up to `count` rules loaded at start-up into the map of rules by ID, in the order they
   * were loaded; returns true when none is left waiting.
   */
  indexLoadedRules(count: number): boolean {
    const loaded = this.#loadedRules;
    const end = Math.min(loaded.length, this.#loadedRulesFrom + count);
    for (let i = this.#loadedRulesFrom; i < end; i++) {
      const rule = loaded[i] as SecurityGroupRule;
      this.#rules.set(rule.ruleId, rule);
    }
    this.#loadedRulesFrom = end;
    if (end < loaded.length) return false;
    this.#loadedRules = [];
    this.#loadedRulesFrom = 0;
    return true;
  }

  /** Returns the next creation ordinal (monotonic across restarts: derived from stored documents). */
  nextOrdinal(): number {
    return this.#nextOrdinal++;
  }

  // ---- writes -----------------------------------------------------------------------------

  /** Applies one change record. Records must come in revision order. */
  apply(record: ChangeRecord): void {
    const handler = APPLY[record.change.kind] as (view: View, change: Change) => void;
    const impact = policyImpact(record.change);
    // The groups the instances held before, to know whose membership the record changes.
    const before = impact.kind === 'instances' ? new Map(impact.instanceIds.map((id) => [id, heldGroupsOf(this.instances.get(id))])) : undefined;
    handler(this, record.change);
    this.revision = record.revision;
    this.#stampPolicyRevision(impact, before, record.revision);
  }

  /**
   * Records, on the documents a change bears on, the revision it happened at (issue 10): a
   * group's rules or members, a prefix list's entries, an instance's own groups or state. From
   * these `desiredRevision` derives, for any instance, the last revision that changed what its
   * host must enforce — from the state alone, so every replica and a restarted server agree.
   */
  #stampPolicyRevision(impact: PolicyImpact, before: ReadonlyMap<string, readonly string[]> | undefined, revision: number): void {
    switch (impact.kind) {
      case 'none':
        return;
      case 'groupRules': {
        const group = this.groups.get(impact.groupId);
        if (group !== undefined) this.putGroup({ ...group, rulesRevision: revision });
        return;
      }
      case 'prefixList': {
        const list = this.prefixLists.get(impact.prefixListId);
        if (list !== undefined) this.putPrefixList({ ...list, entriesRevision: revision });
        return;
      }
      case 'instances': {
        // Only groups an instance joined or left: a rule naming any other one admits what it did.
        const groups = new Set<string>();
        for (const id of impact.instanceIds) {
          const instance = this.instances.get(id);
          if (instance === undefined) continue;
          this.putInstance({ ...instance, policyRevision: revision });
          const was = before?.get(id) ?? [];
          const now = heldGroupsOf(this.instances.get(id));
          for (const g of was) if (!now.includes(g)) groups.add(g);
          for (const g of now) if (!was.includes(g)) groups.add(g);
        }
        for (const g of groups) {
          const group = this.groups.get(g);
          if (group !== undefined) this.putGroup({ ...group, membersRevision: revision });
        }
        return;
      }
      default:
        unreachable(impact);
    }
  }

  /** Returns and forgets the documents touched since the last call. */
  takeTouched(): ReadonlyMap<string, DocumentKind> {
    const touched = this.#touched;
    this.#touched = new Map();
    return touched;
  }

  /** Returns the stored form of a document, or undefined when the resource no longer exists. */
  document<K extends DocumentKind>(kind: K, id: string): DocumentOf<K> | undefined {
    return RESOURCE_KINDS[kind].documents(this).get(id);
  }

  /** Returns what the store keeps of a document (its stored form), or undefined when it no longer exists. */
  storedDocument<K extends DocumentKind>(kind: K, id: string): unknown {
    const document = this.document(kind, id);
    const stored: StoredForm<DocumentOf<K>> | undefined = RESOURCE_KINDS[kind].stored;
    return document === undefined || stored === undefined ? document : stored.toStored(document);
  }

  /** Returns every document of one kind, in creation order. */
  documentsOf<K extends DocumentKind>(kind: K): IterableIterator<DocumentOf<K>> {
    return RESOURCE_KINDS[kind].documents(this).values();
  }

  /** Forgets everything, before reloading from the store. */
  reset(): void {
    this.revision = 0;
    this.#loadedRules = [];
    this.#loadedRulesFrom = 0;
    for (const kind of DOCUMENT_KINDS) RESOURCE_KINDS[kind].documents(this).clear();
    this.#placed.clear();
    this.#members.clear();
    this.#addresses.clear();
    this.#ipv6Addresses.clear();
    this.#groupsByName.clear();
    this.#rulesByGroup.clear();
    this.#ruleKeys.clear();
    this.#unkeyed.clear();
    this.#referencedBy.clear();
    this.#prefixListReferencedBy.clear();
    this.#groupsByRegion.clear();
    this.#managedListRegions.clear();
    this.#touched.clear();
    this.#loadingGroup = undefined;
    this.#nextOrdinal = 1;
  }

  /** Loads a stored document at start-up. Documents must come in DOCUMENT_KINDS order. */
  load<K extends DocumentKind>(kind: K, body: unknown): void {
    // The store hands back what `document` gave it, as JSON; what is loaded is already stored, so
    // nothing is marked touched (a million Map writes and clears at start-up, measured 0.4 s).
    this.#loading = true;
    try {
      const entry: ResourceKind<DocumentOf<K>> = RESOURCE_KINDS[kind];
      (entry.load ?? entry.put)(this, entry.stored === undefined ? (body as DocumentOf<K>) : entry.stored.fromStored(body));
    } finally {
      this.#loading = false;
    }
  }

  touch(kind: DocumentKind, id: string): void {
    if (!this.#loading) this.#touched.set(id, kind);
  }

  seeOrdinal(ordinal: number): void {
    if (ordinal >= this.#nextOrdinal) this.#nextOrdinal = ordinal + 1;
  }

  /** Replaces the tags of a taggable resource; does nothing for an unknown ID. */
  setTags(resourceId: string, tags: readonly Tag[]): void {
    const kind = kindOfResourceId(resourceId);
    if (kind !== undefined) putTags(this, kind, resourceId, tags);
  }

  putAccount(account: Account): void {
    this.accounts.set(account.accountId, account);
    this.touch('account', account.accountId);
  }

  putAccessKey(accessKey: AccessKey): void {
    this.accessKeys.set(accessKey.accessKeyId, accessKey);
    this.touch('accessKey', accessKey.accessKeyId);
  }

  putRegionState(regionState: RegionState): void {
    const key = regionKey(regionState.accountId, regionState.region);
    this.regions.set(key, regionState);
    this.touch('region', key);
  }

  putVpc(vpc: Vpc): void {
    this.vpcs.set(vpc.vpcId, vpc);
    this.seeOrdinal(vpc.ordinal);
    this.touch('vpc', vpc.vpcId);
    // Its main route table and default network ACL come with it (domain/vpc-defaults.ts), untagged.
    // Also for a VPC loaded from a store older than them; their stored tags, if any, load after.
    const { vpcId, ownerId, region } = vpc;
    const routeTableId = mainRouteTableIdOf(vpcId);
    if (!this.routeTables.has(routeTableId)) this.putRouteTable({ routeTableId, vpcId, ownerId, region, tags: [] });
    const networkAclId = defaultNetworkAclIdOf(vpcId);
    if (!this.networkAcls.has(networkAclId)) this.putNetworkAcl({ networkAclId, vpcId, ownerId, region, tags: [] });
  }

  putRouteTable(table: RouteTableTags): void {
    this.routeTables.set(table.routeTableId, table);
    this.touch('routeTable', table.routeTableId);
  }

  putNetworkAcl(acl: NetworkAclTags): void {
    this.networkAcls.set(acl.networkAclId, acl);
    this.touch('networkAcl', acl.networkAclId);
  }

  putPrefixList(list: ManagedPrefixList): void {
    this.prefixLists.set(list.prefixListId, list);
    this.seeOrdinal(list.ordinal);
    this.touch('prefixList', list.prefixListId);
  }

  putSubnet(subnet: Subnet): void {
    this.subnets.set(subnet.subnetId, subnet);
    this.seeOrdinal(subnet.ordinal);
    this.touch('subnet', subnet.subnetId);
  }

  /** Stores an instance and keeps the membership and address indexes in step with its state. */
  putInstance(instance: Instance): void {
    const previous = this.instances.get(instance.instanceId);
    if (previous !== undefined && holdsGroups(previous)) {
      for (const g of previous.groupIds) this.#members.get(g)?.delete(previous.instanceId);
      this.#addresses.get(addressScope(previous))?.delete(previous.privateIpAddress);
      if (previous.subnetId !== undefined)
        for (const address of previous.ipv6Addresses ?? []) this.#ipv6Addresses.get(previous.subnetId)?.delete(address);
      if (previous.hostName !== undefined) this.#placed.get(previous.hostName)?.delete(previous.instanceId);
    }
    this.instances.set(instance.instanceId, instance);
    if (holdsGroups(instance)) {
      for (const g of instance.groupIds) {
        let members = this.#members.get(g);
        if (members === undefined) this.#members.set(g, (members = new Set()));
        members.add(instance.instanceId);
      }
      const scope = addressScope(instance);
      let used = this.#addresses.get(scope);
      if (used === undefined) this.#addresses.set(scope, (used = new Set()));
      used.add(instance.privateIpAddress);
      if (instance.subnetId !== undefined && instance.ipv6Addresses !== undefined && instance.ipv6Addresses.length > 0) {
        let usedIpv6 = this.#ipv6Addresses.get(instance.subnetId);
        if (usedIpv6 === undefined) this.#ipv6Addresses.set(instance.subnetId, (usedIpv6 = new Set()));
        for (const address of instance.ipv6Addresses) usedIpv6.add(address);
      }
      if (instance.hostName !== undefined) {
        let placed = this.#placed.get(instance.hostName);
        if (placed === undefined) this.#placed.set(instance.hostName, (placed = new Set()));
        placed.add(instance.instanceId);
      }
    }
    this.seeOrdinal(instance.ordinal);
    this.touch('instance', instance.instanceId);
  }

  putHost(host: Host): void {
    this.hosts.set(host.hostName, host);
    this.seeOrdinal(host.ordinal);
    this.touch('host', host.hostName);
  }

  putGroup(group: SecurityGroup): void {
    const previous = this.groups.get(group.groupId);
    if (previous !== undefined)
      this.#groupsByName.delete(nameKey(previous.ownerId, previous.region, previous.vpcId, previous.groupName));
    this.groups.set(group.groupId, group);
    this.#groupsByName.set(nameKey(group.ownerId, group.region, group.vpcId, group.groupName), group.groupId);
    const rk = regionKey(group.ownerId, group.region);
    let inRegion = this.#groupsByRegion.get(rk);
    if (inRegion === undefined) this.#groupsByRegion.set(rk, (inRegion = new Set()));
    inRegion.add(group.groupId);
    this.seeOrdinal(group.ordinal);
    this.touch('group', group.groupId);
  }

  deleteGroup(groupId: string): void {
    const group = this.groups.get(groupId);
    if (group === undefined) return;
    for (const rule of [...this.rulesOf(groupId)]) this.deleteRule(rule.ruleId);
    this.groups.delete(groupId);
    this.#groupsByName.delete(nameKey(group.ownerId, group.region, group.vpcId, group.groupName));
    this.#groupsByRegion.get(regionKey(group.ownerId, group.region))?.delete(groupId);
    this.#rulesByGroup.delete(groupId);
    this.#ruleKeys.deleteGroup(groupId);
    this.#unkeyed.delete(groupId);
    this.touch('group', groupId);
  }

  putRule(given: SecurityGroupRule): void {
    const rule = compactRule(given, this.groups.get(given.groupId));
    const previous = this.rules.get(rule.ruleId);
    this.#keyGroup(rule.groupId);
    if (previous !== undefined) this.#unindexRule(previous);
    this.#ruleKeys.add(rule.groupId, ruleIdentityKey(rule), rule.ruleId);
    this.rules.set(rule.ruleId, rule);
    this.#indexRuleInGroup(rule, this.#rulesOfGroup(rule.groupId));
    this.touch('rule', rule.ruleId);
  }

  /**
   * Puts a rule read from the store at start-up (`load` only), which has no previous version in
   * the view: a million of them make a restart (issue 12), so this does only what a stored rule
   * needs. Its group's identity keys wait until first asked for (`#unkeyed`). A snapshot hands a
   * group's rules over mostly one after another, so its group is looked up once for them.
   */
  loadRule(stored: SecurityGroupRule): void {
    let loading = this.#loadingGroup;
    if (loading === undefined || loading.groupId !== stored.groupId) {
      this.#loadingGroup = loading = { groupId: stored.groupId, group: this.groups.get(stored.groupId), rules: this.#rulesOfGroup(stored.groupId) };
      this.#unkeyed.add(stored.groupId);
    }
    const rule = compactStoredRule(stored, loading.group);
    this.#loadedRules.push(rule);
    this.#indexRuleInGroup(rule, loading.rules);
  }

  /** The rules of a group by ID, created empty for a group with none yet. */
  #rulesOfGroup(groupId: string): Map<string, SecurityGroupRule> {
    let ofGroup = this.#rulesByGroup.get(groupId);
    if (ofGroup === undefined) this.#rulesByGroup.set(groupId, (ofGroup = new Map()));
    return ofGroup;
  }

  /** Puts a rule in its group's rules (`ofGroup`) and its peer's index. */
  #indexRuleInGroup(rule: SecurityGroupRule, ofGroup: Map<string, SecurityGroupRule>): void {
    ofGroup.set(rule.ruleId, rule);
    if (rule.peer.kind === 'group') {
      let refs = this.#referencedBy.get(rule.peer.groupId);
      if (refs === undefined) this.#referencedBy.set(rule.peer.groupId, (refs = new Set()));
      refs.add(rule.ruleId);
    } else if (rule.peer.kind === 'prefixList') {
      let refs = this.#prefixListReferencedBy.get(rule.peer.prefixListId);
      if (refs === undefined) this.#prefixListReferencedBy.set(rule.peer.prefixListId, (refs = new Set()));
      refs.add(rule.ruleId);
    }
    this.seeOrdinal(rule.ordinal);
  }

  deleteRule(ruleId: string): void {
    const rule = this.rules.get(ruleId);
    if (rule === undefined) return;
    this.#unindexRule(rule);
    this.rules.delete(ruleId);
    this.#rulesByGroup.get(rule.groupId)?.delete(ruleId);
    this.touch('rule', ruleId);
  }

  /** Puts the rules of a group loaded at start-up into the identity index (once). */
  #keyGroup(groupId: string): void {
    if (!this.#unkeyed.delete(groupId)) return;
    for (const rule of this.rulesOf(groupId)) this.#ruleKeys.add(groupId, ruleIdentityKey(rule), rule.ruleId);
  }

  #unindexRule(rule: SecurityGroupRule): void {
    if (!this.#unkeyed.has(rule.groupId)) this.#ruleKeys.remove(rule.groupId, ruleIdentityKey(rule), rule.ruleId);
    if (rule.peer.kind === 'group') this.#referencedBy.get(rule.peer.groupId)?.delete(rule.ruleId);
    else if (rule.peer.kind === 'prefixList') this.#prefixListReferencedBy.get(rule.peer.prefixListId)?.delete(rule.ruleId);
  }
}

/** One empty tag list for every untagged rule (most are). */
const NO_TAGS: readonly Tag[] = Object.freeze([]);

/**
 * The rule as the view keeps it: its group's own ID, owner and region strings instead of copies
 * (a rule read from JSON has its own), and the shared empty tag list. A hundred thousand rules
 * carry ~100 bytes each less (issue 12: memory per rule). Same fields, same order, same values.
 */
function compactRule(rule: SecurityGroupRule, group: SecurityGroup | undefined): SecurityGroupRule {
  if (group === undefined || rule.groupId !== group.groupId) return rule;
  const tags = rule.tags.length === 0 ? NO_TAGS : rule.tags;
  if (rule.groupOwnerId === group.ownerId && rule.region === group.region) return { ...rule, groupId: group.groupId, groupOwnerId: group.ownerId, region: group.region, tags };
  return tags === rule.tags ? rule : { ...rule, tags };
}

/**
 * `compactRule` for a rule just parsed from the store for the view: its strings are swapped for
 * equal, shared ones in place rather than copied into a new object (a million copies at start-up
 * are garbage to collect; issue 12: restart time). Every value stays what it was.
 */
function compactStoredRule(rule: SecurityGroupRule, group: SecurityGroup | undefined): SecurityGroupRule {
  if (group === undefined || rule.groupId !== group.groupId) return rule;
  const own = rule as { -readonly [K in keyof SecurityGroupRule]: SecurityGroupRule[K] };
  own.groupId = group.groupId;
  if (own.groupOwnerId === group.ownerId) own.groupOwnerId = group.ownerId;
  if (own.region === group.region) own.region = group.region;
  if (own.tags.length === 0) own.tags = NO_TAGS;
  return rule;
}

/** The resource maps of the view, which readers see as read-only maps. */
type ResourceMapField = 'accounts' | 'accessKeys' | 'regions' | 'vpcs' | 'routeTables' | 'networkAcls' | 'groups' | 'rules' | 'prefixLists' | 'subnets' | 'instances' | 'hosts';
/** The queries of the view. */
type ReadMethod =
  | 'regionState'
  | 'groupByName'
  | 'groupsInRegion'
  | 'rulesOf'
  | 'ruleIdByIdentity'
  | 'rulesReferencing'
  | 'rulesReferencingPrefixList'
  | 'membersOf'
  | 'hasMembers'
  | 'instanceCountOnHost'
  | 'addressesInUse'
  | 'ipv6AddressesInUse'
  | 'prefixList'
  | 'ensureManagedPrefixLists'
  | 'taggedResource'
  | 'taggedResources'
  | 'holdsResourceId'
  | 'nextOrdinal'
  | 'document'
  | 'documentsOf';

/**
 * The view as readers and write operations see it: every query, no way to change state. A
 * `View` advances only by applying change records, which only the commit queue (and the agent's
 * host model) do, so a replica never holds state that the log does not (DESIGN, Scale-out).
 * `ensureManagedPrefixLists` materialises AWS-managed lists that are derived, never stored, and
 * `nextOrdinal` hands out creation ordinals; neither is state of the log.
 */
export type ReadView = Readonly<Pick<View, ReadMethod | 'revision'>> & {
  readonly [K in ResourceMapField]: View[K] extends Map<infer Key, infer Value> ? ReadonlyMap<Key, Value> : never;
};

/** How each kind of change advances the view; exhaustive, so a new kind will not compile unhandled. */
const APPLY: { [K in ChangeKind]: (view: View, change: Extract<Change, { kind: K }>) => void } = {
  AccountCreated: (view, { account }) => view.putAccount(account),
  AccessKeyCreated: (view, { accessKey }) => view.putAccessKey(accessKey),
  AccessKeyDeleted: (view, { accessKeyId }) => {
    view.accessKeys.delete(accessKeyId);
    view.touch('accessKey', accessKeyId);
  },
  RegionInitialized: (view, { regionState }) => view.putRegionState(regionState),
  VpcCreated: (view, { vpc }) => view.putVpc(vpc),
  VpcAttributeModified: (view, { vpc }) => view.putVpc(vpc),
  VpcCidrBlocksChanged: (view, { vpc }) => view.putVpc(vpc),
  VpcDeleted: (view, { vpcId }) => {
    const vpc = view.vpcs.get(vpcId);
    view.vpcs.delete(vpcId);
    view.touch('vpc', vpcId);
    for (const [id, kind, documents] of [
      [mainRouteTableIdOf(vpcId), 'routeTable', view.routeTables],
      [defaultNetworkAclIdOf(vpcId), 'networkAcl', view.networkAcls],
    ] as const) {
      documents.delete(id);
      view.touch(kind, id);
    }
    // Deleting the default VPC leaves the account with none (spec/api.md §5.13).
    if (vpc?.isDefault) view.putRegionState({ accountId: vpc.ownerId, region: vpc.region });
  },
  SecurityGroupCreated: (view, { group }) => view.putGroup(group),
  SecurityGroupDeleted: (view, { groupId }) => view.deleteGroup(groupId),
  RulesAuthorized: (view, { rules }) => {
    for (const rule of rules) view.putRule(rule);
  },
  RulesRevoked: (view, { ruleIds }) => {
    for (const id of ruleIds) view.deleteRule(id);
  },
  RulesModified: (view, { rules }) => {
    for (const rule of rules) view.putRule(rule);
  },
  TagsSet: (view, { resourceId, tags }) => view.setTags(resourceId, tags),
  PrefixListCreated: (view, { prefixList }) => view.putPrefixList(prefixList),
  PrefixListModified: (view, { prefixList }) => view.putPrefixList(prefixList),
  // With a tombstone, the view keeps it in the list's place (describable by ID for a while);
  // without one (an expired tombstone purged, or a record written before tombstones), it forgets.
  PrefixListDeleted: (view, { prefixListId, tombstone }) => {
    if (tombstone !== undefined) return view.putPrefixList(tombstone);
    view.prefixLists.delete(prefixListId);
    view.touch('prefixList', prefixListId);
  },
  SubnetCreated: (view, { subnet }) => view.putSubnet(subnet),
  SubnetModified: (view, { subnet }) => view.putSubnet(subnet),
  SubnetDeleted: (view, { subnetId }) => {
    view.subnets.delete(subnetId);
    view.touch('subnet', subnetId);
  },
  InstancesLaunched: (view, { instances }) => {
    for (const instance of instances) view.putInstance(instance);
  },
  InstanceStateChanged: (view, { instanceId, state }) => {
    const instance = view.instances.get(instanceId);
    if (instance !== undefined) view.putInstance({ ...instance, state });
  },
  InstanceGroupsChanged: (view, { instanceId, groupIds }) => {
    const instance = view.instances.get(instanceId);
    if (instance !== undefined) view.putInstance({ ...instance, groupIds });
  },
  InstanceAttributesModified: (view, { instanceId, instanceType, attributes }) => {
    const instance = view.instances.get(instanceId);
    if (instance !== undefined) view.putInstance({ ...instance, instanceType, attributes });
  },
  HostRegistered: (view, { host }) => view.putHost(host),
  HostRemoved: (view, { hostName }) => {
    view.hosts.delete(hostName);
    view.touch('host', hostName);
  },
};

/**
 * Where an instance's private address must be unique: its subnet, or for EC2-Classic the region
 * (Classic addresses come from one regional pool).
 */
export function addressScope(instance: { readonly subnetId?: string; readonly region: string }): string {
  return instance.subnetId ?? `classic/${instance.region}`;
}
