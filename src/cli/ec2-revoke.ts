import type { CommandEnvironment } from './legacy/endpoint-config.js';
import type { CommandHelp } from './legacy/help-text.js';
import { runLegacyCommand, type CommandIo, type LegacyCommand } from './legacy/legacy-command.js';
import { permissionCommand } from './legacy/permission-command.js';
import { PERMISSION_OPTIONS } from './legacy/permission-request.js';

/** The `-h` text of `ec2-revoke` / `ec2revoke`. */
export const EC2_REVOKE_HELP: CommandHelp = {
  name: 'ec2-revoke',
  aliases: ['ec2revoke'],
  synopsis:
    'GROUP [--egress] [-P PROTOCOL] (-p PORT-RANGE | -t TYPE:CODE) [-u SOURCE-OR-DEST-GROUP-USER ...] [-o SOURCE-OR-DEST-GROUP ...] [-s CIDR ...]',
  description: [
    'Removes a rule from security group GROUP (a name, or an sg- ID; VPC groups by ID only).',
    'Takes exactly the options of ec2-authorize and describes the rule the same way, defaults included.',
    'Revoking a rule that does not exist succeeds for EC2-Classic and default-VPC groups and fails',
    'for groups of other VPCs, as in EC2.',
  ],
  options: Object.values(PERMISSION_OPTIONS),
  output: [
    'The same lines as ec2-authorize (keyword ALLOWS included), echoing the request.',
  ],
};

/** `ec2-revoke`: RevokeSecurityGroupIngress / RevokeSecurityGroupEgress (spec/cli.md §3.2). */
export const ec2Revoke: LegacyCommand = permissionCommand('revoke', EC2_REVOKE_HELP);

/** Runs `ec2-revoke` with the arguments after the command name; returns the exit status. */
export function main(argv: readonly string[], env: CommandEnvironment, io: CommandIo): Promise<number> {
  return runLegacyCommand(ec2Revoke, argv, env, io);
}
