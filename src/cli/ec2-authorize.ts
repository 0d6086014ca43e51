import type { CommandEnvironment } from './legacy/endpoint-config.js';
import type { CommandHelp } from './legacy/help-text.js';
import { runLegacyCommand, type CommandIo, type LegacyCommand } from './legacy/legacy-command.js';
import { permissionCommand } from './legacy/permission-command.js';
import { PERMISSION_OPTIONS } from './legacy/permission-request.js';

/** The `-h` text of `ec2-authorize` / `ec2auth`. */
export const EC2_AUTHORIZE_HELP: CommandHelp = {
  name: 'ec2-authorize',
  aliases: ['ec2auth'],
  synopsis:
    'GROUP [--egress] [-P PROTOCOL] (-p PORT-RANGE | -t TYPE:CODE) [-u SOURCE-OR-DEST-GROUP-USER ...] [-o SOURCE-OR-DEST-GROUP ...] [-s CIDR ...]',
  description: [
    'Adds a rule to security group GROUP (a name, or an sg- ID; VPC groups by ID only).',
    'Ingress rules admit traffic from the peers; with --egress (VPC groups only) the rule lets the',
    'group send traffic to them. Peers are CIDR ranges (-s, default 0.0.0.0/0) or groups (-o with -u).',
    'Without -P a non-VPC rule is tcp for CIDR peers, and tcp, udp and icmp over every port for group',
    'peers. Options may come before or after GROUP, and option values may start with a dash (-p -1).',
    'An sg- GROUP is first looked up with DescribeSecurityGroups to learn whether it is a VPC group.',
  ],
  options: Object.values(PERMISSION_OPTIONS),
  output: [
    'GROUP<TAB>id<TAB>owner<TAB>name<TAB>description<TAB>vpc-id, echoing the ID or the name given, then',
    'one PERMISSION line per peer, echoing the request (not what the server stored):',
    '  PERMISSION owner name ALLOWS protocol from to FROM|TO CIDR cidr ingress|egress',
    '  PERMISSION owner name ALLOWS protocol from to FROM|TO USER user GRPNAME name ID id ingress|egress',
  ],
};

/** `ec2-authorize`: AuthorizeSecurityGroupIngress / AuthorizeSecurityGroupEgress (spec/cli.md §3.2). */
export const ec2Authorize: LegacyCommand = permissionCommand('authorize', EC2_AUTHORIZE_HELP);

/** Runs `ec2-authorize` with the arguments after the command name; returns the exit status. */
export function main(argv: readonly string[], env: CommandEnvironment, io: CommandIo): Promise<number> {
  return runLegacyCommand(ec2Authorize, argv, env, io);
}
