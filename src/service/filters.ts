import { filterLimitExceeded, invalidFilter } from '../domain/ec2-errors.js';
import { compileFilterPattern } from '../domain/filter-pattern.js';
import type { Tag } from '../domain/tag.js';

/** One `Filter.N` of a request: a name and its values. */
export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

/** For each filter name a resource supports, the values the resource has for it. */
export type FilterFields<T> = Readonly<Record<string, (resource: T) => Iterable<string | undefined>>>;

// UNCONFIRMED limits (spec/errors.md §3.5): at most 50 filters and 200 values in all.
const MAX_FILTERS = 50;
const MAX_FILTER_VALUES = 200;

/**
 * Compiles request filters into one predicate (spec/api.md §5.3 step 3): AND across filters, OR
 * across the values of one filter, wildcards per filter-pattern.ts; `tag:<key>`, `tag-key` and
 * `tag-value` work for every resource with tags. Throws InvalidParameterValue for an unknown name.
 */
export function compileFilters<T>(
  filters: readonly Filter[],
  fields: FilterFields<T>,
  tagsOf: ((resource: T) => readonly Tag[]) | undefined,
): (resource: T) => boolean {
  if (filters.length > MAX_FILTERS) throw filterLimitExceeded();
  if (filters.reduce((n, f) => n + f.values.length, 0) > MAX_FILTER_VALUES) throw filterLimitExceeded();
  const tests = filters.map((filter) => {
    const patterns = filter.values.map(compileFilterPattern);
    const matchesAny = (values: Iterable<string | undefined>): boolean => {
      for (const v of values) if (v !== undefined && patterns.some((p) => p(v))) return true;
      return false;
    };
    // Own keys only: a filter named `constructor` is unknown, not Object's constructor.
    const field = Object.hasOwn(fields, filter.name) ? fields[filter.name] : undefined;
    if (field !== undefined) return (resource: T) => matchesAny(field(resource));
    if (tagsOf !== undefined) {
      if (filter.name.startsWith('tag:')) {
        const key = filter.name.slice(4);
        return (resource: T) => matchesAny(tagsOf(resource).filter((t) => t.key === key).map((t) => t.value));
      }
      if (filter.name === 'tag-key') return (resource: T) => matchesAny(tagsOf(resource).map((t) => t.key));
      if (filter.name === 'tag-value') return (resource: T) => matchesAny(tagsOf(resource).map((t) => t.value));
    }
    throw invalidFilter(filter.name);
  });
  return (resource) => tests.every((test) => test(resource));
}
