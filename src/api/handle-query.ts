import { authFailure, dryRunOperation, invalidAction, unauthorizedOperation } from '../domain/ec2-errors.js';
import { QUOTAS, type QuotaProfile } from '../domain/quota.js';
import { initializeRegion } from '../service/initialize-region.js';
import type { RequestContext } from '../service/request-context.js';
import type { CommitQueue, WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { actionNamed } from './action-table.js';
import { apiVersionOf } from './api-version.js';
import { authenticate } from './auth/authenticate.js';
import { AUTH_PARAMETER_NAMES, type Caller, type SignedRequest } from './auth/signed-request.js';
import { errorResponse, stsErrorResponse, type QueryResponse } from './error-response.js';
import { decodeParameters } from './query-shape.js';
import { getCallerIdentityXml } from './xml/sts-xml.js';
import { successXml } from './xml/response-envelope.js';
import type { SecurityGroupXmlCache } from './xml/security-group-xml-cache.js';

/** What the query handler needs from the running server. */
export interface QueryEnvironment {
  readonly view: ReadView;
  readonly queue: CommitQueue;
  readonly groupXml: SecurityGroupXmlCache;
  readonly quotaProfile: QuotaProfile;
  readonly defaultRegion: string;
  readonly regions: ReadonlySet<string>;
  readonly clock: () => Date;
}

/** What the log line and metrics of a query request record. */
export interface QueryOutcome extends QueryResponse {
  readonly action?: string;
  readonly accountId?: string;
  readonly region?: string;
}

/**
 * Answers one EC2 Query request, checking in the order of spec/errors.md §2: authentication, then
 * action, version, parameter names and types, then DryRun, then the action's own checks. Never
 * throws: every failure becomes the EC2 error envelope.
 */
export async function handleQuery(request: SignedRequest, environment: QueryEnvironment, requestId: string): Promise<QueryOutcome> {
  let caller: Caller | undefined;
  const actionName = request.params.get('Action');
  try {
    const action = actionName === undefined ? undefined : actionNamed(actionName);
    // A read (or anything but a known write) answers from a view brought up to the log's head as
    // of its arrival: read-your-writes across replicas (docs/architecture.md, Replicas). A write
    // needs no head query: its operation runs against a view caught up under the write lock, where
    // its caller's key is checked again (`stillAuthorized`). Before that, a key or account the view
    // does not know yet (made through another replica) is looked for once more after catching up.
    // A write's DryRun submits nothing that could check its caller again, so it catches up first.
    const caughtUp = action?.kind !== 'write' || request.params.has('DryRun');
    if (caughtUp) await environment.queue.sync();
    const afterCatchUp = async <T>(find: () => T): Promise<T> => {
      if (caughtUp) return find();
      try {
        return find();
      } catch {
        await environment.queue.sync();
        return find();
      }
    };
    caller = await afterCatchUp(() => authenticateCaller(request, environment));
    if (caller.service === 'sts') return stsResponse(caller, actionName, requestId);
    if (action === undefined || actionName === undefined) throw invalidAction(actionName ?? '');
    const version = apiVersionOf(request.params.get('Version'));
    const input = decodeParameters(action.shape, actionParameters(request.params));
    // DryRun answers after the shape checks and before any semantic validation (spec/api.md §1.1).
    if (action.dryRun && (input as { dryRun?: boolean }).dryRun === true) throw dryRunOperation();
    const signedBy = caller;
    const account = await afterCatchUp(() => environment.view.accounts.get(signedBy.accountId) ?? throwAuthFailure());
    const context: RequestContext = {
      account,
      region: caller.region,
      modernApi: version.isModern,
      quotas: QUOTAS[environment.quotaProfile],
    };
    if (action.needsRegion && environment.view.regionState(account.accountId, caller.region) === undefined)
      await environment.queue.submit(stillAuthorized(signedBy, initializeRegion(account, caller.region)));
    const inner =
      action.kind === 'write'
        ? await action.run({ ...environment, queue: { submit: (operation) => environment.queue.submit(stillAuthorized(signedBy, operation)) }, context, version }, input)
        : await action.run({ ...environment, context, version }, input);
    // Reads answer only from durable state (commit-queue.ts, durableBarrier).
    const barrier = environment.queue.durableBarrier();
    if (barrier !== undefined) await barrier;
    return {
      status: 200,
      body: successXml(actionName, version, requestId, inner),
      action: actionName,
      accountId: caller.accountId,
      region: caller.region,
    };
  } catch (error) {
    return {
      ...(namesStsScope(request) ? stsErrorResponse(error, requestId) : errorResponse(error, requestId)),
      ...(actionName === undefined ? {} : { action: actionName }),
      ...(caller === undefined ? {} : { accountId: caller.accountId, region: caller.region }),
    };
  }
}

/**
 * Verifies the signature of an account's request (EC2 actions, `/changes`, `/explain`,
 * `/propagation`). A valid host key is refused with UnauthorizedOperation: it opens only the host
 * endpoints (issue 5). Throws the verifier's codes otherwise.
 */
export function authenticateCaller(request: SignedRequest, environment: QueryEnvironment): Caller {
  const caller = verifyCaller(request, environment);
  if (environment.view.accessKeys.get(caller.accessKeyId)?.hostName !== undefined) throw unauthorizedOperation();
  return caller;
}

/**
 * Verifies an account's request to one of Stockade's own endpoints (`/changes`, `/explain`,
 * `/propagation`) and returns who asks as a request context in the signed region. Throws what
 * `authenticateCaller` throws, and UnauthorizedOperation for a key whose account is gone.
 */
export function authenticateAccount(request: SignedRequest, environment: QueryEnvironment): { caller: Caller; context: RequestContext } {
  const caller = authenticateCaller(request, environment);
  const account = environment.view.accounts.get(caller.accountId);
  if (account === undefined) throw unauthorizedOperation();
  return { caller, context: { account, region: caller.region, modernApi: true, quotas: QUOTAS[environment.quotaProfile] } };
}

/**
 * Verifies the signature of a host's request (`/feed`, issue 5) and returns the host's name. An
 * account's valid key is refused with UnauthorizedOperation; the verifier's codes otherwise.
 */
export function authenticateHost(request: SignedRequest, environment: QueryEnvironment): { caller: Caller; hostName: string } {
  // A host removed by `stockade hosts remove` is refused at once: the server synced the view with
  // the log before this request (server.ts; host endpoints are not the Query API).
  const caller = verifyCaller(request, environment);
  const hostName = environment.view.accessKeys.get(caller.accessKeyId)?.hostName;
  if (hostName === undefined) throw unauthorizedOperation();
  return { caller, hostName };
}

/**
 * Verifies the signature. Keys created by another process (`stockade accounts create`, another
 * replica) are known: the view was synced with the log before this request (server.ts), or, for a
 * write, is synced and this is tried again when the key is not found (`handleQuery`).
 */
function verifyCaller(request: SignedRequest, environment: QueryEnvironment): Caller {
  const { view } = environment;
  const lookup = (accessKeyId: string) => view.accessKeys.get(accessKeyId);
  return authenticate(request, lookup, {
    now: environment.clock(),
    defaultRegion: environment.defaultRegion,
    regions: environment.regions,
  });
}

/**
 * Wraps a write's operation with a second check of its caller, against the view caught up under
 * the write lock: a key disabled or removed, or an account removed, through another replica before
 * this batch is refused with the same AuthFailure as at the door.
 */
function stillAuthorized<T>(caller: Caller, operation: WriteOperation<T>): WriteOperation<T> {
  return (tx) => {
    const key = tx.view.accessKeys.get(caller.accessKeyId);
    if (key === undefined || !key.enabled || key.accountId !== caller.accountId || key.hostName !== undefined || !tx.view.accounts.has(caller.accountId)) throw authFailure();
    return operation(tx);
  };
}

function throwAuthFailure(): never {
  throw authFailure();
}

function* actionParameters(params: ReadonlyMap<string, string>): Iterable<[string, string]> {
  for (const entry of params) {
    const name = entry[0];
    if (name !== 'Action' && name !== 'Version' && !AUTH_PARAMETER_NAMES.has(name)) yield entry;
  }
}

/**
 * Reports whether the request's SigV4 credential scope (header or presigned) names `sts`, read
 * before and whatever the verification's outcome, so that STS callers get STS's error envelope.
 */
function namesStsScope(request: SignedRequest): boolean {
  const credential = /Credential=([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ?? request.params.get('X-Amz-Credential') ?? '';
  return credential.split('/')[3] === 'sts';
}

/** STS on the same endpoint: GetCallerIdentity only (told apart by the SigV4 scope). */
function stsResponse(caller: Caller, actionName: string | undefined, requestId: string): QueryOutcome {
  if (actionName !== 'GetCallerIdentity') throw invalidAction(actionName ?? '');
  return {
    status: 200,
    body: getCallerIdentityXml(caller.accountId, requestId),
    action: 'GetCallerIdentity',
    accountId: caller.accountId,
    region: caller.region,
  };
}
