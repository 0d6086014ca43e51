import type { RequestContext } from '../service/request-context.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import type { ApiVersion } from './api-version.js';
import type { Decoded, StructShape } from './query-shape.js';
import type { SecurityGroupXmlCache } from './xml/security-group-xml-cache.js';

/** What an action runs with: the view, who asks and in which version. */
export interface ActionEnvironment {
  readonly view: ReadView;
  readonly context: RequestContext;
  readonly version: ApiVersion;
  readonly groupXml: SecurityGroupXmlCache;
  /** The server's clock, for reads whose answer depends on the time (expiring tombstones). */
  readonly clock: () => Date;
}

/** Where a write action sends its operation: the commit queue, through the caller's checks. */
export interface WriteSubmitter {
  submit<T>(operation: WriteOperation<T>): Promise<T>;
}

/**
 * What a write action runs with. Its checks belong in the operation it submits, which runs against
 * a view caught up with every replica's commits under the write lock; before that, the view may
 * lack another replica's latest commit (no head query is made for a write: docs/architecture.md,
 * Replicas). After `submit` resolves, the view holds at least that batch.
 */
export interface WriteEnvironment extends ActionEnvironment {
  readonly queue: WriteSubmitter;
}

/**
 * One Query action: its parameter shape, and `run`, which calls the service and renders the
 * response's inner XML (decode → service call → render, DESIGN `api/`). A read answers from a
 * view brought up to the log's head when the request arrived (read-your-writes across replicas);
 * a write submits an operation to the commit queue.
 */
export type Action<S extends StructShape = StructShape> = ReadAction<S> | WriteAction<S>;

interface ActionCommon<S extends StructShape> {
  readonly shape: S;
  /** Whether the action takes `DryRun` (every EC2 action here does). */
  readonly dryRun: boolean;
  /** Whether the account's region must exist first (creates its default VPC or default group). */
  readonly needsRegion: boolean;
}

export interface ReadAction<S extends StructShape = StructShape> extends ActionCommon<S> {
  readonly kind: 'read';
  run(environment: ActionEnvironment, input: Decoded<S>): Promise<ResponseXml> | ResponseXml;
}

export interface WriteAction<S extends StructShape = StructShape> extends ActionCommon<S> {
  readonly kind: 'write';
  run(environment: WriteEnvironment, input: Decoded<S>): Promise<ResponseXml> | ResponseXml;
}

/** The inner XML of a success response: text, or already-encoded chunks sent as they are. */
export type ResponseXml = string | readonly Buffer[];

/** Declares an EC2 action that reads, accepts `DryRun` and works inside the caller's region. */
export function ec2Action<S extends StructShape>(
  shape: S,
  run: (environment: ActionEnvironment, input: Decoded<S>) => Promise<ResponseXml> | ResponseXml,
): ReadAction<S> {
  return { kind: 'read', shape, dryRun: true, needsRegion: true, run };
}

/** Declares an EC2 action that changes state, accepts `DryRun` and works inside the caller's region. */
export function ec2WriteAction<S extends StructShape>(
  shape: S,
  run: (environment: WriteEnvironment, input: Decoded<S>) => Promise<ResponseXml> | ResponseXml,
): WriteAction<S> {
  return { kind: 'write', shape, dryRun: true, needsRegion: true, run };
}
