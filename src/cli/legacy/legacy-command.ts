import { resolveEndpointConfig, type CommandEnvironment, type EndpointConfig } from './endpoint-config.js';
import { renderCliError } from './error-rendering.js';
import { GENERAL_OPTIONS, GENERAL_OPTION_LIST } from './general-options.js';
import { formatHelp, type CommandHelp } from './help-text.js';
import { createHttpTransport, type QueryTransport } from './http-transport.js';
import { hasOption, parseCommandLine, withStdinValues, type ParsedCommandLine } from './option-parser.js';
import { createQueryCall, type QueryCall } from './query-client.js';
import type { RecordOptions } from './record-format.js';

/** The process a legacy command talks to; tests pass fakes, `process-io.ts` the real one. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads all of stdin; called only for option values `-`. */
  readonly readStdin: () => Promise<string>;
  /** Makes the transport for one command run; defaults to node:http/https. */
  readonly createTransport?: (config: EndpointConfig) => QueryTransport;
  /** Clock for signing timestamps and wire-log lines; defaults to the system clock. */
  readonly now?: () => Date;
}

/** What a command's `run` gets: its parsed line, a signed Query client, and the output switches. */
export interface CommandContext {
  readonly parsed: ParsedCommandLine;
  readonly call: QueryCall;
  readonly records: RecordOptions;
  /** `-H` */
  readonly headers: boolean;
  /** `--hide-tags` */
  readonly hideTags: boolean;
}

/** One legacy command: its help (which lists its own options) and its behaviour. */
export interface LegacyCommand {
  readonly help: CommandHelp;
  /**
   * Checks the command's own arguments, sends its request(s) and returns the stdout lines.
   * Throws `UsageError`, `ServiceError` or `ConnectionError`; nothing is printed on failure.
   */
  run(context: CommandContext): Promise<readonly string[]>;
}

/**
 * Runs `command` with `argv` (the arguments after the command name) and returns the exit status:
 * 0 on success and for `-h`, 1 for any usage, connection or service error (spec/cli.md §8).
 * Order: parse (unknown options), `-h`, stdin values, credentials (`-O` then `-W`), then the
 * command's own checks and requests.
 */
export async function runLegacyCommand(
  command: LegacyCommand,
  argv: readonly string[],
  env: CommandEnvironment,
  io: CommandIo,
): Promise<number> {
  const specs = [...command.help.options, ...GENERAL_OPTION_LIST];
  let debug = false;
  let transport: QueryTransport | undefined;
  try {
    let parsed = parseCommandLine(argv, specs);
    debug = hasOption(parsed, GENERAL_OPTIONS.debug);
    if (hasOption(parsed, GENERAL_OPTIONS.help)) {
      io.stdout(formatHelp(command.help));
      return 0;
    }
    parsed = await withStdinValues(parsed, specs, () => io.stdout('-- waiting for stdin --\n'), io.readStdin);
    const config = resolveEndpointConfig(parsed, env);
    // The tools' own spelling (sic), spec/cli.md §2.2.
    if (debug) io.stdout(`Using AWS acces key: ${config.accessKeyId}\n`);
    transport = (io.createTransport ?? createHttpTransport)(config);
    const verbose = hasOption(parsed, GENERAL_OPTIONS.verbose);
    const call = createQueryCall({
      config,
      transport,
      now: io.now ?? (() => new Date()),
      wireLog: verbose ? (line) => io.stdout(`${line}\n`) : undefined,
    });
    const lines = await command.run({
      parsed,
      call,
      records: { showEmptyFields: hasOption(parsed, GENERAL_OPTIONS.showEmptyFields) },
      headers: hasOption(parsed, GENERAL_OPTIONS.headers),
      hideTags: hasOption(parsed, GENERAL_OPTIONS.hideTags),
    });
    if (lines.length > 0) io.stdout(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    io.stderr(renderCliError(error, debug));
    return 1;
  } finally {
    transport?.close();
  }
}
