import type http from 'node:http';
import type { SignedRequest } from './auth/signed-request.js';
import type { FeedEnvironment } from './feed-endpoint.js';
import { authenticateHost, type QueryOutcome } from './handle-query.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../state/view.js';

/** Kinds a snapshot leaves out: access keys carry secrets, which never leave the store. */
const WITHHELD: ReadonlySet<DocumentKind> = new Set(['accessKey']);

/**
 * `GET /feed/snapshot`, signed with a host's key (issue 10): the current state at one revision R,
 * as `application/x-ndjson` — first `{"revision":R}`, then one `{"kind","body"}` line per
 * resource, in the order a view loads them — so a host starts from what exists now, not from the
 * history, and then follows `GET /feed?since=R`. Access keys are left out. The state is rendered
 * from this server's view once everything it shows is committed and durable, in one turn of the
 * event loop, so it is the state at exactly R.
 */
export async function sendSnapshot(request: SignedRequest, res: http.ServerResponse, env: FeedEnvironment, requestId: string): Promise<QueryOutcome> {
  const { caller } = authenticateHost(request, env);
  // A batch in flight may show in the view before it commits: wait until it has.
  for (let barrier = env.queue.durableBarrier(); barrier !== undefined; barrier = env.queue.durableBarrier()) await barrier.catch(() => {});
  const revision = env.view.revision;
  res.writeHead(200, {
    'Content-Type': 'application/x-ndjson',
    'Cache-Control': 'no-store',
    'x-amzn-RequestId': requestId,
    'x-stockade-revision': String(revision),
  });
  const lines = [`{"revision":${revision}}`];
  for (const kind of DOCUMENT_KINDS) {
    if (WITHHELD.has(kind)) continue;
    for (const body of env.view.documentsOf(kind)) lines.push(JSON.stringify({ kind, body }));
  }
  res.end(`${lines.join('\n')}\n`);
  return { status: 200, body: '', action: 'Snapshot', accountId: caller.accountId, region: caller.region };
}
