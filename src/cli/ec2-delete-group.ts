import { requiredParameterMissing, unexpectedParameter } from './legacy/cli-errors.js';
import type { CommandEnvironment } from './legacy/endpoint-config.js';
import { isGroupIdForChange } from './legacy/group-reference.js';
import type { CommandHelp } from './legacy/help-text.js';
import { runLegacyCommand, type CommandIo, type LegacyCommand } from './legacy/legacy-command.js';
import { formatReturnRecord } from './legacy/record-format.js';

/** The `-h` text of `ec2-delete-group` / `ec2delgrp`. */
export const EC2_DELETE_GROUP_HELP: CommandHelp = {
  name: 'ec2-delete-group',
  aliases: ['ec2delgrp'],
  synopsis: 'GROUP',
  description: ['Deletes security group GROUP, given by name or by sg- ID.'],
  options: [],
  output: ['RETURN<TAB>true'],
};

/**
 * `ec2-delete-group`: DeleteSecurityGroup with `GroupId` for an `sg-` value, else `GroupName`
 * (spec/cli.md §3.1, §4). Prints `RETURN⇥true` for any successful response (§5.5); `-H` adds no
 * header (§5.6).
 */
export const ec2DeleteGroup: LegacyCommand = {
  help: EC2_DELETE_GROUP_HELP,
  run: async (context) => {
    const [group, extra] = context.parsed.positionals;
    if (group === undefined) throw requiredParameterMissing('GROUP');
    if (extra !== undefined) throw unexpectedParameter(extra);
    await context.call('DeleteSecurityGroup', [[isGroupIdForChange(group) ? 'GroupId' : 'GroupName', group]], () => undefined);
    return [formatReturnRecord()];
  },
};

/** Runs `ec2-delete-group` with the arguments after the command name; returns the exit status. */
export function main(argv: readonly string[], env: CommandEnvironment, io: CommandIo): Promise<number> {
  return runLegacyCommand(ec2DeleteGroup, argv, env, io);
}
