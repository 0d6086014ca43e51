import { ABSENT, Ipv4AddressTable, Ipv6AddressTable } from './address-table.js';
import { IPV4_WORDS, IPV6_WORDS } from './peer-address.js';

/**
 * The CIDR peers of one rule class (the rules of one direction, family, protocol and port spec),
 * compiled into a membership test fitted to the set's shape, after Tailscale's
 * `ipset.NewContainsIPFunc`. Every shape also answers "which rules hold this address", for
 * verdicts that list all matches. Addresses are the signed words of peer-address.ts.
 */

/** One CIDR peer of one rule: the block's network, its prefix length, and the rule's index. */
export interface CidrEntry {
  readonly network: bigint;
  readonly prefixLength: number;
  readonly rule: number;
}

/**
 * How a `CidrIndex` tests membership:
 * - `none`: no blocks; nothing matches.
 * - `single`: one distinct block (any prefix, /0 and host routes included): one AND and compare.
 * - `list`: up to `SMALL_LIST_MAX` distinct blocks, scanned in order.
 * - `hosts`: only host routes (/32 or /128): a hash table, O(1) expected.
 * - `ranges`: anything else: the blocks cut the address space into elementary intervals, each
 *   with the rules that cover it; a binary search finds the interval, O(log n).
 */
export const CIDR_INDEX_SHAPES = ['none', 'single', 'list', 'hosts', 'ranges'] as const;
export type CidrIndexShape = (typeof CIDR_INDEX_SHAPES)[number];

/**
 * Up to this many distinct blocks a linear scan beats a binary search or a hash; Tailscale's
 * `ipset` draws its line at six prefixes for the same reason.
 */
export const SMALL_LIST_MAX = 6;

/**
 * A compiled set of CIDR blocks of one family, each block carrying the rules it belongs to. One
 * object shape for every `shape`, so the evaluator's property loads stay monomorphic. The numbers
 * live in ONE typed array, `data`, at the offsets below: a typed array costs ~150 bytes however
 * small it is, and most indexes hold one or two blocks.
 */
export interface CidrIndex {
  readonly shape: CidrIndexShape;
  readonly family: 4 | 6;
  /** Some block is /0: every address of the family matches (the boolean path stops here). */
  readonly coversAll: boolean;
  /** Number of slots: distinct blocks (`single`, `list`, `hosts`) or intervals (`ranges`). */
  readonly slotCount: number;
  readonly data: Int32Array;
  /**
   * `single`/`list`: each block's network words. `ranges`: each interval's first address, with
   * the sign bit of every word flipped so that signed comparison orders addresses as unsigned.
   */
  readonly wordsAt: number;
  /** `single`/`list`: each block's netmask words. */
  readonly masksAt: number;
  /**
   * Slot i's rules are `data[rulesAt + o(i) .. rulesAt + o(i + 1))`, ascending, where
   * o(i) = `data[offsetsAt + i]` (compressed rows).
   */
  readonly offsetsAt: number;
  readonly rulesAt: number;
  /** `hosts` of family 4: address → slot. */
  readonly hosts4: Ipv4AddressTable | undefined;
  /** `hosts` of family 6: address → slot. */
  readonly hosts6: Ipv6AddressTable | undefined;
  /**
   * `ranges` of family 4 with many intervals: `buckets[h]` is the interval holding address h·2^24
   * (`buckets[256]` the last), so the binary search runs between two buckets only. Else empty.
   */
  readonly buckets: Int32Array;
}

/**
 * Interval count above which an IPv4 `ranges` index gets `buckets` (1 KiB): below it the binary
 * search takes at most 6 steps. Chosen, not tuned; with buckets, bench/evaluator.ts went from
 * 280 to 240 ns per decision at 10,000 rules (issue 4).
 */
export const RANGE_BUCKETS_MIN_INTERVALS = 64;

const SIGN = -0x80000000;
const EMPTY = new Int32Array(0);

/**
 * Compiles the blocks of one family. A rule whose blocks nest (a prefix list holding both
 * 10.0.0.0/8 and 10.1.0.0/16) keeps only the outer one, so no address lists a rule twice.
 * O(n log n) for n entries; memory O(n) for every shape, since blocks are laminar (two blocks are
 * nested or disjoint), an interval lists at most one rule per enclosing block.
 */
export function buildCidrIndex(family: 4 | 6, entries: readonly CidrEntry[]): CidrIndex {
  const width = family === 4 ? 32 : 128;
  const wordsPerAddress = family === 4 ? IPV4_WORDS : IPV6_WORDS;
  const blocks = distinctBlocks(pruneNested(entries, width));
  if (blocks.length === 0) {
    return cidrIndex('none', family, false, 0, noBlocks);
  }
  const coversAll = blocks.some((block) => block.prefixLength === 0);
  const ruleRows = blocks.map((block) => block.rules);
  if (blocks.length <= SMALL_LIST_MAX) {
    const packed = new PackedData(blocks.length * wordsPerAddress, blocks.length * wordsPerAddress, ruleRows);
    blocks.forEach((block, i) => {
      writeWords(block.network, wordsPerAddress, packed.data, packed.wordsAt + i * wordsPerAddress, false);
      writeWords(maskOf(block.prefixLength, width), wordsPerAddress, packed.data, packed.masksAt + i * wordsPerAddress, false);
    });
    return cidrIndex(blocks.length === 1 ? 'single' : 'list', family, coversAll, blocks.length, packed);
  }
  if (blocks.every((block) => block.prefixLength === width)) {
    const packed = new PackedData(0, 0, ruleRows);
    const scratch = new Int32Array(wordsPerAddress);
    if (family === 4) {
      const hosts4 = new Ipv4AddressTable(blocks.length);
      blocks.forEach((block, i) => {
        writeWords(block.network, 1, scratch, 0, false);
        hosts4.set(scratch[0] ?? 0, i);
      });
      return cidrIndex('hosts', family, coversAll, blocks.length, packed, hosts4);
    }
    const hosts6 = new Ipv6AddressTable(blocks.length);
    blocks.forEach((block, i) => {
      writeWords(block.network, 4, scratch, 0, false);
      hosts6.set(scratch[0] ?? 0, scratch[1] ?? 0, scratch[2] ?? 0, scratch[3] ?? 0, i);
    });
    return cidrIndex('hosts', family, coversAll, blocks.length, packed, undefined, hosts6);
  }
  const intervals = elementaryIntervals(blocks, width);
  const packed = new PackedData(
    intervals.length * wordsPerAddress,
    0,
    intervals.map((interval) => interval.rules),
  );
  intervals.forEach((interval, i) => {
    writeWords(interval.start, wordsPerAddress, packed.data, packed.wordsAt + i * wordsPerAddress, true);
  });
  let buckets: Int32Array | undefined;
  if (family === 4 && intervals.length > RANGE_BUCKETS_MIN_INTERVALS) {
    buckets = new Int32Array(257);
    for (let h = 0; h < 256; h++) {
      buckets[h] = intervalOfIpv4(packed.data, packed.wordsAt, (h << 24) ^ SIGN, 0, intervals.length - 1);
    }
    buckets[256] = intervals.length - 1;
  }
  return cidrIndex('ranges', family, coversAll, intervals.length, packed, undefined, undefined, buckets);
}

/** Reports whether the IPv4 address (a signed word) lies in some block of `index` (family 4). */
export function cidrIndexContainsIpv4(index: CidrIndex, address: number): boolean {
  const data = index.data;
  switch (index.shape) {
    case 'none':
      return false;
    case 'single':
      return (address & (data[index.masksAt] ?? 0)) === data[index.wordsAt];
    case 'list': {
      const wordsAt = index.wordsAt;
      const masksAt = index.masksAt;
      for (let i = 0; i < index.slotCount; i++) {
        if ((address & (data[masksAt + i] ?? 0)) === data[wordsAt + i]) return true;
      }
      return false;
    }
    case 'hosts':
      return index.hosts4 !== undefined && index.hosts4.get(address) !== ABSENT;
    case 'ranges': {
      if (index.coversAll) return true;
      return slotHasRules(index, rangeSlotIpv4(index, address));
    }
  }
}

/** Reports whether the IPv6 address (four signed words) lies in some block of `index` (family 6). */
export function cidrIndexContainsIpv6(index: CidrIndex, w0: number, w1: number, w2: number, w3: number): boolean {
  switch (index.shape) {
    case 'none':
      return false;
    case 'single':
    case 'list': {
      for (let i = 0; i < index.slotCount; i++) {
        if (blockHoldsIpv6(index, i, w0, w1, w2, w3)) return true;
      }
      return false;
    }
    case 'hosts':
      return index.hosts6 !== undefined && index.hosts6.get(w0, w1, w2, w3) !== ABSENT;
    case 'ranges': {
      if (index.coversAll) return true;
      const slot = intervalOfIpv6(index.data, index.wordsAt, index.slotCount, w0 ^ SIGN, w1 ^ SIGN, w2 ^ SIGN, w3 ^ SIGN);
      return slotHasRules(index, slot);
    }
  }
}

/**
 * Appends to `out[count ..]` the rules of `index` (family 4) whose blocks hold the address and
 * returns the new count. `out` must have room for every rule of the index.
 */
export function collectCidrMatchesIpv4(index: CidrIndex, address: number, out: Int32Array, count: number): number {
  const data = index.data;
  switch (index.shape) {
    case 'none':
      return count;
    case 'single':
    case 'list': {
      const wordsAt = index.wordsAt;
      const masksAt = index.masksAt;
      for (let i = 0; i < index.slotCount; i++) {
        if ((address & (data[masksAt + i] ?? 0)) === data[wordsAt + i]) count = copySlot(index, i, out, count);
      }
      return count;
    }
    case 'hosts': {
      const slot = index.hosts4 === undefined ? ABSENT : index.hosts4.get(address);
      return slot === ABSENT ? count : copySlot(index, slot, out, count);
    }
    case 'ranges':
      return copySlot(index, rangeSlotIpv4(index, address), out, count);
  }
}

/** As `collectCidrMatchesIpv4`, for an IPv6 address (four signed words) and an index of family 6. */
export function collectCidrMatchesIpv6(
  index: CidrIndex,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  out: Int32Array,
  count: number,
): number {
  switch (index.shape) {
    case 'none':
      return count;
    case 'single':
    case 'list': {
      for (let i = 0; i < index.slotCount; i++) {
        if (blockHoldsIpv6(index, i, w0, w1, w2, w3)) count = copySlot(index, i, out, count);
      }
      return count;
    }
    case 'hosts': {
      const slot = index.hosts6 === undefined ? ABSENT : index.hosts6.get(w0, w1, w2, w3);
      return slot === ABSENT ? count : copySlot(index, slot, out, count);
    }
    case 'ranges': {
      const slot = intervalOfIpv6(index.data, index.wordsAt, index.slotCount, w0 ^ SIGN, w1 ^ SIGN, w2 ^ SIGN, w3 ^ SIGN);
      return copySlot(index, slot, out, count);
    }
  }
}

function blockHoldsIpv6(index: CidrIndex, i: number, w0: number, w1: number, w2: number, w3: number): boolean {
  const data = index.data;
  const n = index.wordsAt + i * 4;
  const m = index.masksAt + i * 4;
  return (
    (w0 & (data[m] ?? 0)) === data[n] &&
    (w1 & (data[m + 1] ?? 0)) === data[n + 1] &&
    (w2 & (data[m + 2] ?? 0)) === data[n + 2] &&
    (w3 & (data[m + 3] ?? 0)) === data[n + 3]
  );
}

function slotHasRules(index: CidrIndex, slot: number): boolean {
  const data = index.data;
  return (data[index.offsetsAt + slot + 1] ?? 0) > (data[index.offsetsAt + slot] ?? 0);
}

function copySlot(index: CidrIndex, slot: number, out: Int32Array, count: number): number {
  const data = index.data;
  const rulesAt = index.rulesAt;
  const end = rulesAt + (data[index.offsetsAt + slot + 1] ?? 0);
  for (let r = rulesAt + (data[index.offsetsAt + slot] ?? 0); r < end; r++) out[count++] = data[r] ?? 0;
  return count;
}

/** The interval of a `ranges` index (family 4) holding `address`. */
function rangeSlotIpv4(index: CidrIndex, address: number): number {
  const buckets = index.buckets;
  if (buckets.length === 0) return intervalOfIpv4(index.data, index.wordsAt, address ^ SIGN, 0, index.slotCount - 1);
  const h = address >>> 24;
  return intervalOfIpv4(index.data, index.wordsAt, address ^ SIGN, buckets[h] ?? 0, buckets[h + 1] ?? 0);
}

/**
 * The last interval in [lo, hi] whose (sign-flipped) start, at `data[startsAt + i]`, is ≤ `key`,
 * given that interval lo's is; interval 0 starts at address 0.
 */
function intervalOfIpv4(data: Int32Array, startsAt: number, key: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((data[startsAt + mid] ?? 0) <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** As `intervalOfIpv4` over all n intervals, comparing four sign-flipped words, most significant first. */
function intervalOfIpv6(
  data: Int32Array,
  startsAt: number,
  n: number,
  k0: number,
  k1: number,
  k2: number,
  k3: number,
): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const b = startsAt + mid * 4;
    const s0 = data[b] ?? 0;
    let startIsAfter: boolean;
    if (s0 !== k0) {
      startIsAfter = s0 > k0;
    } else {
      const s1 = data[b + 1] ?? 0;
      if (s1 !== k1) {
        startIsAfter = s1 > k1;
      } else {
        const s2 = data[b + 2] ?? 0;
        startIsAfter = s2 !== k2 ? s2 > k2 : (data[b + 3] ?? 0) > k3;
      }
    }
    if (startIsAfter) hi = mid - 1;
    else lo = mid;
  }
  return lo;
}

// ---- construction -----------------------------------------------------------------------------

interface Block {
  readonly network: bigint;
  readonly prefixLength: number;
  readonly rules: readonly number[];
}

interface Interval {
  readonly start: bigint;
  readonly rules: readonly number[];
}

/**
 * The numbers of one index in one array: `words` and `masks` words, then the compressed rows of
 * rule indexes (offsets, then the rules).
 */
class PackedData {
  readonly data: Int32Array;
  readonly wordsAt = 0;
  readonly masksAt: number;
  readonly offsetsAt: number;
  readonly rulesAt: number;

  constructor(wordCount: number, maskCount: number, rows: readonly (readonly number[])[]) {
    this.masksAt = wordCount;
    this.offsetsAt = wordCount + maskCount;
    this.rulesAt = this.offsetsAt + rows.length + 1;
    let total = 0;
    for (const row of rows) total += row.length;
    this.data = new Int32Array(this.rulesAt + total);
    let offset = 0;
    rows.forEach((row, i) => {
      this.data[this.offsetsAt + i] = offset;
      this.data.set(row, this.rulesAt + offset);
      offset += row.length;
    });
    this.data[this.offsetsAt + rows.length] = offset;
  }
}

// The data of every `none` index, shared.
const noBlocks = new PackedData(0, 0, []);

function cidrIndex(
  shape: CidrIndexShape,
  family: 4 | 6,
  coversAll: boolean,
  slotCount: number,
  packed: PackedData,
  hosts4?: Ipv4AddressTable,
  hosts6?: Ipv6AddressTable,
  buckets?: Int32Array,
): CidrIndex {
  // Every field in one fixed order: one hidden class for all shapes.
  return {
    shape,
    family,
    coversAll,
    slotCount,
    data: packed.data,
    wordsAt: packed.wordsAt,
    masksAt: packed.masksAt,
    offsetsAt: packed.offsetsAt,
    rulesAt: packed.rulesAt,
    hosts4,
    hosts6,
    buckets: buckets ?? EMPTY,
  };
}

function blockSize(prefixLength: number, width: number): bigint {
  return 1n << BigInt(width - prefixLength);
}

function maskOf(prefixLength: number, width: number): bigint {
  const all = (1n << BigInt(width)) - 1n;
  return (all << BigInt(width - prefixLength)) & all;
}

/** Drops each entry that lies inside another entry of the same rule (or repeats it). */
function pruneNested(entries: readonly CidrEntry[], width: number): CidrEntry[] {
  const byRule = new Map<number, CidrEntry[]>();
  for (const entry of entries) {
    const list = byRule.get(entry.rule);
    if (list === undefined) byRule.set(entry.rule, [entry]);
    else list.push(entry);
  }
  const kept: CidrEntry[] = [];
  for (const list of byRule.values()) {
    // By start, wider first: because blocks are laminar, an entry inside any kept block is inside
    // the last kept one.
    list.sort((a, b) => compareBigint(a.network, b.network) || a.prefixLength - b.prefixLength);
    let lastEnd = -1n;
    for (const entry of list) {
      if (entry.network < lastEnd) continue;
      kept.push(entry);
      lastEnd = entry.network + blockSize(entry.prefixLength, width);
    }
  }
  return kept;
}

/** Groups entries by block, in address order (wider first on a tie), each with its sorted rules. */
function distinctBlocks(entries: readonly CidrEntry[]): Block[] {
  const byKey = new Map<string, { network: bigint; prefixLength: number; rules: number[] }>();
  for (const entry of entries) {
    const key = `${entry.network}/${entry.prefixLength}`;
    const block = byKey.get(key);
    if (block === undefined) byKey.set(key, { network: entry.network, prefixLength: entry.prefixLength, rules: [entry.rule] });
    else block.rules.push(entry.rule);
  }
  const blocks = [...byKey.values()];
  for (const block of blocks) block.rules.sort((a, b) => a - b);
  blocks.sort((a, b) => compareBigint(a.network, b.network) || a.prefixLength - b.prefixLength);
  return blocks;
}

/**
 * Cuts the address space at every block boundary and lists, for each piece, the rules whose
 * blocks cover it; neighbours with the same rules are merged. The first interval starts at 0.
 */
function elementaryIntervals(blocks: readonly Block[], width: number): Interval[] {
  const end = 1n << BigInt(width);
  const events = new Map<bigint, { adds: number[]; removes: number[] }>();
  const eventAt = (position: bigint): { adds: number[]; removes: number[] } => {
    let event = events.get(position);
    if (event === undefined) {
      event = { adds: [], removes: [] };
      events.set(position, event);
    }
    return event;
  };
  eventAt(0n);
  for (const block of blocks) {
    eventAt(block.network).adds.push(...block.rules);
    const after = block.network + blockSize(block.prefixLength, width);
    if (after < end) eventAt(after).removes.push(...block.rules);
  }
  const positions = [...events.keys()].sort(compareBigint);
  // Rule → number of its blocks covering the current position (0 or 1 after pruning, but a
  // rule's adjacent blocks meet at one position, where it is removed and added at once).
  const active = new Map<number, number>();
  const intervals: Interval[] = [];
  let previous: readonly number[] | undefined;
  for (const position of positions) {
    const event = events.get(position);
    if (event === undefined) continue;
    for (const rule of event.removes) {
      const n = (active.get(rule) ?? 0) - 1;
      if (n === 0) active.delete(rule);
      else active.set(rule, n);
    }
    for (const rule of event.adds) active.set(rule, (active.get(rule) ?? 0) + 1);
    const rules = [...active.keys()].sort((a, b) => a - b);
    if (previous !== undefined && sameNumbers(previous, rules)) continue;
    intervals.push({ start: position, rules });
    previous = rules;
  }
  return intervals;
}

/** Writes `value` as `count` signed words (most significant first), optionally sign-flipped. */
function writeWords(value: bigint, count: number, out: Int32Array, offset: number, flipSign: boolean): void {
  for (let i = 0; i < count; i++) {
    const word = Number(BigInt.asIntN(32, value >> BigInt(32 * (count - 1 - i))));
    out[offset + i] = flipSign ? word ^ SIGN : word;
  }
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
