import assert from 'node:assert/strict';
import { EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import type { AccountCredentials, RunningStockade } from './stockade-process.js';

/** An `@aws-sdk/client-ec2` client pointed at the server with an endpoint override only. */
export function ec2Client(server: RunningStockade, credentials: AccountCredentials = server.bootstrap, region = 'us-east-1'): EC2Client {
  return new EC2Client({
    endpoint: server.url,
    region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  });
}

/** Environment for AWS CLI subprocesses: keys in variables, no config files, no pager. */
export function awsCliEnv(credentials: AccountCredentials, region = 'us-east-1'): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/** Awaits `call`, which must fail with an EC2 error, and returns its code, message and HTTP status. */
export async function ec2Error(call: Promise<unknown>): Promise<{ code: string; message: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof EC2ServiceException, `expected an EC2 error, got ${String(error)}`);
    return { code: error.name, message: error.message, status: error.$metadata.httpStatusCode };
  }
  assert.fail('expected the call to fail');
}
