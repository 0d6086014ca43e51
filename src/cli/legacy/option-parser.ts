import { missingOptionArgument, unrecognizedOption } from './cli-errors.js';
import type { OptionSpec } from './option-spec.js';

/**
 * The legacy tools' command line after parsing: option values by long name, flags, and the
 * positional arguments in order. Options may appear before or after positionals (spec/cli.md §1).
 */
export interface ParsedCommandLine {
  /** Values of valued options by long name, in order of appearance (one value unless repeatable). */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** Long names of the flags that were given. */
  readonly flags: ReadonlySet<string>;
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` (the arguments after the command name) against `specs`.
 *
 * A valued option always takes the next argument as its value, whatever it looks like, so
 * `-p -1` and `-t -1:-1` work; this is why we do not use a general-purpose parser. `--name=value`
 * is accepted for long options, `--` ends option parsing, and `-?` is `-h`. A repeated
 * non-repeatable option keeps its first value (spec/cli.md §3.2: "the first value is used").
 * Throws `UsageError` for an unknown option or a valued option at the end of the line.
 */
export function parseCommandLine(argv: readonly string[], specs: readonly OptionSpec[]): ParsedCommandLine {
  const byLong = new Map(specs.map((spec) => [spec.long, spec]));
  const byShort = new Map(specs.flatMap((spec) => (spec.short === undefined ? [] : [[spec.short, spec] as const])));
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inlineValue: string | undefined;
    if (token.startsWith('--') && token.length > 2) {
      const equals = token.indexOf('=');
      const name = equals === -1 ? token.slice(2) : token.slice(2, equals);
      spec = byLong.get(name);
      if (spec === undefined) throw unrecognizedOption(equals === -1 ? token : token.slice(0, equals));
      if (equals !== -1) {
        if (spec.valueName === undefined) throw unrecognizedOption(token);
        inlineValue = token.slice(equals + 1);
      }
    } else if (token.startsWith('-') && token.length > 1) {
      spec = token === '-?' ? byShort.get('h') : byShort.get(token.slice(1));
      if (spec === undefined || token.length !== 2) throw unrecognizedOption(token);
    } else {
      positionals.push(token);
      continue;
    }

    if (spec.valueName === undefined) {
      flags.add(spec.long);
      continue;
    }
    let value = inlineValue;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw missingOptionArgument(spec);
      i++;
    }
    const existing = values.get(spec.long);
    if (existing === undefined) values.set(spec.long, [value]);
    else if (spec.repeatable === true) existing.push(value);
  }
  return { values, flags, positionals };
}

/** Returns every value given for the option (empty when absent). */
export function optionValues(parsed: ParsedCommandLine, spec: OptionSpec): readonly string[] {
  return parsed.values.get(spec.long) ?? [];
}

/** Returns the option's value, or `undefined` when it was not given. */
export function optionValue(parsed: ParsedCommandLine, spec: OptionSpec): string | undefined {
  return parsed.values.get(spec.long)?.[0];
}

/** Reports whether the flag (or valued option) was given. */
export function hasOption(parsed: ParsedCommandLine, spec: OptionSpec): boolean {
  return parsed.flags.has(spec.long) || parsed.values.has(spec.long);
}

/**
 * Replaces every option value `-` with the lines read from stdin (spec/cli.md §1: "Any option
 * value may be `-`"). `readStdin` is called at most once, after `announce` has printed the
 * tools' `-- waiting for stdin --` notice. Blank lines are dropped; a non-repeatable option keeps
 * the first line.
 */
export async function withStdinValues(
  parsed: ParsedCommandLine,
  specs: readonly OptionSpec[],
  announce: () => void,
  readStdin: () => Promise<string>,
): Promise<ParsedCommandLine> {
  const wantsStdin = [...parsed.values.values()].some((list) => list.includes('-'));
  if (!wantsStdin) return parsed;
  announce();
  const lines = (await readStdin())
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const repeatable = new Set(specs.filter((spec) => spec.repeatable === true).map((spec) => spec.long));
  const values = new Map<string, readonly string[]>();
  for (const [name, list] of parsed.values) {
    const expanded = list.flatMap((value) => (value === '-' ? lines : [value]));
    values.set(name, repeatable.has(name) ? expanded : expanded.slice(0, 1));
  }
  return { values, flags: parsed.flags, positionals: parsed.positionals };
}
