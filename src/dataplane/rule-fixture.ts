import type { Peer, SecurityGroupRule } from '../domain/rule.js';

/** The owner account of the rules tests build. */
export const OWNER_FOR_TEST = '111122223333';

/** What a test says of a stored rule; the rest is the test owner's, in us-east-1, untagged. */
export interface RuleSpecForTest {
  readonly ruleId: string;
  readonly groupId: string;
  readonly direction: 'ingress' | 'egress';
  readonly ipProtocol: string;
  /** fromPort and toPort as spec/semantics.md §3.2 stores them; absent for `-1`. */
  readonly ports: readonly [number, number] | undefined;
  readonly peer: Peer;
  readonly ordinal: number;
}

/** A stored rule, for tests and benchmarks. */
export function ruleForTest(spec: RuleSpecForTest): SecurityGroupRule {
  const { ports, ...rest } = spec;
  return {
    ...rest,
    groupOwnerId: OWNER_FOR_TEST,
    region: 'us-east-1',
    ...(ports === undefined ? {} : { fromPort: ports[0], toPort: ports[1] }),
    tags: [],
  };
}

/**
 * Returns a builder of stored rules of group `sg-0000aaaa`, numbering them from 1 in build order
 * (rule IDs `sgr-` + the number in 17 hex digits), so golden outputs are stable per test file.
 */
export function ruleBuilderForTest(): (
  direction: 'ingress' | 'egress',
  ipProtocol: string,
  ports: readonly [number, number] | undefined,
  peer: Peer,
) => SecurityGroupRule {
  let ordinal = 0;
  return (direction, ipProtocol, ports, peer) => {
    ordinal++;
    return ruleForTest({ ruleId: `sgr-${ordinal.toString(16).padStart(17, '0')}`, groupId: 'sg-0000aaaa', direction, ipProtocol, ports, peer, ordinal });
  };
}

/** A CIDR peer of the family its text says. */
export const cidrPeerForTest = (text: string): Peer =>
  text.includes(':') ? { kind: 'cidr6', cidr: text } : { kind: 'cidr4', cidr: text };
/** A group peer of the test owner. */
export const groupPeerForTest = (groupId: string): Peer => ({ kind: 'group', groupId, userId: OWNER_FOR_TEST });
/** A prefix-list peer. */
export const prefixListPeerForTest = (prefixListId: string): Peer => ({ kind: 'prefixList', prefixListId });
