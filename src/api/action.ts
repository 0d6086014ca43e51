import type { RequestContext } from '../service/request-context.js';
import type { CommitQueue } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import type { ApiVersion } from './api-version.js';
import type { Decoded, StructShape } from './query-shape.js';
import type { SecurityGroupXmlCache } from './xml/security-group-xml-cache.js';

/** What an action runs with: the view for reads, the commit queue for writes, who and which version. */
export interface ActionEnvironment {
  readonly view: ReadView;
  readonly queue: CommitQueue;
  readonly context: RequestContext;
  readonly version: ApiVersion;
  readonly groupXml: SecurityGroupXmlCache;
  /** The server's clock, for reads whose answer depends on the time (expiring tombstones). */
  readonly clock: () => Date;
}

/**
 * One Query action: its parameter shape, and `run`, which calls the service and renders the
 * response's inner XML (decode → service call → render, DESIGN `api/`).
 */
export interface Action<S extends StructShape = StructShape> {
  readonly shape: S;
  /** Whether the action takes `DryRun` (every EC2 action here does). */
  readonly dryRun: boolean;
  /** Whether the account's region must exist first (creates its default VPC or default group). */
  readonly needsRegion: boolean;
  run(environment: ActionEnvironment, input: Decoded<S>): Promise<ResponseXml> | ResponseXml;
}

/** The inner XML of a success response: text, or already-encoded chunks sent as they are. */
export type ResponseXml = string | readonly Buffer[];

/** Declares an EC2 action that accepts `DryRun` and works inside the caller's region. */
export function ec2Action<S extends StructShape>(
  shape: S,
  run: (environment: ActionEnvironment, input: Decoded<S>) => Promise<ResponseXml> | ResponseXml,
): Action<S> {
  return { shape, dryRun: true, needsRegion: true, run };
}
