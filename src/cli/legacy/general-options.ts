import type { OptionSpec } from './option-spec.js';

/**
 * The options every legacy command accepts (spec/cli.md §2.2), as one table so that parsing,
 * usage messages and help text share a source.
 */
export const GENERAL_OPTIONS = {
  accessKey: { long: 'aws-access-key', short: 'O', valueName: 'KEY', help: 'Access key ID. Default: $AWS_ACCESS_KEY.' },
  secretKey: { long: 'aws-secret-key', short: 'W', valueName: 'KEY', help: 'Secret access key. Default: $AWS_SECRET_KEY.' },
  securityToken: {
    long: 'security-token',
    short: 'T',
    valueName: 'TOKEN',
    help: 'Session token of temporary credentials, sent as SecurityToken. Default: $AWS_DELEGATION_TOKEN.',
  },
  privateKey: { long: 'private-key', short: 'K', valueName: 'KEY', help: 'Accepted and ignored (X.509/SOAP credentials are not supported).' },
  cert: { long: 'cert', short: 'C', valueName: 'CERT', help: 'Accepted and ignored (X.509/SOAP credentials are not supported).' },
  url: { long: 'url', short: 'U', valueName: 'URL', help: 'Endpoint URL, e.g. http://127.0.0.1:5001. Default: $EC2_URL.' },
  region: {
    long: 'region',
    valueName: 'REGION',
    help: 'Use https://ec2.REGION.amazonaws.com, overriding --url and $EC2_URL.',
  },
  connectionTimeout: {
    long: 'connection-timeout',
    valueName: 'TIMEOUT',
    help: 'Seconds to wait for the connection (default 30; 0 waits forever; invalid values are ignored).',
  },
  requestTimeout: {
    long: 'request-timeout',
    valueName: 'TIMEOUT',
    help: 'Seconds of silence allowed while waiting for the response (default 60; 0 waits forever; invalid values are ignored).',
  },
  verbose: { long: 'verbose', short: 'v', help: 'Print each HTTP request and response (wire log) before the output.' },
  headers: { long: 'headers', short: 'H', help: 'Print a column header line before the output.' },
  showEmptyFields: { long: 'show-empty-fields', help: 'Print empty columns as (nil).' },
  hideTags: { long: 'hide-tags', help: 'Do not print TAG lines.' },
  debug: { long: 'debug', help: 'Print the access key in use, and a stack trace on failure.' },
  help: { long: 'help', short: 'h', help: 'Print this help and exit (also -?).' },
} as const satisfies Record<string, OptionSpec>;

/** The general options in help order. */
export const GENERAL_OPTION_LIST: readonly OptionSpec[] = Object.values(GENERAL_OPTIONS);
