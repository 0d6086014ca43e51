import type http from 'node:http';
import { revisionCompacted } from '../domain/ec2-errors.js';
import type { FeedSubscriber, WatchHub } from '../feed/watch-hub.js';
import { redactChangeRecord, type ChangeRecord } from '../state/change-record.js';
import type { Store } from '../state/store.js';
import type { SignedRequest } from './auth/signed-request.js';
import { sinceRevision } from './changes-endpoint.js';
import { authenticateHost, type QueryEnvironment, type QueryOutcome } from './handle-query.js';

/** Records read from the store per catch-up page (bounded memory for a host far behind). */
const CATCH_UP_PAGE = 1000;

/** What the feed needs from the running server. */
export interface FeedEnvironment extends QueryEnvironment {
  readonly store: Store;
  readonly hub: WatchHub;
  /** Interval of `{"heartbeat":REVISION}` lines; 10 s by default (issue 5), shorter in tests. */
  readonly heartbeatMs: number;
}

/**
 * `GET /feed?since=N`, signed with a host's key (issue 5): answers 200 `application/x-ndjson`,
 * first every committed (and durable) record with revision > N, redacted, then each record as it
 * commits, plus `{"heartbeat":R}` (R = last revision sent) every `heartbeatMs`. Reconnecting with
 * `since=<last revision seen>` continues without gap or repeat. Throws the verifier's codes,
 * UnauthorizedOperation for an account's key, MalformedQueryString for a bad `since`; after the
 * headers are sent, the stream ends at shutdown or when the reader falls behind (watch-hub.ts).
 */
export async function openFeed(request: SignedRequest, res: http.ServerResponse, env: FeedEnvironment, requestId: string): Promise<QueryOutcome> {
  const { caller, hostName } = authenticateHost(request, env);
  const since = sinceRevision(request.params);
  // The view was synced with the log when this request arrived (server.ts); once the hub has
  // delivered that far, the header below is at least every revision committed before the request,
  // by any replica: a host that switches replicas never reads a lagging replica's header as a log
  // that went backwards.
  await env.hub.delivered(env.queue.publishedRevision);
  // Records after `since` that compaction removed: 410, "take a snapshot" (never a silent gap).
  const oldest = await env.store.oldestRevision();
  if (since + 1 < oldest) throw revisionCompacted(since, oldest);
  // x-stockade-revision: the last durable revision now. The catch-up below ends there, so a host
  // knows when it holds the complete picture; a value below its own `since` means this server's
  // log is not the one it followed (a new or restored data directory).
  res.writeHead(200, {
    'Content-Type': 'application/x-ndjson',
    'Cache-Control': 'no-store',
    'x-amzn-RequestId': requestId,
    'x-stockade-host': hostName,
    'x-stockade-revision': String(env.hub.deliveredRevision),
  });
  // Send the headers now: a host that is up to date would otherwise wait for the first record.
  res.flushHeaders();
  let lastSent = since;
  let live = false;
  const write = (record: ChangeRecord) => {
    res.write(`${JSON.stringify(redactChangeRecord(record))}\n`);
    lastSent = record.revision;
  };
  const subscriber: FeedSubscriber = {
    deliver(records) {
      // While catching up, the store supplies these (catchUp stops at deliveredRevision).
      if (!live || res.writableEnded) return;
      for (const record of records) {
        if (record.revision <= lastSent) continue;
        write(record);
        // A removed host's stream ends after telling it so; reconnecting is refused (AuthFailure).
        if (record.change.kind === 'HostRemoved' && record.change.hostName === hostName) return void res.end();
      }
    },
    // Catch-up paces itself by 'drain' and may hold one page; the victim rule is for live lag.
    bufferedBytes: () => (live ? res.writableLength : 0),
    end(reason) {
      // A victim is cut at once: its buffer is what must not grow. At shutdown, finish cleanly.
      if (reason === 'victim') res.destroy();
      else res.end();
    },
  };
  keepAlive(res, env, subscriber, () => (live ? lastSent : undefined));
  // A store that fails mid catch-up ends the stream; the host reconnects from its last revision.
  catchUp(env, res, () => lastSent, write, () => (live = true)).catch(() => res.destroy());
  return { status: 200, body: '', action: 'Feed', accountId: caller.accountId, region: caller.region };
}

/**
 * Sends the stored records after the last one sent, up to the hub's delivered revision, waiting
 * for the socket to drain between pages, then calls `goLive` in the same synchronous step as the
 * final check: every record the hub publishes afterwards is newer, so there is no gap and no repeat.
 */
async function catchUp(
  env: FeedEnvironment,
  res: http.ServerResponse,
  lastSent: () => number,
  write: (record: ChangeRecord) => void,
  goLive: () => void,
): Promise<void> {
  for (;;) {
    if (res.destroyed || res.writableEnded) return;
    const upTo = env.hub.deliveredRevision;
    // Records past `upTo` are committed but not yet known durable: the hub delivers them live.
    const page = lastSent() >= upTo ? [] : await env.store.changesSince(lastSent(), CATCH_UP_PAGE);
    // The hub may have delivered more while the page was read; those are durable too.
    const due = page.filter((r) => r.revision <= env.hub.deliveredRevision);
    if (due.length === 0) return void goLive();
    for (const record of due) write(record);
    if (res.writableNeedDrain) await drained(res);
  }
}

/**
 * Subscribes a feed stream to the hub until it closes, and every `heartbeatMs` writes
 * `{"heartbeat":N}` (N from `heartbeatRevision`; undefined: not yet, the stream is still catching
 * up) and cuts it if it has fallen too far behind (the victim rule, watch-hub.ts).
 */
export function keepAlive(res: http.ServerResponse, env: FeedEnvironment, subscriber: FeedSubscriber, heartbeatRevision: () => number | undefined): void {
  const unsubscribe = env.hub.subscribe(subscriber);
  const heartbeat = setInterval(() => {
    const revision = heartbeatRevision();
    if (revision === undefined || res.writableEnded) return;
    res.write(`{"heartbeat":${revision}}\n`);
    env.hub.victimizeIfBehind(subscriber);
  }, env.heartbeatMs);
  res.once('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

/** Resolves when the response can take more, or is closed. */
export function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
