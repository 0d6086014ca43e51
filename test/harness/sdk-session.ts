import { after, before } from 'node:test';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ec2Client } from './clients.js';
import { startStockade, type RunningStockade } from './stockade-process.js';

/** A running server and an EC2 client signed as its bootstrap account, for one suite. */
export interface SdkSession {
  readonly server: RunningStockade;
  readonly ec2: EC2Client;
}

/**
 * Starts a server (options as `startStockade`) and a client before the enclosing suite's tests, and
 * stops both after them. Call it inside `describe`; read the fields only inside tests and hooks.
 */
export function sdkSession(options: Parameters<typeof startStockade>[0] = {}): SdkSession {
  let server: RunningStockade | undefined;
  let ec2: EC2Client | undefined;
  before(async () => {
    server = await startStockade(options);
    ec2 = ec2Client(server);
  });
  after(async () => {
    ec2?.destroy();
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('sdkSession: the server is not started yet (use it inside a test or hook)');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get ec2() {
      return started(ec2);
    },
  };
}

/**
 * Starts a server (options as `startStockade`, e.g. a `dataDir` kept across restarts), runs `body`
 * with a client for it, and stops both whatever `body` does.
 */
export async function withSdkServer<T>(
  options: Parameters<typeof startStockade>[0],
  body: (ec2: EC2Client, server: RunningStockade) => Promise<T>,
): Promise<T> {
  const server = await startStockade(options);
  const ec2 = ec2Client(server);
  try {
    return await body(ec2, server);
  } finally {
    ec2.destroy();
    await server.stop();
  }
}
