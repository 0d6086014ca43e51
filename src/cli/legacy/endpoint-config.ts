import { requiredOptionMissing } from './cli-errors.js';
import { GENERAL_OPTIONS } from './general-options.js';
import { optionValue, type ParsedCommandLine } from './option-parser.js';

/** The environment a legacy command reads (spec/cli.md §2.1). */
export type CommandEnvironment = Readonly<Record<string, string | undefined>>;

/** Where and as whom a legacy command sends its requests. */
export interface EndpointConfig {
  /** The endpoint as configured (not yet parsed; a bad URL fails when the first request is made). */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Sent as the SigV2 parameter `SecurityToken` when present. */
  readonly securityToken: string | undefined;
  /** Connection timeout; `undefined` waits forever. */
  readonly connectionTimeoutMs: number | undefined;
  /** Idle time allowed while waiting for the response; `undefined` waits forever. */
  readonly requestTimeoutMs: number | undefined;
}

/** The tools' default endpoint, us-east-1 (spec/cli.md §2.1). */
export const DEFAULT_ENDPOINT = 'https://ec2.amazonaws.com';
const DEFAULT_CONNECTION_TIMEOUT_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * Resolves the endpoint, credentials and timeouts from the options and the environment.
 *
 * Endpoint precedence: `--region`, then `-U`, then `$EC2_URL`, then `$EC2_REGION`, then
 * `https://ec2.amazonaws.com`. `--region` beats `-U` as in 1.6.7.1 (spec/cli.md §2.2,
 * [observed-cli]). 1.6.7.1 does not read `$EC2_REGION` at all (§2.1); we honour it as the lowest
 * default, so it never changes the endpoint of a command line that worked with the real tools.
 * Throws `UsageError` when the access key, then the secret key, is missing.
 */
export function resolveEndpointConfig(parsed: ParsedCommandLine, env: CommandEnvironment): EndpointConfig {
  const accessKeyId = optionValue(parsed, GENERAL_OPTIONS.accessKey) ?? nonEmpty(env['AWS_ACCESS_KEY']);
  if (accessKeyId === undefined) throw requiredOptionMissing(GENERAL_OPTIONS.accessKey);
  const secretAccessKey = optionValue(parsed, GENERAL_OPTIONS.secretKey) ?? nonEmpty(env['AWS_SECRET_KEY']);
  if (secretAccessKey === undefined) throw requiredOptionMissing(GENERAL_OPTIONS.secretKey);
  return {
    endpoint: endpointFromOptions(parsed, env),
    accessKeyId,
    secretAccessKey,
    securityToken: optionValue(parsed, GENERAL_OPTIONS.securityToken) ?? nonEmpty(env['AWS_DELEGATION_TOKEN']),
    connectionTimeoutMs: timeoutMs(optionValue(parsed, GENERAL_OPTIONS.connectionTimeout), DEFAULT_CONNECTION_TIMEOUT_MS),
    requestTimeoutMs: timeoutMs(optionValue(parsed, GENERAL_OPTIONS.requestTimeout), DEFAULT_REQUEST_TIMEOUT_MS),
  };
}

function endpointFromOptions(parsed: ParsedCommandLine, env: CommandEnvironment): string {
  const region = optionValue(parsed, GENERAL_OPTIONS.region);
  if (region !== undefined) return endpointForRegion(region);
  const url = optionValue(parsed, GENERAL_OPTIONS.url) ?? nonEmpty(env['EC2_URL']);
  if (url !== undefined) return url;
  const envRegion = nonEmpty(env['EC2_REGION']);
  return envRegion === undefined ? DEFAULT_ENDPOINT : endpointForRegion(envRegion);
}

/** Returns the public EC2 endpoint of `region` (spec/cli.md §2.2). */
export function endpointForRegion(region: string): string {
  return `https://ec2.${region}.amazonaws.com`;
}

// Invalid timeout values are silently ignored, as by the real tools (spec/cli.md §2.2); 0 means
// "no timeout" as in Apache HttpClient, which the tools use.
function timeoutMs(seconds: string | undefined, defaultMs: number): number | undefined {
  if (seconds === undefined || !/^\d+$/.test(seconds)) return defaultMs;
  const value = Number(seconds);
  return value === 0 ? undefined : value * 1000;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
