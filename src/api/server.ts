import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { malformedQueryString, unavailable } from '../domain/ec2-errors.js';
import type { WatchHub } from '../feed/watch-hub.js';
import type { ConsoleSessions } from '../service/console-sessions.js';
import type { EnforcedRevisions } from '../service/enforced-revisions.js';
import type { InstancePolicies } from '../service/instance-policies.js';
import type { Store } from '../state/store.js';
import { actionNamed } from './action-table.js';
import type { SignedRequest } from './auth/signed-request.js';
import { answerClientError } from './client-error.js';
import { errorResponse } from './error-response.js';
import type { QueryEnvironment, QueryOutcome } from './handle-query.js';
import type { ApiMetrics } from './metrics.js';
import { serveConsole } from './console/console-dispatch.js';
import { parseFormEncoded } from './query-params.js';
import { readBody } from './request-body.js';
import { routeOf, STOCKADE_ENDPOINT_NAMES } from './routes.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** How long shutdown waits for ended feeds to flush before cutting their connections. */
const FEED_CLOSE_GRACE_MS = 2000;

/** What the HTTP server serves with. */
export interface ServerDependencies extends QueryEnvironment {
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: ApiMetrics;
  readonly policies: InstancePolicies;
  /** Open `/feed` streams (issue 5). */
  readonly hub: WatchHub;
  /** Hosts' enforcement reports (issue 5), kept in the store (issue 10). */
  readonly enforced: EnforcedRevisions;
  /** Interval of feed heartbeats. */
  readonly heartbeatMs: number;
  /** The web console's sessions and sign-in links (issue 11), kept in the store. */
  readonly consoleSessions: ConsoleSessions;
}

/**
 * The HTTP front: what each request is goes by the one route table (routes.ts: the EC2 Query API
 * on any path, spec/api.md §1, and Stockade's own endpoints); this class reads bodies, syncs the
 * view with the log, writes answers and keeps connections alive; one structured log line per
 * request.
 */
export class StockadeServer {
  readonly #deps: ServerDependencies;
  readonly #server: http.Server;
  #closing = false;

  constructor(deps: ServerDependencies) {
    this.#deps = deps;
    this.#server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'request handling failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    // A client that hangs up inside its body, or breaks the chunked framing, made a client error.
    this.#server.on('clientError', answerClientError);
  }

  /** Starts listening; resolves with the bound port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve((this.#server.address() as AddressInfo).port));
    });
  }

  /**
   * Stops accepting, ends every open feed, lets requests in flight finish, and closes idle
   * keep-alive connections; feeds that cannot flush within FEED_CLOSE_GRACE_MS are cut.
   */
  close(): Promise<void> {
    this.#closing = true;
    this.#deps.hub.closeAll();
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
      setTimeout(() => this.#server.closeAllConnections(), FEED_CLOSE_GRACE_MS).unref();
    });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const route = routeOf(req.method, path);
    if (route.kind === 'open') return route.serve(res, this.#deps, this.#closing);
    let outcome: QueryOutcome;
    if (route.kind === 'console') {
      outcome = await serveConsole(route, req, res, rawQuery, this.#deps, this.#closing);
      return this.#log(outcome, started, requestId);
    }
    try {
      if (this.#closing) throw unavailable();
      const body = await readBody(req);
      // A JSON body (the enforcement report) is not a form: only the signature covers it.
      const request = toSignedRequest(req, path, rawQuery, route.body === 'json' ? Buffer.alloc(0) : body);
      // A signed request first brings the view up to the log's head as of its arrival: keys,
      // accounts and changes committed by any other process or replica are seen (read-your-writes
      // across replicas; docs/architecture.md, Replicas). Embedded: a counter read, no query. The
      // Query API does so for reads only (handle-query.ts).
      if (route.syncsItself !== true) await this.#deps.queue.sync();
      outcome = await route.handle(route.body === 'json' ? { ...request, body } : request, res, this.#deps, requestId);
    } catch (error) {
      outcome = errorResponse(error, requestId);
    }
    if (!res.headersSent) {
      const { body } = outcome;
      // Raw [name, value, …] form: Node skips per-header validation of an object (hot path).
      res.writeHead(outcome.status, [
        'Content-Type',
        outcome.status !== 200 ? 'text/xml;charset=UTF-8' : route.contentType,
        'Content-Length',
        String(typeof body === 'string' ? Buffer.byteLength(body) : body.reduce((n, b) => n + b.length, 0)),
        'x-amzn-RequestId',
        requestId,
        'Server',
        'AmazonEC2',
      ]);
      if (typeof body === 'string') res.end(body);
      else {
        res.cork();
        for (const chunk of body) res.write(chunk);
        res.end();
      }
    }
    this.#log(outcome, started, requestId);
  }

  /** Counts the request in the metrics and writes its log line (always for an internal error). */
  #log(outcome: QueryOutcome, started: bigint, requestId: string): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // Labels come from a closed set, so clients cannot grow the metric without bound.
    const action =
      outcome.action !== undefined && (actionNamed(outcome.action) !== undefined || STOCKADE_ENDPOINT_NAMES.has(outcome.action)) ? outcome.action : 'unknown';
    this.#deps.metrics.observe(action, outcome.errorCode ?? 'OK', seconds);
    if (outcome.cause === undefined && !this.#deps.logger.isLevelEnabled('info')) return;
    const line = {
      requestId,
      action: outcome.action,
      account: outcome.accountId,
      region: outcome.region,
      status: outcome.status,
      code: outcome.errorCode,
      ms: Math.round(seconds * 1e6) / 1e3,
    };
    if (outcome.cause !== undefined) this.#deps.logger.error({ ...line, err: outcome.cause }, 'internal error');
    else this.#deps.logger.info(line, 'request');
  }
}

/**
 * Builds the verifier's view of the request. Query string and form body are merged, the body
 * winning on conflict (spec/api.md §1, UNCONFIRMED); bodies must be valid UTF-8.
 */
function toSignedRequest(req: http.IncomingMessage, path: string, rawQuery: string, body: Buffer): SignedRequest {
  const params = parseFormEncoded(rawQuery);
  if (body.length > 0) {
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      throw malformedQueryString();
    }
    // Straight into the query's map: a body parameter replaces a query one of the same name, and
    // a name repeated within the body is still refused.
    parseFormEncoded(text, params);
  }
  return { method: req.method ?? 'GET', path, rawQuery, headers: req.headers, body, params };
}
