import { requiredOptionMissing, requiredParameterMissing, unexpectedParameter } from './legacy/cli-errors.js';
import type { CommandEnvironment } from './legacy/endpoint-config.js';
import type { CommandHelp } from './legacy/help-text.js';
import { runLegacyCommand, type CommandIo, type LegacyCommand } from './legacy/legacy-command.js';
import { optionValue } from './legacy/option-parser.js';
import type { OptionSpec } from './legacy/option-spec.js';
import type { QueryParams } from './legacy/query-client.js';
import { CREATE_HEADER_LINE, formatCreatedGroupRecord } from './legacy/record-format.js';
import { groupIdFromCreateResponse } from './legacy/response-xml.js';

const CREATE_GROUP_OPTIONS = {
  description: { long: 'description', short: 'd', valueName: 'GROUP-DESCRIPTION', help: 'Description of the new group. Required.' },
  vpc: { long: 'vpc', short: 'c', valueName: 'VPC', help: 'Create the group in this VPC (vpc-…) instead of the default scope.' },
} as const satisfies Record<string, OptionSpec>;

/** The `-h` text of `ec2-create-group` / `ec2addgrp` / `ec2-add-group`. */
export const EC2_CREATE_GROUP_HELP: CommandHelp = {
  name: 'ec2-create-group',
  aliases: ['ec2addgrp', 'ec2-add-group'],
  synopsis: 'GROUP -d GROUP-DESCRIPTION [-c VPC]',
  description: [
    'Creates security group GROUP. Without -c the group is an EC2-Classic group (classic accounts)',
    'or a group of the default VPC (VPC-only accounts).',
  ],
  options: Object.values(CREATE_GROUP_OPTIONS),
  output: ['GROUP<TAB>new-group-id<TAB>name<TAB>description  (-H adds Type Id Name Description first)'],
};

/**
 * `ec2-create-group`: CreateSecurityGroup with `GroupName`, `GroupDescription` and optional
 * `VpcId` (spec/cli.md §4); prints the new ID with the name and description as sent (§5.2).
 * Checks `-d` before GROUP: it is a required option, like the credentials.
 */
export const ec2CreateGroup: LegacyCommand = {
  help: EC2_CREATE_GROUP_HELP,
  run: async (context) => {
    const description = optionValue(context.parsed, CREATE_GROUP_OPTIONS.description);
    if (description === undefined) throw requiredOptionMissing(CREATE_GROUP_OPTIONS.description);
    const [groupName, extra] = context.parsed.positionals;
    if (groupName === undefined) throw requiredParameterMissing('GROUP');
    if (extra !== undefined) throw unexpectedParameter(extra);
    const vpcId = optionValue(context.parsed, CREATE_GROUP_OPTIONS.vpc);
    const params: QueryParams = [
      ['GroupName', groupName],
      ['GroupDescription', description],
      ...(vpcId === undefined ? [] : [['VpcId', vpcId] as const]),
    ];
    const groupId = await context.call('CreateSecurityGroup', params, groupIdFromCreateResponse);
    return [
      ...(context.headers ? [CREATE_HEADER_LINE] : []),
      formatCreatedGroupRecord({ groupId, groupName, description }, context.records),
    ];
  },
};

/** Runs `ec2-create-group` with the arguments after the command name; returns the exit status. */
export function main(argv: readonly string[], env: CommandEnvironment, io: CommandIo): Promise<number> {
  return runLegacyCommand(ec2CreateGroup, argv, env, io);
}
