import { invalidOptionArgument } from './cli-errors.js';
import type { OptionSpec } from './option-spec.js';
import type { QueryParams } from './query-client.js';

/**
 * Returns the `Filter.N.Name` / `Filter.N.Value.M` parameters for `-F name=value` arguments.
 * Repeats of one name merge into one filter whose values keep their order; different names get
 * separate filters in order of first appearance (spec/cli.md §4 [observed-cli]). The value is
 * everything after the first `=`. Throws `UsageError` for an argument without `=` or with an
 * empty name (UNCONFIRMED message; the spec quotes none).
 */
export function filterParams(filters: readonly string[], filterOption: OptionSpec): QueryParams {
  const valuesByName = new Map<string, string[]>();
  for (const filter of filters) {
    const equals = filter.indexOf('=');
    if (equals <= 0) throw invalidOptionArgument(filterOption, filter);
    const name = filter.slice(0, equals);
    const value = filter.slice(equals + 1);
    const values = valuesByName.get(name);
    if (values === undefined) valuesByName.set(name, [value]);
    else values.push(value);
  }
  const params: [string, string][] = [];
  let n = 0;
  for (const [name, values] of valuesByName) {
    n++;
    params.push([`Filter.${n}.Name`, name]);
    values.forEach((value, m) => params.push([`Filter.${n}.Value.${m + 1}`, value]));
  }
  return params;
}
