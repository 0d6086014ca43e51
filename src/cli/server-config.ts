import { QUOTA_PROFILES, type QuotaProfile } from '../domain/quota.js';
import { hostname } from 'node:os';
import { ACCOUNT_PLATFORMS, type AccountPlatform } from '../domain/account.js';
import { isHostName } from '../domain/host.js';
import type { StoreLocation } from '../state/open-state.js';

/** Everything `stockade serve` is configured with. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** A PostgreSQL URL (`--database`, `STOCKADE_DATABASE_URL`): state shared by replicas; else SQLite in `dataDir`. */
  readonly database: string | undefined;
  /**
   * How many of the newest change records to keep (`--retain-changes`, `STOCKADE_RETAIN_CHANGES`);
   * older ones are compacted away every `compactionIntervalMs` (issue 10). Undefined: keep all.
   */
  readonly retainChanges: number | undefined;
  /** `STOCKADE_COMPACTION_INTERVAL_MS`: 10 s by default, shorter in tests. */
  readonly compactionIntervalMs: number;
  readonly quotaProfile: QuotaProfile;
  readonly defaultRegion: string;
  readonly regions: ReadonlySet<string>;
  readonly logLevel: string;
  /** Interval of `/feed` heartbeat lines: 10 s (issue 5); `STOCKADE_FEED_HEARTBEAT_MS` for tests. */
  readonly feedHeartbeatMs: number;
  /**
   * Bytes a feed may hold unsent before it is ended as a victim (watch-hub.ts): 1 MiB, a few
   * thousand records (UNCONFIRMED value, no benchmark yet); `STOCKADE_FEED_BUFFER_BYTES`.
   */
  readonly feedBufferBytes: number;
  /** Single-host mode (`--agent`): run a host agent in this process for host `hostName`. */
  readonly agent: { readonly hostName: string; readonly resyncIntervalMs: number } | undefined;
  readonly bootstrap: {
    readonly accountId?: string;
    readonly accessKeyId?: string;
    readonly secretAccessKey?: string;
    readonly platform: AccountPlatform;
  };
}

/**
 * The regions a SigV4 scope may name (spec/auth.md §4.4): AWS's commercial regions, so that code
 * written for any of them works unchanged; `STOCKADE_REGIONS` replaces the list.
 */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'af-south-1', 'ap-east-1', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-south-1', 'eu-south-2', 'eu-north-1', 'il-central-1', 'me-south-1',
  'me-central-1', 'mx-central-1', 'sa-east-1',
];

/** Thrown for a bad option or environment value; the CLI prints it and exits 2. */
export class ConfigError extends Error {}

/**
 * Where state lives, for `serve` and the admin commands alike: `--database` (else
 * `STOCKADE_DATABASE_URL`), a PostgreSQL URL, or else SQLite in `--data-dir` (else
 * `STOCKADE_DATA_DIR`, else `./data`). The data directory also holds `serve`'s generated
 * credentials on either engine.
 */
export function storeLocation(options: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv): StoreLocation {
  const database = typeof options.database === 'string' ? options.database : env.STOCKADE_DATABASE_URL || undefined;
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database))
    throw new ConfigError('--database must be a PostgreSQL URL: postgres://user@host:port/database');
  const dataDir = typeof options['data-dir'] === 'string' ? options['data-dir'] : (env.STOCKADE_DATA_DIR ?? './data');
  return { dataDir, database };
}

/**
 * Resolves the configuration: command-line options first, then `STOCKADE_*` variables, then
 * defaults (port 8773, host 127.0.0.1, `./data`, quota profile `current`).
 */
export function resolveServerConfig(options: Readonly<Record<string, string | boolean | undefined>>, env: NodeJS.ProcessEnv): ServerConfig {
  const text = (name: string): string | undefined => (typeof options[name] === 'string' ? options[name] : undefined);
  const port = Number(text('port') ?? env.STOCKADE_PORT ?? '8773');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port: ${text('port') ?? env.STOCKADE_PORT}`);
  const quotas = text('quotas') ?? env.STOCKADE_QUOTAS ?? 'current';
  if (!(QUOTA_PROFILES as readonly string[]).includes(quotas)) throw new ConfigError(`--quotas must be one of ${QUOTA_PROFILES.join(', ')}`);
  const platform = env.STOCKADE_BOOTSTRAP_PLATFORM ?? 'vpc-only';
  if (!(ACCOUNT_PLATFORMS as readonly string[]).includes(platform))
    throw new ConfigError(`STOCKADE_BOOTSTRAP_PLATFORM must be one of ${ACCOUNT_PLATFORMS.join(', ')}`);
  const regions = (env.STOCKADE_REGIONS ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const defaultRegion = env.STOCKADE_DEFAULT_REGION ?? 'us-east-1';
  const bootstrap = {
    platform: platform as AccountPlatform,
    ...(env.STOCKADE_BOOTSTRAP_ACCOUNT_ID === undefined ? {} : { accountId: env.STOCKADE_BOOTSTRAP_ACCOUNT_ID }),
    ...(env.STOCKADE_BOOTSTRAP_ACCESS_KEY_ID === undefined ? {} : { accessKeyId: env.STOCKADE_BOOTSTRAP_ACCESS_KEY_ID }),
    ...(env.STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY === undefined ? {} : { secretAccessKey: env.STOCKADE_BOOTSTRAP_SECRET_ACCESS_KEY }),
  };
  const { dataDir, database } = storeLocation(options, env);
  const retainText = text('retain-changes') ?? env.STOCKADE_RETAIN_CHANGES;
  const retainChanges = retainText === undefined || retainText === '' ? undefined : Number(retainText);
  if (retainChanges !== undefined && (!Number.isSafeInteger(retainChanges) || retainChanges < 1))
    throw new ConfigError('--retain-changes must be a positive number of change records');
  const compactionIntervalMs = positiveInteger('STOCKADE_COMPACTION_INTERVAL_MS', env.STOCKADE_COMPACTION_INTERVAL_MS, 10_000);
  const feedHeartbeatMs = positiveInteger('STOCKADE_FEED_HEARTBEAT_MS', env.STOCKADE_FEED_HEARTBEAT_MS, 10_000);
  const feedBufferBytes = positiveInteger('STOCKADE_FEED_BUFFER_BYTES', env.STOCKADE_FEED_BUFFER_BYTES, 1024 * 1024);
  return {
    port,
    feedHeartbeatMs,
    feedBufferBytes,
    host: text('host') ?? env.STOCKADE_HOST ?? '127.0.0.1',
    dataDir,
    database,
    retainChanges,
    compactionIntervalMs,
    quotaProfile: quotas as QuotaProfile,
    defaultRegion,
    regions: new Set(regions.length > 0 ? regions : [...AWS_REGIONS, defaultRegion]),
    logLevel: text('log-level') ?? env.STOCKADE_LOG_LEVEL ?? 'info',
    agent: options.agent === true ? localAgentConfig(text('agent-host') ?? env.STOCKADE_AGENT_HOST, text('resync-interval') ?? env.STOCKADE_AGENT_RESYNC_SECONDS) : undefined,
    bootstrap,
  };
}

/**
 * Single-host mode's host: `--agent-host`, else this machine's name made a valid host name
 * (lower case; other characters become `-`), else `localhost`.
 */
function localAgentConfig(hostName: string | undefined, resyncSeconds: string | undefined): { hostName: string; resyncIntervalMs: number } {
  const name = hostName ?? (hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 63) || 'localhost');
  if (!isHostName(name)) throw new ConfigError(`invalid --agent-host ${JSON.stringify(name)}`);
  const seconds = Number(resyncSeconds ?? '60');
  if (!Number.isFinite(seconds) || seconds < 0) throw new ConfigError('--resync-interval must be a number of seconds (0: never)');
  return { hostName: name, resyncIntervalMs: Math.round(seconds * 1000) };
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return n;
}
