import type { FeedSubscriber } from '../../feed/watch-hub.js';
import type { ServerDependencies } from '../server.js';
import type { ConsoleAnswer, SessionCall } from './console-route.js';

/**
 * How often the stream sends a comment line and checks that its session still exists: keeps
 * proxies from closing an idle stream, and ends a signed-out session's stream within this time on
 * every replica (the sign-out deleted it from the store).
 */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /console/api/events`: a server-sent-events stream (issue 11) that says "changed" whenever a
 * record of the signed-in account becomes durable, whichever client or replica made it, through the
 * watch hub that feeds hosts. Only the revision and the kinds of the account's own records are
 * sent, never a record's content nor anything of another account; the page then reads
 * `/console/api/state` again. A reader too slow to take its events is cut (watch-hub.ts victims)
 * and its EventSource reconnects by itself.
 */
export async function openEvents(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const { res } = call;
  const accountId = call.session.account.accountId;
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.write(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ revision: deps.view.revision })}\n\n`);
  const subscriber: FeedSubscriber = {
    deliver(records) {
      if (res.writableEnded) return;
      const own = records.filter((r) => r.accountId === accountId);
      const last = own[own.length - 1];
      if (last === undefined) return;
      res.write(`event: changed\ndata: ${JSON.stringify({ revision: last.revision, kinds: [...new Set(own.map((r) => r.change.kind))] })}\n\n`);
    },
    bufferedBytes: () => res.writableLength,
    end(reason) {
      if (reason === 'victim') res.destroy();
      else res.end();
    },
  };
  const unsubscribe = deps.hub.subscribe(subscriber);
  const keepalive = setInterval(() => {
    void deps.consoleSessions.sessionOf(deps.view, call.sessionToken).then(
      (session) => {
        if (session === undefined) res.end();
        else if (!res.writableEnded) res.write(': keepalive\n\n');
      },
      () => undefined,
    );
  }, KEEPALIVE_MS);
  res.on('close', () => {
    clearInterval(keepalive);
    unsubscribe();
  });
  return { kind: 'streaming', accountId };
}
