import { readFileSync } from 'node:fs';
import { isHostName } from '../domain/host.js';
import type { HostCredentials } from '../agent/host-signer.js';
import { ConfigError } from './server-config.js';

/** Everything `stockade agent` is configured with. */
export interface AgentConfig {
  /** Replicas of one Stockade, tried in turn: the feed moves to the next when one fails. */
  readonly serverUrls: readonly URL[];
  readonly hostName: string;
  readonly credentials: HostCredentials;
  readonly region: string;
  readonly resyncIntervalMs: number;
  readonly concurrency: number;
  /** Port for GET /metrics and /health on 127.0.0.1 (0: any free port); undefined: none. */
  readonly metricsPort: number | undefined;
  readonly logLevel: string;
}

/**
 * Resolves `stockade agent --server URL[,URL…] --host NAME [--credentials FILE] [--region R]
 * [--resync-interval SECONDS] [--concurrency N] [--metrics-port P] [--log-level L]`. The host's key comes from
 * `--credentials` (the JSON `stockade hosts add --json` prints) or from
 * `STOCKADE_HOST_ACCESS_KEY_ID` and `STOCKADE_HOST_SECRET_ACCESS_KEY`.
 */
export function resolveAgentConfig(options: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv): AgentConfig {
  const server = stringOption(options.server) ?? env.STOCKADE_SERVER_URL;
  if (server === undefined) throw new ConfigError('agent needs --server URL');
  const serverUrls = server.split(',').map((text) => {
    let url: URL;
    try {
      url = new URL(text.trim());
    } catch {
      throw new ConfigError(`invalid --server URL: ${text}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--server must be an http or https URL: ${text}`);
    return url;
  });
  const hostName = stringOption(options.host) ?? env.STOCKADE_AGENT_HOST;
  if (hostName === undefined) throw new ConfigError('agent needs --host NAME (as registered with `stockade hosts add`)');
  if (!isHostName(hostName)) throw new ConfigError(`invalid host name ${JSON.stringify(hostName)}`);
  const resyncSeconds = Number(stringOption(options['resync-interval']) ?? env.STOCKADE_AGENT_RESYNC_SECONDS ?? '60');
  if (!Number.isFinite(resyncSeconds) || resyncSeconds < 0) throw new ConfigError('--resync-interval must be a number of seconds (0: never)');
  const concurrency = Number(stringOption(options.concurrency) ?? '8');
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new ConfigError('--concurrency must be from 1 to 64');
  const metricsText = stringOption(options['metrics-port']) ?? env.STOCKADE_AGENT_METRICS_PORT;
  const metricsPort = metricsText === undefined ? undefined : Number(metricsText);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) throw new ConfigError(`invalid --metrics-port: ${metricsText}`);
  return {
    serverUrls,
    metricsPort,
    hostName,
    credentials: hostCredentials(stringOption(options.credentials), env),
    region: stringOption(options.region) ?? env.STOCKADE_AGENT_REGION ?? 'us-east-1',
    resyncIntervalMs: Math.round(resyncSeconds * 1000),
    concurrency,
    logLevel: stringOption(options['log-level']) ?? env.STOCKADE_LOG_LEVEL ?? 'info',
  };
}

function hostCredentials(file: string | undefined, env: NodeJS.ProcessEnv): HostCredentials {
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read --credentials ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { accessKeyId, secretAccessKey } = (parsed ?? {}) as { accessKeyId?: unknown; secretAccessKey?: unknown };
    if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string')
      throw new ConfigError(`--credentials ${file} must hold {"accessKeyId": …, "secretAccessKey": …}`);
    return { accessKeyId, secretAccessKey };
  }
  const accessKeyId = env.STOCKADE_HOST_ACCESS_KEY_ID;
  const secretAccessKey = env.STOCKADE_HOST_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined)
    throw new ConfigError('agent needs the host key: --credentials FILE, or STOCKADE_HOST_ACCESS_KEY_ID and STOCKADE_HOST_SECRET_ACCESS_KEY');
  return { accessKeyId, secretAccessKey };
}

function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
