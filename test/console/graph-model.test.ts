import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { REPO_ROOT } from '../harness/stockade-process.js';

interface Edge {
  id: string;
  source: string;
  target: string;
  direction: string;
  label: string;
  rules: { ruleId: string }[];
}
interface GraphModel {
  graphElements(state: unknown): { nodes: { id: string; label: string; kind: string }[]; edges: Edge[] };
  ruleMatches(rule: unknown, protocol: string, port: number | null): boolean;
}

// The page's own module, plain ES JavaScript served as it is: the test imports the same file.
const model = (await import(pathToFileURL(path.join(REPO_ROOT, 'console', 'graph-model.js')).href)) as GraphModel;

const rule = (ruleId: string, direction: string, ipProtocol: string, fromPort: number | null, toPort: number | null, peer: unknown, traffic: string) => ({
  ruleId,
  groupId: 'sg-web',
  direction,
  ipProtocol,
  fromPort,
  toPort,
  peer,
  traffic,
  description: null,
});

const state = {
  accountId: '111122223333',
  prefixLists: [{ prefixListId: 'pl-s3', prefixListName: 'com.amazonaws.us-east-1.s3' }],
  groups: [
    {
      groupId: 'sg-web',
      groupName: 'web',
      vpcId: 'vpc-1',
      ownerId: '111122223333',
      rules: [
        // 0.0.0.0/0 and ::/0 are one "anywhere" node, and one edge holds both rules.
        rule('sgr-1', 'ingress', 'tcp', 443, 443, { kind: 'cidr4', cidr: '0.0.0.0/0' }, 'tcp 443'),
        rule('sgr-2', 'ingress', 'tcp', 443, 443, { kind: 'cidr6', cidr: '::/0' }, 'tcp 443'),
        rule('sgr-3', 'ingress', 'tcp', 9000, 9100, { kind: 'group', groupId: 'sg-partner', userId: '444455556666' }, 'tcp 9000-9100'),
        rule('sgr-4', 'egress', 'tcp', 443, 443, { kind: 'prefixList', prefixListId: 'pl-s3' }, 'tcp 443'),
        rule('sgr-5', 'egress', '-1', null, null, { kind: 'cidr4', cidr: '10.0.0.0/8' }, 'all traffic'),
      ],
    },
  ],
};

test('nodes: groups, "anywhere", CIDRs, prefix lists by name, other accounts\' groups as owner/ID', () => {
  const { nodes } = model.graphElements(state);
  assert.deepEqual(
    nodes.map((n) => [n.id, n.label, n.kind]),
    [
      ['sg-web', 'web', 'group'],
      ['anywhere', 'anywhere', 'anywhere'],
      ['sg-partner', '444455556666/sg-partner', 'foreignGroup'],
      ['pl-s3', 'com.amazonaws.us-east-1.s3', 'prefixList'],
      ['cidr:10.0.0.0/8', '10.0.0.0/8', 'cidr'],
    ],
  );
});

test('edges point the way traffic is admitted, one per sender, receiver and direction', () => {
  const { edges } = model.graphElements(state);
  assert.deepEqual(
    edges.map((e) => [e.id, e.source, e.target, e.label, e.rules.map((r) => r.ruleId)]),
    [
      ['ingress:anywhere->sg-web', 'anywhere', 'sg-web', 'tcp 443', ['sgr-1', 'sgr-2']],
      ['ingress:sg-partner->sg-web', 'sg-partner', 'sg-web', 'tcp 9000-9100', ['sgr-3']],
      ['egress:sg-web->pl-s3', 'sg-web', 'pl-s3', 'tcp 443', ['sgr-4']],
      ['egress:sg-web->cidr:10.0.0.0/8', 'sg-web', 'cidr:10.0.0.0/8', 'all traffic', ['sgr-5']],
    ],
  );
});

test('the protocol and port filter', () => {
  const [https, , partner, , all] = state.groups[0]?.rules ?? [];
  const rows: [unknown, string, number | null, boolean][] = [
    // Any protocol, any port.
    [https, '', null, true],
    // Protocol and port inside the range, outside it, other protocol.
    [partner, 'tcp', 9050, true],
    [partner, 'tcp', 8999, false],
    [partner, 'udp', null, false],
    // "All traffic" admits every protocol and port.
    [all, 'udp', 53, true],
  ];
  for (const [r, protocol, port, expected] of rows) assert.equal(model.ruleMatches(r, protocol, port), expected, `${protocol} ${port}`);
});
