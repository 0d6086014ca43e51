/**
 * Which rule of a group has a given identity key (domain/rule-identity.ts), for duplicate and
 * revoke matching in O(1), without keeping the keys: a group's map is keyed by a 32-bit hash of
 * the key, and a hit is confirmed by recomputing the candidate's key (`sameRule`). Keeping every
 * key string cost ~80 bytes per stored rule (issue 12: memory per rule); a lookup that finds
 * nothing — every new rule — costs one hash, and one that finds something costs one key more.
 */
export class RuleIdentityIndex {
  /** group ID → key hash → rule ID (or IDs, when two keys of one group share a hash). */
  readonly #groups = new Map<string, Map<number, string | string[]>>();

  add(groupId: string, identityKey: string, ruleId: string): void {
    let group = this.#groups.get(groupId);
    if (group === undefined) this.#groups.set(groupId, (group = new Map()));
    const hash = hashKey(identityKey);
    const present = group.get(hash);
    if (present === undefined) group.set(hash, ruleId);
    else if (typeof present === 'string') group.set(hash, present === ruleId ? ruleId : [present, ruleId]);
    else if (!present.includes(ruleId)) present.push(ruleId);
  }

  remove(groupId: string, identityKey: string, ruleId: string): void {
    const group = this.#groups.get(groupId);
    if (group === undefined) return;
    const hash = hashKey(identityKey);
    const present = group.get(hash);
    if (present === ruleId) group.delete(hash);
    else if (Array.isArray(present)) {
      const rest = present.filter((id) => id !== ruleId);
      if (rest.length === 1) group.set(hash, rest[0] as string);
      else group.set(hash, rest);
    }
  }

  /** The rule of the group whose identity key is `identityKey`, as confirmed by `sameRule`. */
  find(groupId: string, identityKey: string, sameRule: (ruleId: string) => boolean): string | undefined {
    const present = this.#groups.get(groupId)?.get(hashKey(identityKey));
    if (present === undefined) return undefined;
    if (typeof present === 'string') return sameRule(present) ? present : undefined;
    return present.find(sameRule);
  }

  deleteGroup(groupId: string): void {
    this.#groups.delete(groupId);
  }

  clear(): void {
    this.#groups.clear();
  }
}

/** FNV-1a over the key's UTF-16 code units: fast, well spread for short ASCII keys. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 0;
}
