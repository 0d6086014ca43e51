import { groupIdHexDigits, type Account } from '../domain/account.js';
import type { RuleDraft, SecurityGroupRule } from '../domain/rule.js';
import {
  CLASSIC_DEFAULT_GROUP_DESCRIPTION,
  DEFAULT_GROUP_NAME,
  VPC_DEFAULT_GROUP_DESCRIPTION,
  type SecurityGroup,
} from '../domain/security-group.js';
import type { Tag } from '../domain/tag.js';
import type { Vpc } from '../domain/vpc.js';
import type { WriteContext } from '../state/commit-queue.js';

/** Gives a rule draft of `group` its ID and creation ordinal. */
export function newRule(tx: WriteContext, group: SecurityGroup, draft: RuleDraft, tags: readonly Tag[] = []): SecurityGroupRule {
  return {
    ruleId: tx.ids.next('sgr'),
    groupId: group.groupId,
    groupOwnerId: group.ownerId,
    region: group.region,
    ...draft,
    tags,
    ordinal: tx.view.nextOrdinal(),
  };
}

/** The rules every new VPC group starts with: all traffic out (spec/semantics.md §6.3). */
export function defaultEgressDrafts(vpc: Vpc | undefined): readonly RuleDraft[] {
  const drafts: RuleDraft[] = [{ direction: 'egress', ipProtocol: '-1', peer: { kind: 'cidr4', cidr: '0.0.0.0/0' } }];
  // With an IPv6 block, also all traffic to ::/0 (spec/semantics.md §6.3, peer; UNCONFIRMED for custom groups).
  if (vpc?.ipv6CidrBlock !== undefined) drafts.push({ direction: 'egress', ipProtocol: '-1', peer: { kind: 'cidr6', cidr: '::/0' } });
  return drafts;
}

/**
 * Emits a scope's default group with its default rules: Classic (spec/semantics.md §6.1: tcp, udp
 * and icmp from itself) or VPC (§6.2: all traffic from itself, all traffic out), with an ID as long
 * as the owner's platform asks. Returns it.
 */
export function emitDefaultGroup(tx: WriteContext, owner: Account, region: string, vpc: Vpc | undefined): SecurityGroup {
  const ownerId = owner.accountId;
  const group: SecurityGroup = {
    groupId: tx.ids.next('sg', groupIdHexDigits(owner.platform)),
    ownerId,
    region,
    groupName: DEFAULT_GROUP_NAME,
    description: vpc === undefined ? CLASSIC_DEFAULT_GROUP_DESCRIPTION : VPC_DEFAULT_GROUP_DESCRIPTION,
    ...(vpc === undefined ? {} : { vpcId: vpc.vpcId }),
    tags: [],
    ordinal: tx.view.nextOrdinal(),
  };
  tx.emit(ownerId, region, { kind: 'SecurityGroupCreated', group });
  const drafts: RuleDraft[] =
    vpc === undefined
      ? (['tcp', 'udp', 'icmp'] as const).map((ipProtocol) => ({
          direction: 'ingress' as const,
          ipProtocol,
          ...(ipProtocol === 'icmp' ? { fromPort: -1, toPort: -1 } : { fromPort: 0, toPort: 65535 }),
          peer: { kind: 'group' as const, groupId: group.groupId, userId: ownerId, groupName: DEFAULT_GROUP_NAME },
        }))
      : [
          { direction: 'ingress', ipProtocol: '-1', peer: { kind: 'group', groupId: group.groupId, userId: ownerId } },
          ...defaultEgressDrafts(vpc),
        ];
  tx.emit(ownerId, region, {
    kind: 'RulesAuthorized',
    groupId: group.groupId,
    rules: drafts.map((d) => newRule(tx, group, d)),
  });
  return group;
}
