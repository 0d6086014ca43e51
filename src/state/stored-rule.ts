import type { SecurityGroupRule } from '../domain/rule.js';

/**
 * How a rule is stored: its values as a JSON array in `RULE_FIELDS` order, not an object that
 * repeats every key. Rules are nearly every stored document, and at a million of them start-up
 * time is reading and parsing them (issue 12: restart at 1,000,000 rules). The array is about
 * 60 % of the bytes (137 against 262 on average), so there is less to read and parse.
 *
 * Only the store sees this form: the view, the feeds and the change records carry rule objects.
 * A stored object (written before schema version 4) is read as it is.
 */
const RULE_FIELDS = ['ruleId', 'groupId', 'groupOwnerId', 'region', 'direction', 'ipProtocol', 'fromPort', 'toPort', 'peer', 'description', 'tags', 'ordinal'] as const;

// A field added to SecurityGroupRule and missing above does not compile (it would not be stored).
type Unlisted = Exclude<keyof SecurityGroupRule, (typeof RULE_FIELDS)[number]>;
const EVERY_FIELD_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
void EVERY_FIELD_LISTED;

/** The stored form of a rule. An absent optional field is `null` (JSON has no undefined). */
export function storedRule(rule: SecurityGroupRule): unknown[] {
  return RULE_FIELDS.map((field) => rule[field] ?? null);
}

/** The rule a stored form holds: the array form, or an object stored before it. */
export function ruleFromStored(body: unknown): SecurityGroupRule {
  if (!Array.isArray(body)) return body as SecurityGroupRule;
  const v = body as unknown as StoredValues;
  // The usual shapes are built as object literals: V8 gives them their fields in the object itself,
  // where a rule built key by key keeps most of them in a separate array (48 bytes more per rule,
  // and more to collect: 0.4–0.9 s of a million-rule start-up). Anything else takes the loop.
  if (v.length === RULE_FIELDS.length && (v[6] === null) === (v[7] === null)) {
    const [ruleId, groupId, groupOwnerId, region, direction, ipProtocol, fromPort, toPort, peer, description, tags, ordinal] = v;
    if (fromPort === null || toPort === null)
      return description === null
        ? { ruleId, groupId, groupOwnerId, region, direction, ipProtocol, peer, tags, ordinal }
        : { ruleId, groupId, groupOwnerId, region, direction, ipProtocol, peer, description, tags, ordinal };
    return description === null
      ? { ruleId, groupId, groupOwnerId, region, direction, ipProtocol, fromPort, toPort, peer, tags, ordinal }
      : { ruleId, groupId, groupOwnerId, region, direction, ipProtocol, fromPort, toPort, peer, description, tags, ordinal };
  }
  // An absent optional field is left out rather than set to undefined: the rule is the object
  // that was stored, field for field.
  const rule: Record<string, unknown> = {};
  for (let i = 0; i < RULE_FIELDS.length; i++) {
    const value: unknown = body[i];
    if (value !== null && value !== undefined) rule[RULE_FIELDS[i] as string] = value;
  }
  return rule as unknown as SecurityGroupRule;
}

/** The values of a stored rule, in RULE_FIELDS order, as `storedRule` writes them. */
type StoredValues = ValuesOf<typeof RULE_FIELDS>;

/** Each field's type, `null` standing for an absent optional one. */
type ValuesOf<Fields extends readonly (keyof SecurityGroupRule)[]> = {
  readonly [I in keyof Fields]: undefined extends SecurityGroupRule[Fields[I]] ? Exclude<SecurityGroupRule[Fields[I]], undefined> | null : SecurityGroupRule[Fields[I]];
};
