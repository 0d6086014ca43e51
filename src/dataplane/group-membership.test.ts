import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GroupMembership } from './group-membership.js';
import { decodePeerAddress } from './peer-address.js';

/** The referenced groups holding `text`, through the evaluator's entry points. */
function groupsOfForTest(membership: GroupMembership, text: string): string[] {
  const words = new Int32Array(4);
  const family = decodePeerAddress(text, words);
  assert.notEqual(family, 0, text);
  const row =
    family === 4
      ? membership.rowOfIpv4(words[0] ?? 0)
      : membership.rowOfIpv6(words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0);
  if (row < 0) return [];
  const groups = membership.groupIds.filter((_, bit) => membership.rowHas(row, bit));
  // The bitset test a rule class uses agrees with the per-group one.
  for (const groupId of membership.groupIds) {
    assert.equal(membership.rowHasAnyOf(row, membership.bitsOf([groupId])), groups.includes(groupId), `${text} in ${groupId}`);
  }
  assert.equal(membership.rowHasAnyOf(row, membership.bitsOf(membership.groupIds)), groups.length > 0);
  return groups;
}

test('group membership maps each address to the referenced groups that hold it', () => {
  const membership = new GroupMembership(['sg-web', 'sg-db']);
  membership.replace('sg-web', ['10.0.0.1', '10.0.0.1', '2001:db8::1', 'not-an-address', '10.0.0.0/24']);
  membership.replace('sg-db', ['10.0.0.1', '10.0.0.2']);
  assert.deepEqual([membership.memberCount('sg-web'), membership.memberCount('sg-db')], [2, 2]);
  const rows: readonly (readonly [string, readonly string[]])[] = [
    ['10.0.0.1', ['sg-web', 'sg-db']],
    ['10.0.0.2', ['sg-db']],
    ['10.0.0.3', []],
    ['2001:db8::1', ['sg-web']],
    ['2001:DB8:0:0:0:0:0:1', ['sg-web']],
    // The IPv4-mapped IPv6 address is another address.
    ['::ffff:10.0.0.1', []],
  ];
  for (const [text, groups] of rows) assert.deepEqual(groupsOfForTest(membership, text), groups, text);

  // Updates, one address at a time, and for groups the policy does not reference.
  assert.equal(membership.add('sg-db', '2001:db8:0::1'), true);
  assert.equal(membership.delete('sg-web', '2001:db8::1'), true);
  assert.equal(membership.delete('sg-web', '2001:db8::1'), false);
  assert.equal(membership.add('sg-other', '10.0.0.9'), false);
  assert.equal(membership.replace('sg-other', ['10.0.0.9']), false);
  assert.equal(membership.add('sg-web', 'nonsense'), false);
  assert.deepEqual(groupsOfForTest(membership, '2001:db8::1'), ['sg-db']);
  assert.deepEqual(groupsOfForTest(membership, '10.0.0.9'), []);

  membership.replace('sg-db', []);
  assert.deepEqual(groupsOfForTest(membership, '10.0.0.1'), ['sg-web']);
  assert.deepEqual(groupsOfForTest(membership, '10.0.0.2'), []);
  assert.deepEqual(groupsOfForTest(membership, '2001:db8::1'), []);
});

test('group membership agrees with a model through random updates of many groups', () => {
  // 40 groups: two words per row.
  const groupIds = Array.from({ length: 40 }, (_, i) => `sg-${i}`);
  const address = fc.oneof(
    fc.integer({ min: 0, max: 30 }).map((i) => `10.0.0.${i}`),
    fc.integer({ min: 0, max: 10 }).map((i) => `2001:db8::${i.toString(16)}`),
  );
  const group = fc.constantFrom(...groupIds);
  const op = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), group, address }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), group, address }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), group, addresses: fc.array(address, { maxLength: 8 }) }) },
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 10, maxLength: 200, size: 'large' }), (ops) => {
      const membership = new GroupMembership(groupIds);
      const model = new Map<string, Set<string>>(groupIds.map((id) => [id, new Set()]));
      for (const o of ops) {
        if (o.kind === 'add') {
          membership.add(o.group, o.address);
          model.get(o.group)?.add(o.address);
        } else if (o.kind === 'delete') {
          assert.equal(membership.delete(o.group, o.address), model.get(o.group)?.delete(o.address) === true);
        } else {
          membership.replace(o.group, o.addresses);
          model.set(o.group, new Set(o.addresses));
        }
      }
      for (let i = 0; i <= 30; i++) {
        const text = `10.0.0.${i}`;
        assert.deepEqual(groupsOfForTest(membership, text), groupIds.filter((id) => model.get(id)?.has(text)), text);
      }
      for (let i = 0; i <= 10; i++) {
        const text = `2001:db8::${i.toString(16)}`;
        assert.deepEqual(groupsOfForTest(membership, text), groupIds.filter((id) => model.get(id)?.has(text)), text);
      }
      for (const id of groupIds) assert.equal(membership.memberCount(id), model.get(id)?.size ?? 0, id);
    }),
    { numRuns: 200 },
  );
});
