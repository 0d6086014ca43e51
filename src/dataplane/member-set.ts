import { Ipv4AddressTable, Ipv6AddressTable, ABSENT } from './address-table.js';
import { decodePeerAddress } from './peer-address.js';

// Scratch for decoding one address in `add`/`delete`/`replace` (see peer-address.ts).
const WORDS = new Int32Array(4);

/**
 * The current private addresses of one referenced security group's members (spec/semantics.md
 * §10: a group peer matches the private IPs of the interfaces in that group). A compiled policy
 * holds one per referenced group and every rule naming that group points at it, so a membership
 * change is one update here, not a recompilation. Both families live in hash sets (one word per
 * IPv4 address, four per IPv6), whatever the size: membership changes one address at a time, and
 * a sorted structure would make each change O(n).
 */
export class MemberSet {
  /** The group whose members these are. */
  readonly groupId: string;
  readonly #ipv4 = new Ipv4AddressTable();
  readonly #ipv6 = new Ipv6AddressTable();

  /** A set holding `addresses`; texts that are not addresses are ignored (they admit nothing). */
  constructor(groupId: string, addresses: readonly string[] = []) {
    this.groupId = groupId;
    this.replace(addresses);
  }

  /** The number of distinct member addresses, both families. */
  get size(): number {
    return this.#ipv4.size + this.#ipv6.size;
  }

  /** Reports whether the IPv4 address (a signed word, peer-address.ts) is a member. O(1) expected. */
  containsIpv4(address: number): boolean {
    return this.#ipv4.get(address) !== ABSENT;
  }

  /** Reports whether the IPv6 address (four signed words) is a member. O(1) expected. */
  containsIpv6(w0: number, w1: number, w2: number, w3: number): boolean {
    return this.#ipv6.get(w0, w1, w2, w3) !== ABSENT;
  }

  /**
   * Makes `addresses` the whole membership. O(n + m) for n old and m new addresses: the tables are
   * emptied (or reallocated to fit m) and refilled.
   */
  replace(addresses: readonly string[]): void {
    let ipv4Count = 0;
    for (const address of addresses) if (address.indexOf(':') === -1) ipv4Count++;
    this.#ipv4.reset(ipv4Count);
    this.#ipv6.reset(addresses.length - ipv4Count);
    for (const address of addresses) this.add(address);
  }

  /** Adds one address; reports whether it is an address (present before or not). O(1) expected. */
  add(address: string): boolean {
    const family = decodePeerAddress(address, WORDS);
    if (family === 4) {
      this.#ipv4.set(WORDS[0] ?? 0, 0);
    } else if (family === 6) {
      this.#ipv6.set(WORDS[0] ?? 0, WORDS[1] ?? 0, WORDS[2] ?? 0, WORDS[3] ?? 0, 0);
    }
    return family !== 0;
  }

  /** Removes one address; reports whether it was a member. O(1) expected. */
  delete(address: string): boolean {
    const family = decodePeerAddress(address, WORDS);
    if (family === 4) return this.#ipv4.delete(WORDS[0] ?? 0);
    if (family === 6) return this.#ipv6.delete(WORDS[0] ?? 0, WORDS[1] ?? 0, WORDS[2] ?? 0, WORDS[3] ?? 0);
    return false;
  }
}
