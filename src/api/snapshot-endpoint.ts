import type http from 'node:http';
import type { SignedRequest } from './auth/signed-request.js';
import { drained, type FeedEnvironment } from './feed-endpoint.js';
import { authenticateHost, type QueryOutcome } from './handle-query.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../state/document-kind.js';

/** Documents rendered per write: the socket's backpressure paces the rest. */
const CHUNK = 1000;

/** Kinds a snapshot leaves out: access keys carry secrets, which never leave the store. */
const WITHHELD: ReadonlySet<DocumentKind> = new Set(['accessKey']);

/**
 * `GET /feed/snapshot`, signed with a host's key (issue 10): the current state at one revision R,
 * as `application/x-ndjson` — first `{"revision":R}`, then one `{"kind","body"}` line per
 * resource, in the order a view loads them — so a host starts from what exists now, not from the
 * history, and then follows `GET /feed?since=R`. Access keys are left out. The documents are taken
 * from this server's view once everything it shows is committed and durable, in one turn of the
 * event loop, so they are the state at exactly R; they are then rendered and sent a chunk at a
 * time as the socket drains.
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
  // The view's documents are immutable (a change replaces them), so holding the references of
  // this instant is holding the state at R; rendering and sending them can then take their time.
  const documents: { kind: DocumentKind; body: unknown }[] = [];
  for (const kind of DOCUMENT_KINDS) {
    if (WITHHELD.has(kind)) continue;
    for (const body of env.view.documentsOf(kind)) documents.push({ kind, body });
  }
  res.write(`{"revision":${revision}}\n`);
  for (let start = 0; start < documents.length && !res.destroyed; start += CHUNK) {
    const chunk = documents.slice(start, start + CHUNK).map((d) => JSON.stringify(d));
    if (!res.write(`${chunk.join('\n')}\n`)) await drained(res);
  }
  res.end();
  return { status: 200, body: '', action: 'Snapshot', accountId: caller.accountId, region: caller.region };
}
