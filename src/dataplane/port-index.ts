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
}

/**
 * Builds the index in O(r log r + total listed), r ranges. An item appears once per segment its
 * range covers, so nested or overlapping ranges cost more memory (O(r²) at worst, for r ranges
 * nested in each other; realistic policies have a few distinct port ranges per protocol).
 */
export function buildPortIndex<T>(ranges: readonly PortRangeItem<T>[]): PortIndex<T> {
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
  return { segmentCount: starts.length, starts: Int32Array.from(starts), offsets: Int32Array.from(offsets), items };
}

/**
 * The segment holding `port`, or -1 when `port` is not an integer 0–65535 (such a flow matches no
 * port rule). Allocates nothing.
 */
export function portSegment<T>(index: PortIndex<T>, port: number): number {
  if (!(port >= 0 && port <= MAX_PORT && (port | 0) === port)) return -1;
  const starts = index.starts;
  let lo = 0;
  let hi = index.segmentCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= port) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
