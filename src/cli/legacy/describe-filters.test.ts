import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from './cli-error.js';
import { filterParams } from './describe-filters.js';
import type { OptionSpec } from './option-spec.js';

const FILTER: OptionSpec = { long: 'filter', short: 'F', valueName: 'FILTER', repeatable: true, help: '' };
const encode = (filters: string[]): string => new URLSearchParams(filterParams(filters, FILTER).map(([n, v]): [string, string] => [n, v])).toString().replaceAll('%2A', '*');

describe('filterParams (spec/cli.md §4)', () => {
  const rows: { name: string; filters: string[]; want: string }[] = [
    // The spec's own example, byte for byte (except that URLSearchParams keeps `*`, as the spec's text does).
    {
      name: 'spec example',
      filters: ['ip-permission.from-port=22', 'group-name=web*', 'group-name=db'],
      want: 'Filter.1.Name=ip-permission.from-port&Filter.1.Value.1=22&Filter.2.Name=group-name&Filter.2.Value.1=web*&Filter.2.Value.2=db',
    },
    { name: 'none', filters: [], want: '' },
    { name: 'value containing =', filters: ['tag:k=a=b'], want: 'Filter.1.Name=tag%3Ak&Filter.1.Value.1=a%3Db' },
    { name: 'empty value', filters: ['description='], want: 'Filter.1.Name=description&Filter.1.Value.1=' },
    {
      name: 'order of first appearance',
      filters: ['b=1', 'a=2', 'b=3'],
      want: 'Filter.1.Name=b&Filter.1.Value.1=1&Filter.1.Value.2=3&Filter.2.Name=a&Filter.2.Value.1=2',
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(encode(row.filters), row.want));

  for (const bad of ['group-name', '=web']) {
    it(`rejects ${bad}`, () => {
      assert.throws(
        () => filterParams([bad], FILTER),
        (error: unknown) => error instanceof UsageError && error.message === `Invalid argument for option '-F, --filter FILTER': '${bad}' (-h for usage)`,
      );
    });
  }
});
