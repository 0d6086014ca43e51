import { GENERAL_OPTION_LIST } from './general-options.js';
import { optionDisplayName, type OptionSpec } from './option-spec.js';

/** What one command's `-h` says besides the general options. */
export interface CommandHelp {
  /** `ec2-authorize` */
  readonly name: string;
  readonly aliases: readonly string[];
  /** Arguments after the command name and `[GENERAL OPTIONS]`. */
  readonly synopsis: string;
  /** Paragraphs, each one line of text. */
  readonly description: readonly string[];
  readonly options: readonly OptionSpec[];
  /** Lines describing what is printed. */
  readonly output: readonly string[];
}

/** Returns the complete `-h` text (newline-terminated), in our own words. */
export function formatHelp(help: CommandHelp): string {
  const lines = [
    'SYNOPSIS',
    `   ${help.name} [GENERAL OPTIONS] ${help.synopsis}`,
    ...(help.aliases.length === 0 ? [] : [`   (also installed as ${help.aliases.join(', ')})`]),
    '',
    'DESCRIPTION',
    ...help.description.map((paragraph) => `   ${paragraph}`),
    '',
  ];
  if (help.options.length > 0) lines.push('SPECIFIC OPTIONS', ...optionLines(help.options), '');
  lines.push(
    'GENERAL OPTIONS',
    ...optionLines(GENERAL_OPTION_LIST),
    '',
    'ENVIRONMENT',
    '   AWS_ACCESS_KEY, AWS_SECRET_KEY   Defaults for -O and -W.',
    '   AWS_DELEGATION_TOKEN             Default for -T.',
    '   EC2_URL                          Default for -U.',
    '   EC2_REGION                       Region whose public endpoint is used when none of --region, -U',
    '                                    and EC2_URL is given. The Java ec2-api-tools 1.6.7.1 ignore',
    '                                    EC2_REGION; these commands honour it as that last default.',
    '   Without any of these the endpoint is https://ec2.amazonaws.com (us-east-1).',
    '',
    'OUTPUT',
    ...help.output.map((line) => `   ${line}`),
    '   Fields are separated by TABs. Errors go to stderr as Client.<Code>: <Message> (HTTP 4xx)',
    '   or Service.<Code>: <Message> (HTTP 5xx); the exit status is then 1.',
  );
  return `${lines.join('\n')}\n`;
}

function optionLines(options: readonly OptionSpec[]): string[] {
  return options.flatMap((spec) => [`   ${optionDisplayName(spec)}`, `        ${spec.help}`]);
}
