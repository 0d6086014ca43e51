import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildPortIndex, portSegment } from './port-index.js';

/** The items of the segment holding `port`, sorted, or [] when the port is not a port. */
function itemsAt(index: ReturnType<typeof buildPortIndex<number>>, port: number): number[] {
  const segment = portSegment(index, port);
  if (segment < 0) return [];
  return [...index.items.slice(index.offsets[segment] ?? 0, index.offsets[segment + 1] ?? 0)].sort((a, b) => a - b);
}

test('port segments list exactly the ranges covering each port', () => {
  const index = buildPortIndex([
    { fromPort: 22, toPort: 22, item: 0 },
    { fromPort: 0, toPort: 1023, item: 1 },
    { fromPort: 1000, toPort: 2000, item: 2 },
    { fromPort: 65535, toPort: 65535, item: 3 },
  ]);
  const rows: readonly (readonly [number, readonly number[]])[] = [
    [0, [1]], [21, [1]], [22, [0, 1]], [23, [1]], [999, [1]], [1000, [1, 2]], [1023, [1, 2]], [1024, [2]],
    [2000, [2]], [2001, []], [65534, []], [65535, [3]],
    // Not ports: no segment.
    [-1, []], [65536, []], [80.5, []], [Number.NaN, []],
  ];
  for (const [port, items] of rows) assert.deepEqual(itemsAt(index, port), items, `port ${port}`);
  assert.deepEqual(itemsAt(buildPortIndex<number>([]), 80), []);
});

test('port segments agree with a scan of random ranges', () => {
  let bucketed = 0;
  const range = fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  fc.assert(
    // Up to 120 ranges: past PORT_BUCKETS_MIN_SEGMENTS, so the first-level buckets are used too.
    fc.property(fc.oneof(fc.array(range, { maxLength: 20 }), fc.array(range, { minLength: 40, maxLength: 120 })), fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 20 }), (ranges, ports) => {
      const index = buildPortIndex(ranges.map(([fromPort, toPort], item) => ({ fromPort, toPort, item })));
      if (index.buckets.length > 0) bucketed++;
      const probes = [...ports, ...ranges.flatMap(([from, to]) => [from - 1, from, to, to + 1])].filter((p) => p >= 0 && p <= 65535);
      for (const port of probes) {
        const expected = ranges.flatMap(([from, to], item) => (from <= port && port <= to ? [item] : []));
        assert.deepEqual(itemsAt(index, port), expected, `port ${port}`);
      }
    }),
    { numRuns: 300 },
  );
  assert.ok(bucketed > 0, 'no run built buckets');
});
