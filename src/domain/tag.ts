import { invalidParameterValue, tagKeyMalformed, tagLimitExceeded } from './ec2-errors.js';

/** A resource tag (botocore `Tag`). */
export interface Tag {
  readonly key: string;
  readonly value: string;
}

/** At most 50 tags per resource (spec/semantics.md §9, model). */
export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * Validates tags a caller wants to set: key 1–127 characters without the reserved `aws:` prefix,
 * value at most 256 (spec/semantics.md §5, model). Throws InvalidTagKey.Malformed or
 * InvalidParameterValue.
 */
export function validateTags(tags: readonly Tag[]): void {
  for (const tag of tags) {
    if (tag.key.length === 0) throw invalidParameterValue('Tag key cannot be empty');
    if (tag.key.toLowerCase().startsWith('aws:')) throw tagKeyMalformed();
    if ([...tag.key].length > 127)
      throw invalidParameterValue(`Tag key exceeds the maximum length of 127 characters`);
    if ([...tag.value].length > 256)
      throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters`);
  }
}

/** Returns `existing` with `added` set (overwriting equal keys). Throws TagLimitExceeded past 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): readonly Tag[] {
  const merged = new Map(existing.map((t) => [t.key, t.value]));
  for (const t of added) merged.set(t.key, t.value);
  if (merged.size > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
  return [...merged].map(([key, value]) => ({ key, value }));
}

/**
 * Returns `existing` without the tags DeleteTags names: a key alone removes it whatever its value;
 * a key with a value (even empty) only when the value matches; no tags at all removes every tag
 * (spec/api.md §5.12, model).
 */
export function removeTags(
  existing: readonly Tag[],
  removed: readonly { readonly key: string; readonly value?: string }[] | undefined,
): readonly Tag[] {
  if (removed === undefined) return existing.filter((t) => t.key.startsWith('aws:'));
  return existing.filter(
    (t) => !removed.some((r) => r.key === t.key && (r.value === undefined || r.value === t.value)),
  );
}
