import type { IpPermissionRequest } from '../../domain/ip-permission.js';
import { authorizeSecurityGroupEgress } from '../../service/authorize-security-group-egress.js';
import { authorizeSecurityGroupIngress } from '../../service/authorize-security-group-ingress.js';
import { createSecurityGroup } from '../../service/create-security-group.js';
import { deleteSecurityGroup } from '../../service/delete-security-group.js';
import { revokeSecurityGroupEgress } from '../../service/revoke-security-group-egress.js';
import { revokeSecurityGroupIngress } from '../../service/revoke-security-group-ingress.js';
import type { ServerDependencies } from '../server.js';
import { consoleContext, ensureRegion } from './console-context.js';
import { badConsoleRequest } from './console-errors.js';
import { ok, type ConsoleAnswer, type SessionCall } from './console-route.js';
import { consoleRule } from './console-state.js';

// Every edit goes through the service operation its EC2 action uses, submitted to the same commit
// queue: the same checks in the same order, the same Ec2Error codes and words (shown by the page).

/** `POST /console/api/groups/create` `{region, groupName, description, vpcId?}`: CreateSecurityGroup. */
export async function createGroup(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  await ensureRegion(context, deps);
  const b = call.body;
  const group = await deps.queue.submit(
    createSecurityGroup(context, {
      ...optionalText('groupName', b.groupName),
      ...optionalText('description', b.description),
      ...optionalText('vpcId', b.vpcId),
      tagSpecifications: [],
    }),
  );
  await durable(deps);
  return ok({ groupId: group.groupId }, context.account.accountId);
}

/** `POST /console/api/groups/delete` `{region, groupId}`: DeleteSecurityGroup. */
export async function deleteGroup(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  await ensureRegion(context, deps);
  const group = await deps.queue.submit(deleteSecurityGroup(context, optionalText('groupId', call.body.groupId)));
  await durable(deps);
  return ok({ groupId: group.groupId }, context.account.accountId);
}

/**
 * `POST /console/api/rules/authorize` `{region, groupId, direction, ipProtocol, fromPort?, toPort?,
 * peer, description?}`: Authorize{Ingress,Egress} with one permission. The peer is a group
 * (`sg-…`), a prefix list (`pl-…`), an IPv6 CIDR (has a colon) or else an IPv4 CIDR; the service
 * checks it as it checks an SDK's.
 */
export async function authorizeRule(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  await ensureRegion(context, deps);
  const b = call.body;
  const operation = direction(b.direction) === 'ingress' ? authorizeSecurityGroupIngress : authorizeSecurityGroupEgress;
  const result = await deps.queue.submit(
    operation(context, { group: optionalText('groupId', b.groupId), ipPermissions: [permission(b)], flat: {}, tagSpecifications: [] }),
  );
  await durable(deps);
  return ok({ rules: result.rules.map(consoleRule) }, context.account.accountId);
}

/** `POST /console/api/rules/revoke` `{region, groupId, direction, ruleIds}`: Revoke{Ingress,Egress} by rule ID. */
export async function revokeRule(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const context = consoleContext(call, deps);
  await ensureRegion(context, deps);
  const b = call.body;
  const ruleIds = Array.isArray(b.ruleIds) ? b.ruleIds.filter((id): id is string => typeof id === 'string') : [];
  const operation = direction(b.direction) === 'ingress' ? revokeSecurityGroupIngress : revokeSecurityGroupEgress;
  const result = await deps.queue.submit(
    operation(context, { group: optionalText('groupId', b.groupId), ipPermissions: [], flat: {}, securityGroupRuleIds: ruleIds }),
  );
  await durable(deps);
  return ok({ revoked: result.revoked.map((r) => r.ruleId) }, context.account.accountId);
}

function permission(b: Readonly<Record<string, unknown>>): IpPermissionRequest {
  const peer = typeof b.peer === 'string' ? b.peer.trim() : '';
  const description = typeof b.description === 'string' && b.description !== '' ? { description: b.description } : {};
  return {
    ...optionalText('ipProtocol', b.ipProtocol),
    ...optionalPort('fromPort', b.fromPort),
    ...optionalPort('toPort', b.toPort),
    ipRanges: peer !== '' && !peer.includes(':') && !/^(sg|pl)-/.test(peer) ? [{ cidrIp: peer, ...description }] : [],
    ipv6Ranges: peer.includes(':') ? [{ cidrIpv6: peer, ...description }] : [],
    prefixListIds: peer.startsWith('pl-') ? [{ prefixListId: peer, ...description }] : [],
    groups: peer.startsWith('sg-') ? [{ groupId: peer, ...description }] : [],
  };
}

function direction(value: unknown): 'ingress' | 'egress' {
  if (value === 'ingress' || value === 'egress') return value;
  throw badConsoleRequest('"direction" must be "ingress" or "egress".');
}

function optionalText<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}

/** A port as the page sends it (number or text); the service checks the range as EC2 does. */
function optionalPort<K extends string>(key: K, value: unknown): Partial<Record<K, number>> {
  if (value === undefined || value === null || value === '') return {};
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw badConsoleRequest(`"${key}" must be a whole number.`);
  return { [key]: n } as Record<K, number>;
}

/** Answers only once the change is durable, as EC2 actions do (handle-query.ts). */
async function durable(deps: ServerDependencies): Promise<void> {
  const barrier = deps.queue.durableBarrier();
  if (barrier !== undefined) await barrier;
}
