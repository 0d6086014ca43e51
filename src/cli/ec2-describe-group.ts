import { filterParams } from './legacy/describe-filters.js';
import type { CommandEnvironment } from './legacy/endpoint-config.js';
import { isGroupIdForDescribe } from './legacy/group-reference.js';
import type { CommandHelp } from './legacy/help-text.js';
import { runLegacyCommand, type CommandIo, type LegacyCommand } from './legacy/legacy-command.js';
import { optionValues } from './legacy/option-parser.js';
import type { OptionSpec } from './legacy/option-spec.js';
import type { QueryParams } from './legacy/query-client.js';
import { describeRecordLines, GROUP_HEADER_LINE } from './legacy/record-format.js';
import { securityGroupsFromDescribeResponse } from './legacy/response-xml.js';

const DESCRIBE_GROUP_OPTIONS = {
  filter: {
    long: 'filter',
    short: 'F',
    valueName: 'FILTER',
    repeatable: true,
    help: 'name=value, e.g. -F group-name=web*. Repeatable; repeats of one name match any of their values.',
  },
} as const satisfies Record<string, OptionSpec>;

/** The `-h` text of `ec2-describe-group` / `ec2dgrp`. */
export const EC2_DESCRIBE_GROUP_HELP: CommandHelp = {
  name: 'ec2-describe-group',
  aliases: ['ec2dgrp'],
  synopsis: '[GROUP ...] [-F FILTER ...]',
  description: [
    'Lists security groups and their rules: all of them, or the GROUPs named. A GROUP of the form',
    'sg- plus 8 lower-case hex digits is looked up as an ID, anything else as a name.',
  ],
  options: Object.values(DESCRIBE_GROUP_OPTIONS),
  output: [
    'Per group: GROUP id owner name description vpc-id, its ingress then egress PERMISSION lines',
    '(protocol -1 shown as all), then TAG GROUP id key value lines unless --hide-tags.',
  ],
};

/**
 * `ec2-describe-group`: DescribeSecurityGroups with `GroupId.N` / `GroupName.N` per argument
 * (spec/cli.md §3.1) and merged `Filter.N` (§4); prints the records of §5.1, §5.3, §5.4.
 */
export const ec2DescribeGroup: LegacyCommand = {
  help: EC2_DESCRIBE_GROUP_HELP,
  run: async (context) => {
    const filters = filterParams(optionValues(context.parsed, DESCRIBE_GROUP_OPTIONS.filter), DESCRIBE_GROUP_OPTIONS.filter);
    const params: [string, string][] = [];
    let ids = 0;
    let names = 0;
    for (const group of context.parsed.positionals) {
      if (isGroupIdForDescribe(group)) params.push([`GroupId.${++ids}`, group]);
      else params.push([`GroupName.${++names}`, group]);
    }
    const request: QueryParams = [...params, ...filters];
    const groups = await context.call('DescribeSecurityGroups', request, securityGroupsFromDescribeResponse);
    return [
      ...(context.headers ? [GROUP_HEADER_LINE] : []),
      ...describeRecordLines(groups, { ...context.records, hideTags: context.hideTags }),
    ];
  },
};

/** Runs `ec2-describe-group` with the arguments after the command name; returns the exit status. */
export function main(argv: readonly string[], env: CommandEnvironment, io: CommandIo): Promise<number> {
  return runLegacyCommand(ec2DescribeGroup, argv, env, io);
}
