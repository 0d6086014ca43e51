import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from './cli-error.js';
import { optionValue, optionValues, parseCommandLine, withStdinValues, type ParsedCommandLine } from './option-parser.js';
import { optionDisplayName, type OptionSpec } from './option-spec.js';

const SPECS: readonly OptionSpec[] = [
  { long: 'protocol', short: 'P', valueName: 'PROTOCOL', help: '' },
  { long: 'port-range', short: 'p', valueName: 'PORT-RANGE', help: '' },
  { long: 'icmp-type-code', short: 't', valueName: 'TYPE:CODE', help: '' },
  { long: 'cidr', short: 's', valueName: 'CIDR', repeatable: true, help: '' },
  { long: 'egress', help: '' },
  { long: 'help', short: 'h', help: '' },
  { long: 'region', valueName: 'REGION', help: '' },
];
const spec = (long: string): OptionSpec => SPECS.find((s) => s.long === long) ?? assert.fail(long);

function snapshot(parsed: ParsedCommandLine): object {
  return { values: Object.fromEntries(parsed.values), flags: [...parsed.flags], positionals: parsed.positionals };
}

describe('parseCommandLine', () => {
  const rows: { name: string; argv: string[]; want: object }[] = [
    // Values that start with a dash are values, never options (spec/cli.md §3.2 examples).
    { name: '-p -1', argv: ['web', '-p', '-1'], want: { values: { 'port-range': ['-1'] }, flags: [], positionals: ['web'] } },
    { name: '-t -1:-1', argv: ['-t', '-1:-1', 'web'], want: { values: { 'icmp-type-code': ['-1:-1'] }, flags: [], positionals: ['web'] } },
    { name: 'value that looks like an option', argv: ['web', '-P', '--egress'], want: { values: { protocol: ['--egress'] }, flags: [], positionals: ['web'] } },
    { name: 'value -h is not help', argv: ['web', '-P', '-h'], want: { values: { protocol: ['-h'] }, flags: [], positionals: ['web'] } },
    // Options before and after GROUP (spec/cli.md §1).
    {
      name: 'options around the positional',
      argv: ['--egress', 'sg-1', '-P', 'tcp'],
      want: { values: { protocol: ['tcp'] }, flags: ['egress'], positionals: ['sg-1'] },
    },
    // Repeatable options collect; others keep the first value (spec/cli.md §3.2).
    {
      name: 'repeated -s',
      argv: ['web', '-s', '10.0.0.0/8', '-s', '192.0.2.0/24'],
      want: { values: { cidr: ['10.0.0.0/8', '192.0.2.0/24'] }, flags: [], positionals: ['web'] },
    },
    { name: 'repeated -p keeps first', argv: ['web', '-p', '22', '-p', '80'], want: { values: { 'port-range': ['22'] }, flags: [], positionals: ['web'] } },
    // Long forms.
    { name: '--long value', argv: ['--port-range', '80-84', 'web'], want: { values: { 'port-range': ['80-84'] }, flags: [], positionals: ['web'] } },
    { name: '--long=value', argv: ['--port-range=80', 'web'], want: { values: { 'port-range': ['80'] }, flags: [], positionals: ['web'] } },
    { name: 'long-only option', argv: ['--region', 'eu-west-1'], want: { values: { region: ['eu-west-1'] }, flags: [], positionals: [] } },
    // -? is -h; -- ends the options.
    { name: '-?', argv: ['-?'], want: { values: {}, flags: ['help'], positionals: [] } },
    { name: '--', argv: ['-P', 'tcp', '--', '-weird', '-p'], want: { values: { protocol: ['tcp'] }, flags: [], positionals: ['-weird', '-p'] } },
    { name: 'lone dash is a positional', argv: ['-'], want: { values: {}, flags: [], positionals: ['-'] } },
  ];
  for (const row of rows) {
    it(row.name, () => assert.deepEqual(snapshot(parseCommandLine(row.argv, SPECS)), row.want));
  }

  const errors: { name: string; argv: string[]; message: string }[] = [
    // spec/cli.md §2.3, verbatim.
    { name: 'unknown long option', argv: ['web', '--bogus'], message: 'Unrecognized option: --bogus (use -h for usage)' },
    { name: 'unknown short option', argv: ['-x', 'web'], message: 'Unrecognized option: -x (use -h for usage)' },
    { name: 'unknown long option with value', argv: ['--bogus=1'], message: 'Unrecognized option: --bogus (use -h for usage)' },
    { name: 'clustered short options', argv: ['-p80'], message: 'Unrecognized option: -p80 (use -h for usage)' },
    { name: 'flag given a value', argv: ['--egress=yes'], message: 'Unrecognized option: --egress=yes (use -h for usage)' },
    { name: 'valued option at the end', argv: ['web', '-p'], message: "Missing argument for option '-p, --port-range PORT-RANGE' (-h for usage)" },
  ];
  for (const row of errors) {
    it(`rejects: ${row.name}`, () => {
      assert.throws(() => parseCommandLine(row.argv, SPECS), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.message, row.message);
        return true;
      });
    });
  }
});

describe('optionDisplayName', () => {
  it('names options as the tools do', () => {
    assert.equal(optionDisplayName(spec('port-range')), '-p, --port-range PORT-RANGE');
    assert.equal(optionDisplayName(spec('egress')), '--egress');
    assert.equal(optionDisplayName(spec('region')), '--region REGION');
    assert.equal(optionDisplayName(spec('help')), '-h, --help');
  });
});

describe('withStdinValues', () => {
  it('replaces - with stdin lines after announcing', async () => {
    const parsed = parseCommandLine(['web', '-s', '-', '-P', '-', '-s', '10.9.0.0/16'], SPECS);
    const events: string[] = [];
    const result = await withStdinValues(
      parsed,
      SPECS,
      () => events.push('announce'),
      async () => {
        events.push('read');
        return '10.0.0.0/8\n\n 192.0.2.0/24 \r\n';
      },
    );
    assert.deepEqual(events, ['announce', 'read']);
    assert.deepEqual(optionValues(result, spec('cidr')), ['10.0.0.0/8', '192.0.2.0/24', '10.9.0.0/16']);
    // Non-repeatable: the first line.
    assert.equal(optionValue(result, spec('protocol')), '10.0.0.0/8');
  });

  it('does not touch stdin when no value is -', async () => {
    const parsed = parseCommandLine(['web', '-p', '-1'], SPECS);
    const result = await withStdinValues(parsed, SPECS, () => assert.fail('announced'), async () => assert.fail('read'));
    assert.equal(result, parsed);
  });
});
