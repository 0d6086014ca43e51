/**
 * One option of the legacy EC2 tools' syntax. Options are identified by their long name; the
 * value name appears in usage messages exactly as the Java tools print it
 * (`'-p, --port-range PORT-RANGE'`, spec/cli.md §2.3, §3.2).
 */
export interface OptionSpec {
  /** Long name without the leading dashes (`port-range`); the key of parsed values. */
  readonly long: string;
  /** Single-character short name without the dash (`p`), when the option has one. */
  readonly short?: string;
  /** Name of the value in messages and help (`PORT-RANGE`); absent for a flag. */
  readonly valueName?: string;
  /** Whether every occurrence adds a value; otherwise the first occurrence wins (spec/cli.md §3.2). */
  readonly repeatable?: boolean;
  /** One line of help, in our own words. */
  readonly help: string;
}

/** Returns the option as messages name it: `-p, --port-range PORT-RANGE`, `--egress`, `--region REGION`. */
export function optionDisplayName(spec: OptionSpec): string {
  const names = spec.short === undefined ? `--${spec.long}` : `-${spec.short}, --${spec.long}`;
  return spec.valueName === undefined ? names : `${names} ${spec.valueName}`;
}
