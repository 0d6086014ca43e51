import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Instance, InstanceStateName } from '../domain/instance.js';
import type { Change } from '../state/change-record.js';
import { View } from '../state/view.js';
import { placeInstances } from './hosts.js';

function instance(instanceId: string, hostName: string, state: InstanceStateName = 'running'): Instance {
  return {
    instanceId, reservationId: 'r-1', ownerId: '111122223333', region: 'us-east-1', imageId: 'ami-1', instanceType: 't2.micro',
    state, availabilityZone: 'us-east-1a', privateIpAddress: `10.0.0.${instanceId.length}${instanceId.charCodeAt(2)}`,
    groupIds: [], launchTime: '2026-01-01T00:00:00.000Z', amiLaunchIndex: 0, tags: [], ordinal: 1, hostName,
  };
}

function viewWith(changes: readonly Change[]): View {
  const view = new View();
  changes.forEach((change, i) => view.apply({ revision: i + 1, at: '2026-01-01T00:00:00.000Z', accountId: '111122223333', region: 'global', change }));
  return view;
}

const host = (hostName: string): Change => ({ kind: 'HostRegistered', host: { hostName, createdAt: '2026-01-01T00:00:00.000Z', ordinal: 1 } });

test('placeInstances', () => {
  const rows: { name: string; changes: Change[]; count: number; want: (string | undefined)[] }[] = [
    // No host registered: instances stay unplaced.
    { name: 'no hosts', changes: [], count: 2, want: [undefined, undefined] },
    // Ties go in name order, whatever the registration order.
    { name: 'ties by name', changes: [host('b'), host('a')], count: 3, want: ['a', 'b', 'a'] },
    // The least loaded host first; terminated instances do not count.
    {
      name: 'least loaded',
      changes: [host('a'), host('b'), { kind: 'InstancesLaunched', instances: [instance('i-a1', 'a'), instance('i-a2', 'a'), instance('i-b1', 'b', 'terminated')] }],
      count: 3,
      want: ['b', 'b', 'a'],
    },
    // A removed host receives nothing.
    { name: 'removed host', changes: [host('a'), host('b'), { kind: 'HostRemoved', hostName: 'a' }], count: 2, want: ['b', 'b'] },
  ];
  for (const row of rows) assert.deepEqual(placeInstances(viewWith(row.changes), row.count), row.want, row.name);
});
