/**
 * Destination-port ranges (tcp/udp rules, spec/semantics.md §3.2) cut into segments: the ranges'
 * ends split 0–65535 into pieces, each listing the items (rule classes) whose range covers it.
 * Finding a port's items is a binary search over the segment starts, O(log s).
 */

export const MAX_PORT = 65535;

/** One item with its inclusive port range (0 ≤ fromPort ≤ toPort ≤ 65535). */
export interface PortRangeItem<T> {
  readonly fromPort: number;
  readonly toPort: number;
  readonly item: T;
}

/**
 * Segment i covers ports `starts[i] .. starts[i + 1] - 1` (the last one up to 65535) and holds
 * `items[offsets[i] .. offsets[i + 1])`. Segment 0 starts at port 0.
 */
export interface PortIndex<T> {
  readonly segmentCount: number;
  readonly starts: Int32Array;
  readonly offsets: Int32Array;
  readonly items: readonly T[];
  /**
   * With many segments: `buckets[h]` is the segment holding port h·256 (`buckets[256]` the last
   * segment), so a port's segment lies between `buckets[port >> 8]` and the next bucket and the
   * binary search runs over that stretch only. Empty otherwise.
   */
  readonly buckets: Int32Array;
}

/**
 * Segment count above which an index gets `buckets` (1 KiB): below it the binary search takes at
 * most 6 steps. Chosen, not tuned; see RANGE_BUCKETS_MIN_INTERVALS (cidr-index.ts) for the effect.
 */
export const PORT_BUCKETS_MIN_SEGMENTS = 64;

/**
 * Builds the index in O(r log r + total listed), r ranges. An item appears once per segment its
 * range covers, so nested or overlapping ranges cost more memory (O(r²) at worst, for r ranges
 * nested in each other; realistic policies have a few distinct port ranges per protocol).
 */
export function buildPortIndex<T>(ranges: readonly PortRangeItem<T>[]): PortIndex<T> {
  if (ranges.length === 0) return NO_RANGES;
  const adds = new Map<number, number[]>();
  const removes = new Map<number, number[]>();
  const push = (map: Map<number, number[]>, port: number, id: number): void => {
    const list = map.get(port);
    if (list === undefined) map.set(port, [id]);
    else list.push(id);
  };
  ranges.forEach((range, id) => {
    push(adds, range.fromPort, id);
    if (range.toPort < MAX_PORT) push(removes, range.toPort + 1, id);
  });
  const positions = [...new Set([0, ...adds.keys(), ...removes.keys()])].sort((a, b) => a - b);
  const active = new Set<number>();
  const starts: number[] = [];
  const offsets: number[] = [];
  const items: T[] = [];
  let previous: number[] | undefined;
  for (const position of positions) {
    for (const id of removes.get(position) ?? []) active.delete(id);
    for (const id of adds.get(position) ?? []) active.add(id);
    const ids = [...active].sort((a, b) => a - b);
    // Neighbouring segments with the same items are one segment.
    if (previous !== undefined && previous.length === ids.length && previous.every((id, i) => id === ids[i])) continue;
    starts.push(position);
    offsets.push(items.length);
    for (const id of ids) {
      const range = ranges[id];
      if (range !== undefined) items.push(range.item);
    }
    previous = ids;
  }
  offsets.push(items.length);
  const index = {
    segmentCount: starts.length,
    starts: Int32Array.from(starts),
    offsets: Int32Array.from(offsets),
    items,
    buckets: NO_BUCKETS,
  };
  if (index.segmentCount <= PORT_BUCKETS_MIN_SEGMENTS) return index;
  const buckets = new Int32Array(257);
  for (let h = 0; h < 256; h++) buckets[h] = searchSegment(index.starts, h << 8, 0, index.segmentCount - 1);
  buckets[256] = index.segmentCount - 1;
  return { ...index, buckets };
}

const NO_BUCKETS = new Int32Array(0);
// The index of no ranges, shared: one segment (all ports) with no items.
const NO_RANGES: PortIndex<never> = {
  segmentCount: 1,
  starts: new Int32Array(1),
  offsets: new Int32Array(2),
  items: [],
  buckets: NO_BUCKETS,
};

/**
 * The segment holding `port`, or -1 when `port` is not an integer 0–65535 (such a flow matches no
 * port rule). Allocates nothing.
 */
export function portSegment<T>(index: PortIndex<T>, port: number): number {
  if (!(port >= 0 && port <= MAX_PORT && (port | 0) === port)) return -1;
  const buckets = index.buckets;
  if (buckets.length === 0) return searchSegment(index.starts, port, 0, index.segmentCount - 1);
  const h = port >> 8;
  return searchSegment(index.starts, port, buckets[h] ?? 0, buckets[h + 1] ?? 0);
}

/** The last segment in [lo, hi] whose start is ≤ `port` (binary search; `starts[lo]` ≤ `port`). */
function searchSegment(starts: Int32Array, port: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= port) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
