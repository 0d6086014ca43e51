import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ABSENT, Ipv4AddressTable, Ipv6AddressTable } from './address-table.js';

// The typed-array hash tables against a Map model, through random sets, deletes and resets.
// Keys come from a small pool so that probe runs collide, wrap and shift back on delete.

test('Ipv4AddressTable behaves as a Map', () => {
  const key = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  );
  const op = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.nat(1000) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), size: fc.nat(40) }) },
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 20, maxLength: 300, size: 'large' }), (ops) => {
      const table = new Ipv4AddressTable();
      const model = new Map<number, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          table.set(o.key, o.value);
          model.set(o.key, o.value);
        } else if (o.kind === 'delete') {
          assert.equal(table.delete(o.key), model.delete(o.key));
        } else {
          table.reset(o.size);
          model.clear();
        }
        assert.equal(table.size, model.size);
      }
      for (let k = -20; k <= 20; k++) assert.equal(table.get(k), model.get(k) ?? ABSENT, `key ${k}`);
      for (const [k, v] of model) assert.equal(table.get(k), v, `key ${k}`);
    }),
    { numRuns: 300 },
  );
});

test('Ipv6AddressTable behaves as a Map', () => {
  const word = fc.oneof(
    { weight: 8, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  );
  const low = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  );
  const key = fc.tuple(word, word, word, low);
  const op = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.nat(1000) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reset' as const), size: fc.nat(40) }) },
  );
  fc.assert(
    fc.property(fc.array(op, { minLength: 20, maxLength: 300, size: 'large' }), (ops) => {
      const table = new Ipv6AddressTable();
      const model = new Map<string, number>();
      for (const o of ops) {
        if (o.kind === 'set') {
          table.set(...o.key, o.value);
          model.set(o.key.join(','), o.value);
        } else if (o.kind === 'delete') {
          assert.equal(table.delete(...o.key), model.delete(o.key.join(',')));
        } else {
          table.reset(o.size);
          model.clear();
        }
        assert.equal(table.size, model.size);
      }
      for (const o of ops) {
        if (o.kind !== 'reset') assert.equal(table.get(...o.key), model.get(o.key.join(',')) ?? ABSENT);
      }
    }),
    { numRuns: 600 },
  );
});
