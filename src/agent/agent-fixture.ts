import type { Instance } from '../domain/instance.js';
import type { Peer, SecurityGroupRule } from '../domain/rule.js';
import type { Change, ChangeRecord } from '../state/change-record.js';
import { OWNER_FOR_TEST, ruleForTest } from '../dataplane/rule-fixture.js';

/**
 * Change records for the agent's unit tests, written as a small script: a classic region with
 * groups, rules and instances on hosts `h1` and `h2`. Revisions count from 1 in build order.
 */
export class FeedScriptForTest {
  #revision = 0;
  #rule = 0;

  record(change: Change): ChangeRecord {
    return { revision: ++this.#revision, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'us-east-1', change };
  }

  group(groupId: string): ChangeRecord {
    return this.record({
      kind: 'SecurityGroupCreated',
      group: { groupId, ownerId: '111122223333', region: 'us-east-1', groupName: groupId, description: 'd', tags: [], ordinal: this.#revision },
    });
  }

  /** One ingress rule `tcp port` of `groupId` from `peer` (a CIDR text or a group ID). */
  allow(groupId: string, port: number, peer: string): ChangeRecord {
    return this.record({ kind: 'RulesAuthorized', groupId, rules: [this.rule(groupId, port, peer)] });
  }

  rule(groupId: string, port: number, peer: string): SecurityGroupRule {
    const peerOf: Peer = peer.startsWith('sg-') ? { kind: 'group', groupId: peer, userId: OWNER_FOR_TEST } : { kind: 'cidr4', cidr: peer };
    this.#rule++;
    return ruleForTest({ ruleId: `sgr-${this.#rule.toString(16).padStart(17, '0')}`, groupId, direction: 'ingress', ipProtocol: 'tcp', ports: [port, port], peer: peerOf, ordinal: this.#rule });
  }

  /** A running EC2-Classic instance `i-<n>` at 10.0.0.<n> on `hostName` holding `groupIds`. */
  launch(n: number, hostName: string, groupIds: readonly string[]): ChangeRecord {
    return this.record({ kind: 'InstancesLaunched', instances: [instanceForTest(n, hostName, groupIds)] });
  }

  /** Several instances in one reservation (one record), as RunInstances with MaxCount > 1. */
  launchAll(instances: readonly { n: number; hostName: string; groupIds: readonly string[] }[]): ChangeRecord {
    return this.record({ kind: 'InstancesLaunched', instances: instances.map((i) => instanceForTest(i.n, i.hostName, i.groupIds)) });
  }

  terminate(n: number): ChangeRecord {
    return this.record({ kind: 'InstanceStateChanged', instanceId: instanceIdForTest(n), state: 'terminated' });
  }

  regroup(n: number, groupIds: readonly string[]): ChangeRecord {
    return this.record({ kind: 'InstanceGroupsChanged', instanceId: instanceIdForTest(n), groupIds });
  }
}

export function instanceIdForTest(n: number): string {
  return `i-${n.toString(16).padStart(17, '0')}`;
}

function instanceForTest(n: number, hostName: string, groupIds: readonly string[]): Instance {
  return {
    instanceId: instanceIdForTest(n),
    reservationId: 'r-1',
    ownerId: '111122223333',
    region: 'us-east-1',
    imageId: 'ami-1',
    instanceType: 'm1.small',
    state: 'running',
    availabilityZone: 'us-east-1a',
    privateIpAddress: `10.0.0.${n}`,
    groupIds,
    launchTime: '2026-01-01T00:00:00.000Z',
    amiLaunchIndex: 0,
    tags: [],
    ordinal: n,
    hostName,
  };
}
