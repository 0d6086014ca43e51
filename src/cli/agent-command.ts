import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { listeningPort, serveAgentMetrics } from '../agent/agent-metrics.js';
import { HostAgent } from '../agent/host-agent.js';
import { ipVersion } from '../agent/netns.js';
import { nftVersion } from '../agent/nft-apply.js';
import type { AgentConfig } from './agent-config.js';
import { ConfigError } from './server-config.js';

const run = promisify(execFile);

/**
 * `stockade agent`: enforces the instances Stockade places on this host (issue 5). Needs root,
 * `nft` and `ip`. Runs until SIGTERM/SIGINT; on stopping it leaves every namespace and ruleset in
 * place (instances keep running, and keep being filtered, while no agent runs).
 */
export async function agentCommand(config: AgentConfig): Promise<void> {
  const logger = pino({ level: config.logLevel, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
  await checkHost();
  const agent = new HostAgent({ ...config, log: logger });
  agent.start();
  logger.info({ servers: config.serverUrls.map((u) => u.href), host: config.hostName }, 'agent started');
  if (config.metricsPort !== undefined) {
    const metrics = await serveAgentMetrics(() => agent.status(), config.metricsPort, '127.0.0.1');
    logger.info({ url: `http://127.0.0.1:${listeningPort(metrics)}/metrics` }, 'agent metrics listening');
  }
  const stop = async (signal: string) => {
    logger.info({ signal, stats: agent.stats }, 'agent stopping');
    await agent.stop();
    logger.flush();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Root, nftables, iproute2 and util-linux's nsenter: said at start rather than on the first instance. */
export async function checkHost(): Promise<void> {
  if (process.getuid?.() !== 0) throw new ConfigError('the agent must run as root (it creates network namespaces and loads nftables)');
  await nftVersion().catch((error: unknown) => {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  });
  await ipVersion().catch(() => {
    throw new ConfigError('ip cannot be run (iproute2 is required)');
  });
  await run('nsenter', ['--version']).catch(() => {
    throw new ConfigError('nsenter cannot be run (util-linux is required)');
  });
}
