/**
 * How each command decides whether its GROUP argument is an ID or a name; the rules differ per
 * command in the 1.6.7.1 tools (spec/cli.md §3.1 [observed-cli]).
 */

/** Reports whether authorize, revoke and delete treat `group` as an ID: any value starting `sg-`, even `sg-x`. */
export function isGroupIdForChange(group: string): boolean {
  return group.startsWith('sg-');
}

/**
 * Reports whether describe treats `group` as an ID: only `sg-` plus exactly 8 lower-case hex
 * digits. Anything else, 17-hex IDs and `SG-…` included, is sent as `GroupName.N`.
 */
export function isGroupIdForDescribe(group: string): boolean {
  return /^sg-[0-9a-f]{8}$/.test(group);
}
