import type http from 'node:http';
import type { SignedRequest } from './auth/signed-request.js';
import { changesQuery } from './changes-endpoint.js';
import { consoleAsset, CONSOLE_REDIRECT, CYTOSCAPE_FILE } from './console/console-assets.js';
import { authorizeRule, createGroup, deleteGroup, revokeRule } from './console/console-edits.js';
import { openEvents } from './console/console-events.js';
import { reachability } from './console/console-reach.js';
import type { ConsoleRoute } from './console/console-route.js';
import { sessionInfo, signIn, signOut } from './console/console-sign-in.js';
import { consoleState } from './console/console-state.js';
import { recordEnforced } from './enforced-endpoint.js';
import { explainQuery } from './explain-endpoint.js';
import { openFeed } from './feed-endpoint.js';
import { openHostFeed } from './host-feed-endpoint.js';
import { handleQuery, type QueryOutcome } from './handle-query.js';
import { propagationQuery } from './propagation-endpoint.js';
import type { ServerDependencies } from './server.js';
import { sendSnapshot } from './snapshot-endpoint.js';

const XML = 'text/xml;charset=UTF-8';
const JSON_TYPE = 'application/json';
const NDJSON = 'application/x-ndjson';

/** An unsigned endpoint for operators, or a static file: answers at once, even while the server closes. */
export interface OpenRoute {
  readonly kind: 'open';
  readonly method: 'GET';
  readonly path: string;
  serve(res: http.ServerResponse, deps: ServerDependencies, closing: boolean): void;
}

/**
 * A signed endpoint: the request is verified by the handler (account or host keys), after the
 * server has read the body and synced the view with the log, unless the handler does that itself.
 */
export interface SignedRoute {
  readonly kind: 'signed';
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The name logs and metrics use for it. */
  readonly name: string;
  /** Content-Type of a success (errors are always EC2's XML envelope). */
  readonly contentType: string;
  /** `form`: the body holds Query parameters; `json`: a JSON document only the signature covers. */
  readonly body: 'form' | 'json';
  handle(request: SignedRequest, res: http.ServerResponse, deps: ServerDependencies, requestId: string): Promise<QueryOutcome> | QueryOutcome;
  /** The EC2 Query API syncs for reads only (handle-query.ts): writes catch up under the lock. */
  readonly syncsItself?: true;
}

export type Route = OpenRoute | SignedRoute | ConsoleRoute;

/**
 * The whole HTTP surface, one line per endpoint (issue 11): Stockade's own endpoints and the
 * console by method and path; every other request is the EC2 Query API (`EC2_QUERY`, any path:
 * spec/api.md §1).
 */
export const ROUTES: readonly Route[] = [
  {
    kind: 'open',
    method: 'GET',
    path: '/health',
    serve(res, deps, closing) {
      const body = JSON.stringify({ status: closing ? 'closing' : 'ok', revision: deps.view.revision, feedSubscribers: deps.hub.size, feedVictims: deps.hub.victims });
      res.writeHead(closing ? 503 : 200, { 'Content-Type': JSON_TYPE }).end(body);
    },
  },
  {
    kind: 'open',
    method: 'GET',
    path: '/metrics',
    serve(res, deps) {
      res.writeHead(200, { 'Content-Type': deps.metrics.contentType }).end(deps.metrics.render());
    },
  },
  { kind: 'signed', method: 'GET', path: '/changes', name: 'GetChanges', contentType: NDJSON, body: 'form', handle: (request, _res, deps) => changesQuery(request, deps) },
  { kind: 'signed', method: 'GET', path: '/explain', name: 'Explain', contentType: JSON_TYPE, body: 'form', handle: (request, _res, deps) => explainQuery(request, deps, deps.policies) },
  { kind: 'signed', method: 'GET', path: '/feed', name: 'Feed', contentType: NDJSON, body: 'form', handle: (request, res, deps, requestId) => openFeed(request, res, deps, requestId) },
  { kind: 'signed', method: 'GET', path: '/feed/host', name: 'HostFeed', contentType: NDJSON, body: 'form', handle: (request, res, deps, requestId) => openHostFeed(request, res, deps, requestId) },
  { kind: 'signed', method: 'GET', path: '/feed/snapshot', name: 'Snapshot', contentType: NDJSON, body: 'form', handle: (request, res, deps, requestId) => sendSnapshot(request, res, deps, requestId) },
  { kind: 'signed', method: 'POST', path: '/feed/enforced', name: 'ReportEnforced', contentType: JSON_TYPE, body: 'json', handle: (request, _res, deps) => recordEnforced(request, deps, deps.enforced) },
  // The web console (issue 11): its page and the npm packages it runs, then its JSON API.
  CONSOLE_REDIRECT,
  consoleAsset('/console/', 'index.html'),
  consoleAsset('/console/style.css', 'style.css'),
  consoleAsset('/console/app.js', 'app.js'),
  consoleAsset('/console/api.js', 'api.js'),
  consoleAsset('/console/graph-model.js', 'graph-model.js'),
  consoleAsset('/console/graph-view.js', 'graph-view.js'),
  consoleAsset('/console/vendor/cytoscape.esm.min.mjs', CYTOSCAPE_FILE),
  { kind: 'console', method: 'POST', path: '/console/api/sign-in', name: 'ConsoleSignIn', access: 'public', handle: signIn },
  { kind: 'console', method: 'GET', path: '/console/api/session', name: 'ConsoleSession', access: 'session', handle: sessionInfo },
  { kind: 'console', method: 'POST', path: '/console/api/sign-out', name: 'ConsoleSignOut', access: 'csrf', handle: signOut },
  { kind: 'console', method: 'GET', path: '/console/api/state', name: 'ConsoleState', access: 'session', handle: consoleState },
  { kind: 'console', method: 'GET', path: '/console/api/reach', name: 'ConsoleReach', access: 'session', handle: reachability },
  { kind: 'console', method: 'GET', path: '/console/api/events', name: 'ConsoleEvents', access: 'session', handle: openEvents },
  { kind: 'console', method: 'POST', path: '/console/api/groups/create', name: 'ConsoleCreateGroup', access: 'csrf', handle: createGroup },
  { kind: 'console', method: 'POST', path: '/console/api/groups/delete', name: 'ConsoleDeleteGroup', access: 'csrf', handle: deleteGroup },
  { kind: 'console', method: 'POST', path: '/console/api/rules/authorize', name: 'ConsoleAuthorizeRule', access: 'csrf', handle: authorizeRule },
  { kind: 'console', method: 'POST', path: '/console/api/rules/revoke', name: 'ConsoleRevokeRule', access: 'csrf', handle: revokeRule },
  { kind: 'signed', method: 'GET', path: '/propagation', name: 'Propagation', contentType: JSON_TYPE, body: 'form', handle: (request, _res, deps) => propagationQuery(request, deps, deps.policies, deps.enforced) },
];

/** The EC2 Query API (and STS's GetCallerIdentity, told apart by the signature's scope). */
export const EC2_QUERY: SignedRoute = {
  kind: 'signed',
  method: 'POST',
  path: '*',
  name: 'EC2',
  contentType: XML,
  body: 'form',
  handle: (request, _res, deps, requestId) => handleQuery(request, deps, requestId),
  syncsItself: true,
};

const BY_METHOD_AND_PATH: ReadonlyMap<string, Route> = new Map(ROUTES.map((route) => [`${route.method} ${route.path}`, route]));

/** The route of a request: one of ROUTES, else the EC2 Query API. */
export function routeOf(method: string | undefined, path: string): Route {
  return BY_METHOD_AND_PATH.get(`${method ?? 'GET'} ${path}`) ?? EC2_QUERY;
}

/** Names logged and counted for what is not an EC2 action: STS on the same endpoint, and ours. */
export const STOCKADE_ENDPOINT_NAMES: ReadonlySet<string> = new Set(['GetCallerIdentity', ...ROUTES.flatMap((r) => (r.kind === 'open' ? [] : [r.name]))]);
