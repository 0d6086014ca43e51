import type { Peer, SecurityGroupRule } from '../../domain/rule.js';
import { describeSecurityGroups } from '../../service/describe-security-groups.js';
import { describeVpcs } from '../../service/describe-vpcs.js';
import { describeInstances } from '../../service/instances.js';
import { describeManagedPrefixLists } from '../../service/managed-prefix-lists.js';
import type { Page } from '../../service/pagination.js';
import type { ServerDependencies } from '../server.js';
import { consoleContext } from './console-context.js';
import { ok, type ConsoleAnswer, type SessionCall } from './console-route.js';

/** A rule as the page shows it: EC2's fields, plus `traffic`, the one wording of its protocol and ports. */
export interface ConsoleRule {
  readonly ruleId: string;
  readonly groupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ipProtocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  readonly traffic: string;
  readonly peer: Peer;
  readonly description: string | null;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}

/**
 * `GET /console/api/state?region=R`: everything the page draws, for the signed-in account in one
 * region, read through the same describe functions as the EC2 actions (so the console sees what
 * DescribeVpcs, DescribeSecurityGroups, DescribeInstances and DescribeManagedPrefixLists would):
 * VPCs; groups with their rules; instances with their groups, addresses and desired vs enforced
 * revision; the prefix lists the account can use. `revision` is the log position it reflects.
 */
export async function consoleState(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  const { view } = deps;
  const vpcs = everyPage((nextToken) => describeVpcs(view, context, { vpcIds: [], filters: [], maxResults: 1000, ...token(nextToken) }));
  const groups = everyPage((nextToken) => describeSecurityGroups(view, context, { groupIds: [], groupNames: [], filters: [], maxResults: 1000, ...token(nextToken) }));
  const instances = everyPage((nextToken) => describeInstances(view, context, { instanceIds: [], filters: [], maxResults: 1000, ...token(nextToken) }));
  const prefixLists = everyPage((nextToken) =>
    describeManagedPrefixLists(view, context, { prefixListIds: [], filters: [], maxResults: 100, ...token(nextToken) }, deps.clock()),
  );
  const revision = view.revision;
  const reports = await deps.enforced.of(instances.map((i) => i.instanceId));
  return ok(
    {
      accountId: context.account.accountId,
      region: context.region,
      revision,
      vpcs: vpcs.map((v) => ({ vpcId: v.vpcId, cidrBlock: v.cidrBlock, ipv6CidrBlock: v.ipv6CidrBlock ?? null, isDefault: v.isDefault, tags: v.tags })),
      groups: groups.map((g) => ({
        groupId: g.groupId,
        groupName: g.groupName,
        description: g.description,
        vpcId: g.vpcId ?? null,
        ownerId: g.ownerId,
        tags: g.tags,
        rules: [...view.rulesOf(g.groupId)].map(consoleRule),
      })),
      instances: instances.map((i) => {
        const desiredRevision = deps.policies.desiredRevision(i.instanceId);
        const enforcedRevision = reports.get(i.instanceId)?.revision ?? 0;
        return {
          instanceId: i.instanceId,
          state: i.state,
          vpcId: i.vpcId ?? null,
          subnetId: i.subnetId ?? null,
          groupIds: i.groupIds,
          privateIpAddress: i.privateIpAddress,
          ipv6Addresses: i.ipv6Addresses ?? [],
          hostName: i.hostName ?? null,
          desiredRevision,
          enforcedRevision,
          // Only where an agent runs (the instance is placed on a host) is there anything to enforce.
          inForce: i.hostName === undefined ? null : enforcedRevision >= desiredRevision,
          enforcementFailure: reports.get(i.instanceId)?.failure ?? null,
          tags: i.tags,
        };
      }),
      prefixLists: prefixLists.map((l) => ({
        prefixListId: l.prefixListId,
        prefixListName: l.prefixListName,
        ownerId: l.ownerId,
        addressFamily: l.addressFamily,
        maxEntries: l.maxEntries,
        version: l.version,
        entries: l.entries,
      })),
    },
    context.account.accountId,
  );
}

/** A stored rule for the page. */
export function consoleRule(rule: SecurityGroupRule): ConsoleRule {
  return {
    ruleId: rule.ruleId,
    groupId: rule.groupId,
    direction: rule.direction,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort ?? null,
    toPort: rule.toPort ?? null,
    traffic: trafficText(rule),
    peer: rule.peer,
    description: rule.description ?? null,
    tags: rule.tags,
  };
}

/**
 * What a rule admits, in a few words (`tcp 22`, `tcp 1000-2000`, `icmp type 8 code 0`, `all
 * traffic`, `protocol 50`): the graph's edge labels and the lists use this one wording.
 */
export function trafficText(rule: Pick<SecurityGroupRule, 'ipProtocol' | 'fromPort' | 'toPort'>): string {
  const { ipProtocol: protocol, fromPort: from, toPort: to } = rule;
  switch (protocol) {
    case '-1':
      return 'all traffic';
    case 'tcp':
    case 'udp':
      if (from === 0 && to === 65535) return `${protocol} all ports`;
      return from === to ? `${protocol} ${from}` : `${protocol} ${from}-${to}`;
    case 'icmp':
    case 'icmpv6':
      if (from === undefined || from === -1) return `${protocol} all`;
      return to === undefined || to === -1 ? `${protocol} type ${from}` : `${protocol} type ${from} code ${to}`;
    default:
      return `protocol ${protocol}`;
  }
}

function everyPage<T>(fetch: (nextToken: string | undefined) => Page<T>): T[] {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = fetch(nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return items;
}

function token(nextToken: string | undefined): { nextToken?: string } {
  return nextToken === undefined ? {} : { nextToken };
}
