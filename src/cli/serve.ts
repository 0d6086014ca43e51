import { pino } from 'pino';
import { ApiMetrics } from '../api/metrics.js';
import { StockadeServer } from '../api/server.js';
import { SecurityGroupXmlCache } from '../api/xml/security-group-xml-cache.js';
import { WatchHub } from '../feed/watch-hub.js';
import { ConsoleSessions } from '../service/console-sessions.js';
import { EnforcedRevisions } from '../service/enforced-revisions.js';
import { InstancePolicies } from '../service/instance-policies.js';
import { openState } from '../state/open-state.js';
import type { HostAgent } from '../agent/host-agent.js';
import { bootstrapAccount } from './bootstrap-account.js';
import type { ServerConfig } from './server-config.js';

/**
 * `stockade serve`: opens the store, creates the bootstrap account on first start, serves the EC2
 * Query API, and shuts down gracefully on SIGTERM/SIGINT (finish requests in flight, let the commit
 * queue drain, close the store). Prints `Stockade listening on http://HOST:PORT` when ready.
 */
export async function serve(config: ServerConfig): Promise<void> {
  // Single-host mode needs root, nft and ip: refuse at once rather than after start-up.
  // The agent's code is loaded only in that mode: the control plane alone stays as small as it was.
  const localAgent = config.agent === undefined ? undefined : await import('./local-agent.js');
  if (localAgent !== undefined) await (await import('./agent-command.js')).checkHost();
  const logger = pino({ level: config.logLevel, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
  const metrics = new ApiMetrics();
  const groupXml = new SecurityGroupXmlCache();
  // Created right after the view exists; the commit hook reaches it through this binding.
  let policies: InstancePolicies | undefined;
  let hub: WatchHub | undefined;
  const state = await openState({
    dataDir: config.dataDir,
    database: config.database,
    onCommitted: (records) => {
      groupXml.invalidate(records);
      policies?.onCommitted(records);
      hub?.publish(records);
      metrics.committed(records.length);
    },
    onReload: () => {
      groupXml.clear();
      policies?.clear();
      hub?.viewReloaded();
    },
    onFatal: (error) => {
      // The disk may not hold what the view shows: stop rather than answer from it.
      logger.fatal({ err: error }, 'committed changes could not be made durable; stopping');
      logger.flush();
      process.exit(70);
    },
  });
  policies = new InstancePolicies(state.view);
  hub = new WatchHub({ revision: state.view.revision, durableBarrier: () => state.queue.publishedBarrier(), maxBufferedBytes: config.feedBufferBytes });
  await bootstrapAccount(state, config, (line) => process.stdout.write(`${line}\n`));
  const server = new StockadeServer({
    ...state,
    groupXml,
    policies,
    hub,
    enforced: new EnforcedRevisions(state.store),
    consoleSessions: new ConsoleSessions(state.store, () => new Date()),
    heartbeatMs: config.feedHeartbeatMs,
    logger,
    metrics,
    quotaProfile: config.quotaProfile,
    defaultRegion: config.defaultRegion,
    regions: config.regions,
    clock: () => new Date(),
  });
  // Compaction (issue 10): the documents hold the state; readers of older revisions get 410 and
  // start from a snapshot. Any replica may compact: the deletes are idempotent. Counted from the
  // last published (committed) revision, not the view's, which may hold a batch in flight.
  const retain = config.retainChanges;
  const compaction =
    retain === undefined
      ? undefined
      : setInterval(() => {
          state.store.compact(state.queue.publishedRevision - retain).catch((error: unknown) => logger.warn({ err: error }, 'compaction failed; will retry'));
        }, config.compactionIntervalMs);
  compaction?.unref();
  let agent: HostAgent | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearInterval(compaction);
    await agent?.stop();
    await server.close();
    await state.queue.idle();
    await state.store.close();
    logger.flush();
    process.exit(0);
  };
  // Installed before listening, so a signal during start-up also shuts down gracefully.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  const port = await server.listen(config.port, config.host);
  if (config.agent !== undefined && localAgent !== undefined) {
    // Over loopback when the server listens on every address.
    const address = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    agent = await localAgent.startLocalAgent(state, {
      dataDir: config.dataDir,
      hostName: config.agent.hostName,
      serverUrl: new URL(`http://${address.includes(':') ? `[${address}]` : address}:${port}`),
      region: config.defaultRegion,
      resyncIntervalMs: config.agent.resyncIntervalMs,
      log: logger.child({ component: 'agent' }),
    });
    const { renderAgentMetrics } = await import('../agent/agent-metrics.js');
    const running = agent;
    metrics.agentMetrics = () => renderAgentMetrics(running.status());
  }
  process.stdout.write(`Stockade listening on http://${config.host}:${port}\n`);
}
