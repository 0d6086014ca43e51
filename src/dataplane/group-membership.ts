import { ABSENT, Ipv4AddressTable, Ipv6AddressTable } from './address-table.js';
import { decodePeerAddress } from './peer-address.js';

// Scratch for decoding one address in the update methods (see peer-address.ts).
const WORDS = new Int32Array(4);
const BITS_PER_WORD = 32;
// The bitsets of a membership without members yet: allocated on the first member.
const NO_BITS = new Int32Array(0);

/**
 * The current private addresses of the members of every group a compiled policy references
 * (spec/semantics.md §10: a group peer matches the private IPs of the interfaces in the group),
 * kept as ONE index per policy: address → row, and per row a bitset of the referenced groups the
 * address belongs to. A flow's address is looked up once, whatever the number of group peers; a
 * rule class then tests its own bitset of groups against the row, one AND per 32 groups.
 *
 * Membership changes apply here in place and no rule class changes, so they never need a new
 * compilation: `replace` is O(n + m) for n old and m new members of the group, `add` and `delete`
 * O(1) expected (plus O(g / 32) to free a row, g referenced groups).
 */
export class GroupMembership {
  /** The referenced groups; a group's position is its bit. */
  readonly groupIds: readonly string[];
  /** 32-bit words per row: ⌈groups / 32⌉, at least 1. */
  readonly wordsPerRow: number;
  readonly #bitOf: ReadonlyMap<string, number>;
  readonly #ipv4 = new Ipv4AddressTable();
  readonly #ipv6 = new Ipv6AddressTable();
  // Row r's bitset is #bits[r·wordsPerRow ..]; rows of addresses that left every group are reused.
  #bits: Int32Array;
  #rowCount = 0;
  readonly #freeRows: number[] = [];
  // Each group's current members, as address keys (see `keyOf`), for `replace`.
  readonly #members: Set<string>[];

  /** An index of `groupIds` (without repeats), all with no members yet. */
  constructor(groupIds: readonly string[]) {
    this.groupIds = [...groupIds];
    this.wordsPerRow = Math.max(1, Math.ceil(groupIds.length / BITS_PER_WORD));
    this.#bitOf = new Map(groupIds.map((groupId, i) => [groupId, i]));
    this.#members = groupIds.map(() => new Set<string>());
    this.#bits = NO_BITS;
  }

  /** The bit (position) of `groupId`, or -1 when the policy does not reference it. */
  bitOf(groupId: string): number {
    return this.#bitOf.get(groupId) ?? -1;
  }

  /** The number of distinct member addresses of `groupId`. */
  memberCount(groupId: string): number {
    return this.#members[this.bitOf(groupId)]?.size ?? 0;
  }

  /** The row of an IPv4 address (a signed word), or -1 when it is in no referenced group. O(1). */
  rowOfIpv4(address: number): number {
    return this.#ipv4.get(address);
  }

  /** The row of an IPv6 address (four signed words), or -1. O(1) expected. */
  rowOfIpv6(w0: number, w1: number, w2: number, w3: number): number {
    return this.#ipv6.get(w0, w1, w2, w3);
  }

  /** Reports whether `row` (≥ 0) holds any group of `groupBits` (a bitset of `wordsPerRow` words). */
  rowHasAnyOf(row: number, groupBits: Int32Array): boolean {
    const bits = this.#bits;
    const base = row * this.wordsPerRow;
    for (let w = 0; w < groupBits.length; w++) {
      if (((bits[base + w] ?? 0) & (groupBits[w] ?? 0)) !== 0) return true;
    }
    return false;
  }

  /** Reports whether `row` (≥ 0) holds group number `bit`. */
  rowHas(row: number, bit: number): boolean {
    return ((this.#bits[row * this.wordsPerRow + (bit >>> 5)] ?? 0) & (1 << (bit & 31))) !== 0;
  }

  /** A bitset of `wordsPerRow` words with the bits of `groupIds` set (unknown IDs ignored). */
  bitsOf(groupIds: Iterable<string>): Int32Array {
    const bits = new Int32Array(this.wordsPerRow);
    for (const groupId of groupIds) {
      const bit = this.bitOf(groupId);
      if (bit >= 0) bits[bit >>> 5] = (bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    }
    return bits;
  }

  /**
   * Makes `addresses` the members of `groupId`; texts that are not addresses are ignored. Reports
   * whether the group is referenced (if not, nothing changes). O(n + m).
   */
  replace(groupId: string, addresses: readonly string[]): boolean {
    const bit = this.bitOf(groupId);
    const members = this.#members[bit];
    if (members === undefined) return false;
    for (const key of [...members]) this.#removeKey(bit, key);
    for (const address of addresses) this.add(groupId, address);
    return true;
  }

  /** Adds one member address; reports whether the group is referenced and `address` is one. */
  add(groupId: string, address: string): boolean {
    const bit = this.bitOf(groupId);
    const members = this.#members[bit];
    const key = keyOf(address);
    if (members === undefined || key === undefined) return false;
    if (members.has(key)) return true;
    members.add(key);
    let row = this.#rowOfKey(key);
    if (row === ABSENT) {
      row = this.#newRow();
      this.#setRowOfKey(key, row);
    }
    const at = row * this.wordsPerRow + (bit >>> 5);
    this.#bits[at] = (this.#bits[at] ?? 0) | (1 << (bit & 31));
    return true;
  }

  /** Removes one member address; reports whether it was a member of `groupId`. */
  delete(groupId: string, address: string): boolean {
    const bit = this.bitOf(groupId);
    const key = keyOf(address);
    if (bit < 0 || key === undefined || this.#members[bit]?.has(key) !== true) return false;
    this.#removeKey(bit, key);
    return true;
  }

  #removeKey(bit: number, key: string): void {
    this.#members[bit]?.delete(key);
    const row = this.#rowOfKey(key);
    if (row === ABSENT) return;
    const base = row * this.wordsPerRow;
    const at = base + (bit >>> 5);
    this.#bits[at] = (this.#bits[at] ?? 0) & ~(1 << (bit & 31));
    for (let w = 0; w < this.wordsPerRow; w++) if (this.#bits[base + w] !== 0) return;
    // In no referenced group any more: forget the address and reuse its row.
    this.#deleteKey(key);
    this.#freeRows.push(row);
  }

  #newRow(): number {
    const reused = this.#freeRows.pop();
    if (reused !== undefined) return reused;
    const row = this.#rowCount++;
    if ((row + 1) * this.wordsPerRow > this.#bits.length) {
      const grown = new Int32Array(Math.max(16 * this.wordsPerRow, this.#bits.length * 2));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    return row;
  }

  #rowOfKey(key: string): number {
    decodeKey(key);
    return key.startsWith('4')
      ? this.#ipv4.get(WORDS[0] ?? 0)
      : this.#ipv6.get(WORDS[0] ?? 0, WORDS[1] ?? 0, WORDS[2] ?? 0, WORDS[3] ?? 0);
  }

  #setRowOfKey(key: string, row: number): void {
    decodeKey(key);
    if (key.startsWith('4')) this.#ipv4.set(WORDS[0] ?? 0, row);
    else this.#ipv6.set(WORDS[0] ?? 0, WORDS[1] ?? 0, WORDS[2] ?? 0, WORDS[3] ?? 0, row);
  }

  #deleteKey(key: string): void {
    decodeKey(key);
    if (key.startsWith('4')) this.#ipv4.delete(WORDS[0] ?? 0);
    else this.#ipv6.delete(WORDS[0] ?? 0, WORDS[1] ?? 0, WORDS[2] ?? 0, WORDS[3] ?? 0);
  }
}

/**
 * One key per address whatever its spelling (`2001:DB8::1` and `2001:db8:0::1` are one member):
 * `4:<word>` or `6:<w0>:<w1>:<w2>:<w3>`. Undefined for a text that is not an address.
 */
function keyOf(address: string): string | undefined {
  const family = decodePeerAddress(address, WORDS);
  if (family === 4) return `4:${WORDS[0] ?? 0}`;
  if (family === 6) return `6:${WORDS[0] ?? 0}:${WORDS[1] ?? 0}:${WORDS[2] ?? 0}:${WORDS[3] ?? 0}`;
  return undefined;
}

/** Writes the words of a key made by `keyOf` into WORDS. */
function decodeKey(key: string): void {
  const parts = key.split(':');
  for (let i = 1; i < parts.length; i++) WORDS[i - 1] = Number(parts[i]);
}
