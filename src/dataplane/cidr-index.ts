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
 * object shape for every `shape`, so the evaluator's property loads stay monomorphic.
 */
export interface CidrIndex {
  readonly shape: CidrIndexShape;
  readonly family: 4 | 6;
  /** Some block is /0: every address of the family matches (the boolean path stops here). */
  readonly coversAll: boolean;
  /** Number of slots: distinct blocks (`single`, `list`, `hosts`) or intervals (`ranges`). */
  readonly slotCount: number;
  /**
   * `single`/`list`: each block's network words. `ranges`: each interval's first address, with
   * the sign bit of every word flipped so that signed comparison orders addresses as unsigned.
   */
  readonly words: Int32Array;
  /** `single`/`list`: each block's netmask words. */
  readonly masks: Int32Array;
  /** Slot i's rules are `rules[offsets[i] .. offsets[i + 1])`, ascending (compressed rows). */
  readonly offsets: Int32Array;
  readonly rules: Int32Array;
  /** `hosts` of family 4: address → slot. */
  readonly hosts4: Ipv4AddressTable | undefined;
  /** `hosts` of family 6: address → slot. */
  readonly hosts6: Ipv6AddressTable | undefined;
}

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
    return cidrIndex({ shape: 'none', family, coversAll: false, slotCount: 0 });
  }
  const coversAll = blocks.some((block) => block.prefixLength === 0);
  const { offsets, rules } = compressedRows(blocks.map((block) => block.rules));
  if (blocks.length <= SMALL_LIST_MAX) {
    const words = new Int32Array(blocks.length * wordsPerAddress);
    const masks = new Int32Array(blocks.length * wordsPerAddress);
    blocks.forEach((block, i) => {
      writeWords(block.network, wordsPerAddress, words, i * wordsPerAddress, false);
      writeWords(maskOf(block.prefixLength, width), wordsPerAddress, masks, i * wordsPerAddress, false);
    });
    const shape = blocks.length === 1 ? 'single' : 'list';
    return cidrIndex({ shape, family, coversAll, slotCount: blocks.length, words, masks, offsets, rules });
  }
  if (blocks.every((block) => block.prefixLength === width)) {
    const scratch = new Int32Array(wordsPerAddress);
    if (family === 4) {
      const hosts4 = new Ipv4AddressTable(blocks.length);
      blocks.forEach((block, i) => {
        writeWords(block.network, 1, scratch, 0, false);
        hosts4.set(scratch[0] ?? 0, i);
      });
      return cidrIndex({ shape: 'hosts', family, coversAll, slotCount: blocks.length, offsets, rules, hosts4 });
    }
    const hosts6 = new Ipv6AddressTable(blocks.length);
    blocks.forEach((block, i) => {
      writeWords(block.network, 4, scratch, 0, false);
      hosts6.set(scratch[0] ?? 0, scratch[1] ?? 0, scratch[2] ?? 0, scratch[3] ?? 0, i);
    });
    return cidrIndex({ shape: 'hosts', family, coversAll, slotCount: blocks.length, offsets, rules, hosts6 });
  }
  const intervals = elementaryIntervals(blocks, width);
  const words = new Int32Array(intervals.length * wordsPerAddress);
  intervals.forEach((interval, i) => writeWords(interval.start, wordsPerAddress, words, i * wordsPerAddress, true));
  const rows = compressedRows(intervals.map((interval) => interval.rules));
  return cidrIndex({
    shape: 'ranges',
    family,
    coversAll,
    slotCount: intervals.length,
    words,
    offsets: rows.offsets,
    rules: rows.rules,
  });
}

/** Reports whether the IPv4 address (a signed word) lies in some block of `index` (family 4). */
export function cidrIndexContainsIpv4(index: CidrIndex, address: number): boolean {
  switch (index.shape) {
    case 'none':
      return false;
    case 'single':
      return (address & (index.masks[0] ?? 0)) === index.words[0];
    case 'list': {
      const words = index.words;
      const masks = index.masks;
      for (let i = 0; i < index.slotCount; i++) {
        if ((address & (masks[i] ?? 0)) === words[i]) return true;
      }
      return false;
    }
    case 'hosts':
      return index.hosts4 !== undefined && index.hosts4.get(address) !== ABSENT;
    case 'ranges': {
      if (index.coversAll) return true;
      const slot = intervalOfIpv4(index.words, index.slotCount, address ^ SIGN);
      return (index.offsets[slot + 1] ?? 0) > (index.offsets[slot] ?? 0);
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
      const slot = intervalOfIpv6(index.words, index.slotCount, w0 ^ SIGN, w1 ^ SIGN, w2 ^ SIGN, w3 ^ SIGN);
      return (index.offsets[slot + 1] ?? 0) > (index.offsets[slot] ?? 0);
    }
  }
}

/**
 * Appends to `out[count ..]` the rules of `index` (family 4) whose blocks hold the address and
 * returns the new count. `out` must have room for every rule of the index.
 */
export function collectCidrMatchesIpv4(index: CidrIndex, address: number, out: Int32Array, count: number): number {
  switch (index.shape) {
    case 'none':
      return count;
    case 'single':
    case 'list': {
      const words = index.words;
      const masks = index.masks;
      for (let i = 0; i < index.slotCount; i++) {
        if ((address & (masks[i] ?? 0)) === words[i]) count = copySlot(index, i, out, count);
      }
      return count;
    }
    case 'hosts': {
      const slot = index.hosts4 === undefined ? ABSENT : index.hosts4.get(address);
      return slot === ABSENT ? count : copySlot(index, slot, out, count);
    }
    case 'ranges':
      return copySlot(index, intervalOfIpv4(index.words, index.slotCount, address ^ SIGN), out, count);
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
      const slot = intervalOfIpv6(index.words, index.slotCount, w0 ^ SIGN, w1 ^ SIGN, w2 ^ SIGN, w3 ^ SIGN);
      return copySlot(index, slot, out, count);
    }
  }
}

function blockHoldsIpv6(index: CidrIndex, i: number, w0: number, w1: number, w2: number, w3: number): boolean {
  const words = index.words;
  const masks = index.masks;
  const k = i * 4;
  return (
    (w0 & (masks[k] ?? 0)) === words[k] &&
    (w1 & (masks[k + 1] ?? 0)) === words[k + 1] &&
    (w2 & (masks[k + 2] ?? 0)) === words[k + 2] &&
    (w3 & (masks[k + 3] ?? 0)) === words[k + 3]
  );
}

function copySlot(index: CidrIndex, slot: number, out: Int32Array, count: number): number {
  const rules = index.rules;
  const end = index.offsets[slot + 1] ?? 0;
  for (let r = index.offsets[slot] ?? 0; r < end; r++) out[count++] = rules[r] ?? 0;
  return count;
}

/** The last interval whose (sign-flipped) start is ≤ `key`; interval 0 starts at address 0. */
function intervalOfIpv4(starts: Int32Array, n: number, key: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** As `intervalOfIpv4`, comparing four sign-flipped words, most significant first. */
function intervalOfIpv6(starts: Int32Array, n: number, k0: number, k1: number, k2: number, k3: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const b = mid * 4;
    const s0 = starts[b] ?? 0;
    let startIsAfter: boolean;
    if (s0 !== k0) {
      startIsAfter = s0 > k0;
    } else {
      const s1 = starts[b + 1] ?? 0;
      if (s1 !== k1) {
        startIsAfter = s1 > k1;
      } else {
        const s2 = starts[b + 2] ?? 0;
        startIsAfter = s2 !== k2 ? s2 > k2 : (starts[b + 3] ?? 0) > k3;
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

function cidrIndex(fields: {
  shape: CidrIndexShape;
  family: 4 | 6;
  coversAll: boolean;
  slotCount: number;
  words?: Int32Array;
  masks?: Int32Array;
  offsets?: Int32Array;
  rules?: Int32Array;
  hosts4?: Ipv4AddressTable;
  hosts6?: Ipv6AddressTable;
}): CidrIndex {
  // Every field in one fixed order: one hidden class for all shapes.
  return {
    shape: fields.shape,
    family: fields.family,
    coversAll: fields.coversAll,
    slotCount: fields.slotCount,
    words: fields.words ?? EMPTY,
    masks: fields.masks ?? EMPTY,
    offsets: fields.offsets ?? EMPTY,
    rules: fields.rules ?? EMPTY,
    hosts4: fields.hosts4,
    hosts6: fields.hosts6,
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

function compressedRows(rows: readonly (readonly number[])[]): { offsets: Int32Array; rules: Int32Array } {
  const offsets = new Int32Array(rows.length + 1);
  let total = 0;
  rows.forEach((row, i) => {
    offsets[i] = total;
    total += row.length;
  });
  offsets[rows.length] = total;
  const rules = new Int32Array(total);
  rows.forEach((row, i) => rules.set(row, offsets[i] ?? 0));
  return { offsets, rules };
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
