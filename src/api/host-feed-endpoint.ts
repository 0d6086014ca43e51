import type http from 'node:http';
import { HostScope, type ScopedDocument } from '../dataplane/host-scope.js';
import type { FeedSubscriber } from '../feed/watch-hub.js';
import type { SignedRequest } from './auth/signed-request.js';
import { keepAlive, type FeedEnvironment } from './feed-endpoint.js';
import { authenticateHost, type QueryOutcome } from './handle-query.js';

/** Documents rendered per write of the opening snapshot. */
const CHUNK = 500;

/**
 * `GET /feed/host`, signed with a host's key (issue 10): the feed of what concerns this host
 * only (`HostScope`), as `application/x-ndjson`. It opens with the host's part of the state at
 * revision R — `{"snapshot":R}`, one `{"kind","body"}` line per document, `{"heartbeat":R}` — and
 * goes on with, for each later record that bears on the host, the documents it newly needs, then
 * the record itself, or `{"heartbeat":N}` when documents stand for it. Every `heartbeatMs`,
 * `{"heartbeat":N}` says the host holds everything that concerns it up to revision N, so a host
 * whose instances nothing touches still learns how far the log has gone. A change to an account
 * with no instance on the host sends it nothing else.
 *
 * Each connection starts from its snapshot, so a host never asks for old records: start-up costs
 * the size of its part of the state, whatever the length (or compaction) of the log.
 */
export async function openHostFeed(request: SignedRequest, res: http.ServerResponse, env: FeedEnvironment, requestId: string): Promise<QueryOutcome> {
  const { caller, hostName } = authenticateHost(request, env);
  // A batch in flight may show in the view before it commits: take the snapshot once none does,
  // in the same turn of the event loop as subscribing, so the records delivered afterwards are
  // exactly those after it (records up to it that the hub has yet to deliver are skipped).
  for (let barrier = env.queue.durableBarrier(); barrier !== undefined; barrier = env.queue.durableBarrier()) await barrier.catch(() => {});
  const revision = env.view.revision;
  const scope = new HostScope(hostName, env.view);
  const documents = scope.snapshot();
  let considered = revision;
  let draining = true;
  const subscriber: FeedSubscriber = {
    readsView: true,
    deliver(records) {
      if (res.writableEnded) return;
      const lines: string[] = [];
      for (const record of records) {
        if (record.revision <= considered) continue;
        considered = record.revision;
        // A removed host's stream ends after telling it so; reconnecting is refused (AuthFailure).
        if (record.change.kind === 'HostRemoved' && record.change.hostName === hostName) {
          lines.push(JSON.stringify(record));
          res.end(`${lines.join('\n')}\n`);
          return;
        }
        const delivery = scope.select(record);
        for (const document of delivery.documents) lines.push(JSON.stringify(document));
        if (delivery.record !== undefined) lines.push(JSON.stringify(delivery.record));
        else if (delivery.documents.length > 0) lines.push(`{"heartbeat":${record.revision}}`);
      }
      if (lines.length > 0) res.write(`${lines.join('\n')}\n`);
    },
    // The opening snapshot may sit in the buffer for a while; the victim rule is for live lag.
    bufferedBytes: () => (draining ? 0 : res.writableLength),
    end(reason) {
      if (reason === 'victim') res.destroy();
      else res.end();
    },
  };
  // Subscribed in the same turn as the snapshot was taken: no record falls between the two.
  keepAlive(res, env, subscriber, () => considered);
  res.writeHead(200, {
    'Content-Type': 'application/x-ndjson',
    'Cache-Control': 'no-store',
    'x-amzn-RequestId': requestId,
    'x-stockade-host': hostName,
    'x-stockade-revision': String(revision),
  });
  writeSnapshot(res, revision, documents);
  if (res.writableNeedDrain) res.once('drain', () => (draining = false));
  else draining = false;
  return { status: 200, body: '', action: 'HostFeed', accountId: caller.accountId, region: caller.region };
}

/** Writes the opening snapshot at once (its size is the host's part of the state, not the log's). */
function writeSnapshot(res: http.ServerResponse, revision: number, documents: readonly ScopedDocument[]): void {
  res.write(`{"snapshot":${revision}}\n`);
  for (let start = 0; start < documents.length; start += CHUNK) {
    res.write(`${documents.slice(start, start + CHUNK).map((d) => JSON.stringify(d)).join('\n')}\n`);
  }
  res.write(`{"heartbeat":${revision}}\n`);
}
