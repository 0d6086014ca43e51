import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from './cli-error.js';
import { resolveEndpointConfig, type CommandEnvironment } from './endpoint-config.js';
import { GENERAL_OPTION_LIST } from './general-options.js';
import { parseCommandLine } from './option-parser.js';

const KEYS: CommandEnvironment = { AWS_ACCESS_KEY: 'AK', AWS_SECRET_KEY: 'SK' };
const resolve = (argv: string[], env: CommandEnvironment) => resolveEndpointConfig(parseCommandLine(argv, GENERAL_OPTION_LIST), env);

describe('resolveEndpointConfig: endpoint precedence', () => {
  const rows: { name: string; argv: string[]; env: CommandEnvironment; endpoint: string }[] = [
    { name: 'default', argv: [], env: KEYS, endpoint: 'https://ec2.amazonaws.com' },
    { name: 'EC2_URL', argv: [], env: { ...KEYS, EC2_URL: 'http://127.0.0.1:5001' }, endpoint: 'http://127.0.0.1:5001' },
    { name: '-U beats EC2_URL', argv: ['-U', 'http://a:1'], env: { ...KEYS, EC2_URL: 'http://b:2' }, endpoint: 'http://a:1' },
    { name: '--url', argv: ['--url', 'http://a:1'], env: KEYS, endpoint: 'http://a:1' },
    // --region overrides both -U and EC2_URL, as in 1.6.7.1 (spec/cli.md §2.2).
    { name: '--region beats -U', argv: ['--region', 'eu-west-1', '-U', 'http://a:1'], env: { ...KEYS, EC2_URL: 'http://b:2' }, endpoint: 'https://ec2.eu-west-1.amazonaws.com' },
    // EC2_REGION: our addition, the lowest default.
    { name: 'EC2_REGION alone', argv: [], env: { ...KEYS, EC2_REGION: 'ap-south-1' }, endpoint: 'https://ec2.ap-south-1.amazonaws.com' },
    { name: 'EC2_URL beats EC2_REGION', argv: [], env: { ...KEYS, EC2_URL: 'http://b:2', EC2_REGION: 'ap-south-1' }, endpoint: 'http://b:2' },
    { name: '-U beats EC2_REGION', argv: ['-U', 'http://a:1'], env: { ...KEYS, EC2_REGION: 'ap-south-1' }, endpoint: 'http://a:1' },
    { name: '--region beats EC2_REGION', argv: ['--region', 'eu-west-1'], env: { ...KEYS, EC2_REGION: 'ap-south-1' }, endpoint: 'https://ec2.eu-west-1.amazonaws.com' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(resolve(row.argv, row.env).endpoint, row.endpoint));
});

describe('resolveEndpointConfig: credentials', () => {
  it('takes keys and token from the environment', () => {
    const config = resolve([], { ...KEYS, AWS_DELEGATION_TOKEN: 'TOK' });
    assert.deepEqual([config.accessKeyId, config.secretAccessKey, config.securityToken], ['AK', 'SK', 'TOK']);
  });

  it('lets options override the environment', () => {
    const config = resolve(['-O', 'AK2', '--aws-secret-key', 'SK2', '-T', 'TOK2'], { ...KEYS, AWS_DELEGATION_TOKEN: 'TOK' });
    assert.deepEqual([config.accessKeyId, config.secretAccessKey, config.securityToken], ['AK2', 'SK2', 'TOK2']);
  });

  const missing: { name: string; argv: string[]; env: CommandEnvironment; message: string }[] = [
    { name: 'nothing', argv: [], env: {}, message: "Required option '-O, --aws-access-key KEY' missing (-h for usage)" },
    { name: 'empty variable', argv: [], env: { AWS_ACCESS_KEY: '', AWS_SECRET_KEY: 'SK' }, message: "Required option '-O, --aws-access-key KEY' missing (-h for usage)" },
    { name: 'secret only missing', argv: ['-O', 'AK'], env: {}, message: "Required option '-W, --aws-secret-key KEY' missing (-h for usage)" },
  ];
  for (const row of missing) {
    it(`requires credentials: ${row.name}`, () => {
      assert.throws(() => resolve(row.argv, row.env), (error: unknown) => error instanceof UsageError && error.message === row.message);
    });
  }
});

describe('resolveEndpointConfig: timeouts', () => {
  const rows: { argv: string[]; connect: number | undefined; request: number | undefined }[] = [
    { argv: [], connect: 30_000, request: 60_000 },
    { argv: ['--connection-timeout', '5', '--request-timeout', '7'], connect: 5_000, request: 7_000 },
    { argv: ['--connection-timeout', '0'], connect: undefined, request: 60_000 },
    // Invalid values are silently ignored (spec/cli.md §2.2).
    { argv: ['--connection-timeout', 'soon', '--request-timeout', '-3'], connect: 30_000, request: 60_000 },
  ];
  for (const row of rows) {
    it(row.argv.join(' ') || 'defaults', () => {
      const config = resolve(row.argv, KEYS);
      assert.deepEqual([config.connectionTimeoutMs, config.requestTimeoutMs], [row.connect, row.request]);
    });
  }
});
