/**
 * Hash tables from addresses to small non-negative integers, on typed arrays: open addressing with
 * linear probing, load factor at most 1/2, and backward-shift deletion (no tombstones, so lookups
 * stay short however many updates a table has seen). Lookups allocate nothing. Addresses are the
 * signed 32-bit words of peer-address.ts: one word for IPv4, four for IPv6.
 */

/** Returned by `get` when the address is absent. */
export const ABSENT = -1;

const MIN_CAPACITY = 8;
// An empty table holds no arrays of its own (a typed array costs ~150 bytes even when tiny, and a
// compiled policy without group peers keeps two empty tables); the first `set` allocates.
const NO_KEYS = new Int32Array(0);
const NO_USED = new Uint8Array(0);

/** The smallest power-of-two capacity that holds `size` entries at load factor 1/2 (0 for none). */
function capacityFor(size: number): number {
  if (size === 0) return 0;
  let capacity = MIN_CAPACITY;
  while (capacity < size * 2) capacity *= 2;
  return capacity;
}

/** MurmurHash3's 32-bit finaliser: every input bit reaches every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hash6(w0: number, w1: number, w2: number, w3: number): number {
  return mix(Math.imul(mix(Math.imul(mix(w0) ^ w1, 0x9e3779b1)) ^ w2, 0x9e3779b1) ^ w3);
}

/**
 * IPv4 address → value. `get` is O(1) expected; `set` and `delete` are O(1) expected, amortised
 * over the doublings of `set`.
 */
export class Ipv4AddressTable {
  #keys: Int32Array;
  #values: Int32Array;
  #used: Uint8Array;
  #mask: number;
  #size = 0;

  constructor(expectedSize = 0) {
    const capacity = capacityFor(expectedSize);
    this.#keys = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
    this.#values = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
    this.#used = capacity === 0 ? NO_USED : new Uint8Array(capacity);
    this.#mask = capacity - 1;
  }

  /** The number of addresses held. */
  get size(): number {
    return this.#size;
  }

  /** The value stored for `address`, or `ABSENT`. */
  get(address: number): number {
    if (this.#size === 0) return ABSENT;
    const keys = this.#keys;
    const used = this.#used;
    const mask = this.#mask;
    for (let i = mix(address) & mask; used[i] === 1; i = (i + 1) & mask) {
      if (keys[i] === address) return this.#values[i] ?? ABSENT;
    }
    return ABSENT;
  }

  /** Stores `value` (≥ 0) for `address`, replacing any earlier value. */
  set(address: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#used.length) this.#resize(capacityFor(this.#size + 1));
    const mask = this.#mask;
    let i = mix(address) & mask;
    while (this.#used[i] === 1) {
      if (this.#keys[i] === address) {
        this.#values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    this.#used[i] = 1;
    this.#keys[i] = address;
    this.#values[i] = value;
    this.#size++;
  }

  /** Removes `address`; reports whether it was present. */
  delete(address: number): boolean {
    if (this.#size === 0) return false;
    const mask = this.#mask;
    let i = mix(address) & mask;
    while (this.#used[i] === 1 && this.#keys[i] !== address) i = (i + 1) & mask;
    if (this.#used[i] !== 1) return false;
    // Backward shift: pull later entries of the probe run into the hole unless their home slot
    // lies cyclically in (hole, j], where moving them would put them before their home.
    for (let j = (i + 1) & mask; this.#used[j] === 1; j = (j + 1) & mask) {
      const key = this.#keys[j] ?? 0;
      const home = mix(key) & mask;
      if (!homeWithin(i, home, j)) {
        this.#keys[i] = key;
        this.#values[i] = this.#values[j] ?? 0;
        i = j;
      }
    }
    this.#used[i] = 0;
    this.#size--;
    return true;
  }

  /** Empties the table, sized again for `expectedSize` entries. */
  reset(expectedSize = 0): void {
    const capacity = capacityFor(expectedSize);
    if (capacity === this.#used.length) {
      this.#used.fill(0);
    } else {
      this.#keys = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
      this.#values = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
      this.#used = capacity === 0 ? NO_USED : new Uint8Array(capacity);
      this.#mask = capacity - 1;
    }
    this.#size = 0;
  }


  #resize(capacity: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const used = this.#used;
    this.#keys = new Int32Array(capacity);
    this.#values = new Int32Array(capacity);
    this.#used = new Uint8Array(capacity);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 1) this.set(keys[i] ?? 0, values[i] ?? 0);
    }
  }
}

/**
 * IPv6 address (four words) → value, with the same costs as `Ipv4AddressTable`.
 */
export class Ipv6AddressTable {
  // Four words per slot, slot i at keys[4i .. 4i+3].
  #keys: Int32Array;
  #values: Int32Array;
  #used: Uint8Array;
  #mask: number;
  #size = 0;

  constructor(expectedSize = 0) {
    const capacity = capacityFor(expectedSize);
    this.#keys = capacity === 0 ? NO_KEYS : new Int32Array(capacity * 4);
    this.#values = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
    this.#used = capacity === 0 ? NO_USED : new Uint8Array(capacity);
    this.#mask = capacity - 1;
  }

  /** The number of addresses held. */
  get size(): number {
    return this.#size;
  }

  /** The value stored for the address `w0..w3`, or `ABSENT`. */
  get(w0: number, w1: number, w2: number, w3: number): number {
    if (this.#size === 0) return ABSENT;
    const keys = this.#keys;
    const used = this.#used;
    const mask = this.#mask;
    for (let i = hash6(w0, w1, w2, w3) & mask; used[i] === 1; i = (i + 1) & mask) {
      const k = i * 4;
      if (keys[k + 3] === w3 && keys[k + 2] === w2 && keys[k + 1] === w1 && keys[k] === w0) {
        return this.#values[i] ?? ABSENT;
      }
    }
    return ABSENT;
  }

  /** Stores `value` (≥ 0) for the address, replacing any earlier value. */
  set(w0: number, w1: number, w2: number, w3: number, value: number): void {
    if ((this.#size + 1) * 2 > this.#used.length) this.#resize(capacityFor(this.#size + 1));
    const mask = this.#mask;
    let i = hash6(w0, w1, w2, w3) & mask;
    while (this.#used[i] === 1) {
      if (this.#equals(i, w0, w1, w2, w3)) {
        this.#values[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
    this.#used[i] = 1;
    const k = i * 4;
    this.#keys[k] = w0;
    this.#keys[k + 1] = w1;
    this.#keys[k + 2] = w2;
    this.#keys[k + 3] = w3;
    this.#values[i] = value;
    this.#size++;
  }

  /** Removes the address; reports whether it was present. */
  delete(w0: number, w1: number, w2: number, w3: number): boolean {
    if (this.#size === 0) return false;
    const mask = this.#mask;
    let i = hash6(w0, w1, w2, w3) & mask;
    while (this.#used[i] === 1 && !this.#equals(i, w0, w1, w2, w3)) i = (i + 1) & mask;
    if (this.#used[i] !== 1) return false;
    // Backward shift, as in Ipv4AddressTable.delete.
    const keys = this.#keys;
    for (let j = (i + 1) & mask; this.#used[j] === 1; j = (j + 1) & mask) {
      const k = j * 4;
      const home = hash6(keys[k] ?? 0, keys[k + 1] ?? 0, keys[k + 2] ?? 0, keys[k + 3] ?? 0) & mask;
      if (!homeWithin(i, home, j)) {
        keys.copyWithin(i * 4, k, k + 4);
        this.#values[i] = this.#values[j] ?? 0;
        i = j;
      }
    }
    this.#used[i] = 0;
    this.#size--;
    return true;
  }

  /** Empties the table, sized again for `expectedSize` entries. */
  reset(expectedSize = 0): void {
    const capacity = capacityFor(expectedSize);
    if (capacity === this.#used.length) {
      this.#used.fill(0);
    } else {
      this.#keys = capacity === 0 ? NO_KEYS : new Int32Array(capacity * 4);
      this.#values = capacity === 0 ? NO_KEYS : new Int32Array(capacity);
      this.#used = capacity === 0 ? NO_USED : new Uint8Array(capacity);
      this.#mask = capacity - 1;
    }
    this.#size = 0;
  }


  #equals(i: number, w0: number, w1: number, w2: number, w3: number): boolean {
    const k = i * 4;
    const keys = this.#keys;
    return keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3;
  }

  #resize(capacity: number): void {
    const keys = this.#keys;
    const values = this.#values;
    const used = this.#used;
    this.#keys = new Int32Array(capacity * 4);
    this.#values = new Int32Array(capacity);
    this.#used = new Uint8Array(capacity);
    this.#mask = capacity - 1;
    this.#size = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 1) {
        const k = i * 4;
        this.set(keys[k] ?? 0, keys[k + 1] ?? 0, keys[k + 2] ?? 0, keys[k + 3] ?? 0, values[i] ?? 0);
      }
    }
  }
}

/**
 * Reports whether slot `home` lies cyclically in (hole, j]: then the entry at `j` must stay, since
 * moving it into the hole would put it before its home slot (backward-shift deletion).
 */
function homeWithin(hole: number, home: number, j: number): boolean {
  return hole <= j ? hole < home && home <= j : hole < home || home <= j;
}
