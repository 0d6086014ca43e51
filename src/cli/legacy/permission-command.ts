import type { CommandHelp } from './help-text.js';
import type { LegacyCommand } from './legacy-command.js';
import {
  needsPlatformPreCheck,
  permissionAction,
  permissionArgumentsFromCommandLine,
  permissionEchoLines,
  permissionRequestFromArguments,
  permissionRequestParams,
} from './permission-request.js';
import { GROUP_HEADER_LINE } from './record-format.js';
import { securityGroupsFromDescribeResponse } from './response-xml.js';

/**
 * Returns `ec2-authorize` or `ec2-revoke`, which differ only in the action they call; revoke
 * prints the same records, keyword `ALLOWS` included (spec/cli.md §7 example 8).
 *
 * For an `sg-` GROUP the tools first ask DescribeSecurityGroups whether the group is in a VPC
 * (spec/cli.md §3.1) and only then apply the platform-dependent checks; every other usage check
 * runs before any request. The action's `<return>` is ignored (spec/cli.md §5.3).
 */
export function permissionCommand(kind: 'authorize' | 'revoke', help: CommandHelp): LegacyCommand {
  return {
    help,
    run: async (context) => {
      const args = permissionArgumentsFromCommandLine(context.parsed);
      let isVpc = false;
      if (needsPlatformPreCheck(args)) {
        isVpc = await context.call('DescribeSecurityGroups', [['GroupId.1', args.group]], (body) => {
          const groups = securityGroupsFromDescribeResponse(body);
          const group = groups.find((candidate) => candidate.groupId === args.group) ?? groups[0];
          return group !== undefined && group.vpcId !== '';
        });
      }
      const request = permissionRequestFromArguments(args, isVpc);
      await context.call(permissionAction(kind, request), permissionRequestParams(request), () => undefined);
      return [...(context.headers ? [GROUP_HEADER_LINE] : []), ...permissionEchoLines(request, context.records)];
    },
  };
}
