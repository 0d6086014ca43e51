import type { FeedSubscriber } from '../../feed/watch-hub.js';
import type { ServerDependencies } from '../server.js';
import { consoleContext } from './console-context.js';
import { foreignPeerGroups, touchesPeerGroup } from './console-peer-groups.js';
import type { ConsoleAnswer, SessionCall } from './console-route.js';

/**
 * How often the stream sends a comment line and checks that its session still exists: keeps
 * proxies from closing an idle stream, and ends a signed-out session's stream within this time on
 * every replica (the sign-out deleted it from the store).
 */
const KEEPALIVE_MS = 15_000;

/**
 * `GET /console/api/events?region=R`: a server-sent-events stream (issue 11) that tells the page
 * to read `/console/api/state` again, whichever client or replica made the change:
 * - `changed` `{revision, kinds}` when a record of the signed-in account becomes durable (through
 *   the watch hub that feeds hosts);
 * - `peer-changed` `{revision}` when another account's durable record touches a group that this
 *   account's rules in R name (its members, its rules, its deletion): what those rules admit changed;
 * - `enforced` `{instanceIds}` when a host reports what is in force on instances of the account
 *   (reports this replica received: they are kept outside the change log).
 * Never a record's content, another account's kinds or instances; a reader too slow to take its
 * events is cut (watch-hub.ts victims) and its EventSource reconnects by itself. Throws
 * ConsoleUnknownRegion.
 */
export async function openEvents(call: SessionCall, deps: ServerDependencies): Promise<ConsoleAnswer> {
  const { res } = call;
  const accountId = call.session.account.accountId;
  const { region } = consoleContext(call, deps);
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.write(`retry: 1000\nevent: ready\ndata: ${JSON.stringify({ revision: deps.view.revision })}\n\n`);
  const send = (event: string, data: unknown) => {
    if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  /** Other accounts' groups this account's rules name: computed when first needed, again after any own record (which may change the rules). */
  let peerGroups: ReadonlySet<string> | undefined;
  const subscriber: FeedSubscriber = {
    deliver(records) {
      const own = records.filter((r) => r.accountId === accountId);
      const lastOwn = own[own.length - 1];
      if (lastOwn !== undefined) {
        peerGroups = undefined;
        send('changed', { revision: lastOwn.revision, kinds: [...new Set(own.map((r) => r.change.kind))] });
      }
      let touching: number | undefined;
      for (const record of records) {
        if (record.accountId === accountId) continue;
        peerGroups ??= foreignPeerGroups(deps.view, accountId, region);
        if (peerGroups.size === 0) break;
        if (touchesPeerGroup(deps.view, record, peerGroups)) touching = record.revision;
      }
      if (touching !== undefined) send('peer-changed', { revision: touching });
    },
    bufferedBytes: () => res.writableLength,
    end(reason) {
      if (reason === 'victim') res.destroy();
      else res.end();
    },
  };
  const stopReports = deps.enforced.onRecorded((reports) => {
    const instanceIds = reports.filter((r) => deps.view.instances.get(r.instanceId)?.ownerId === accountId).map((r) => r.instanceId);
    if (instanceIds.length > 0) send('enforced', { instanceIds });
  });
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
    stopReports();
  });
  return { kind: 'streaming', accountId };
}
