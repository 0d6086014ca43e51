import { SignatureV4 } from '@smithy/signature-v4';
import type { ChangeRecord } from '../../src/state/change-record.js';
import type { RawResponse } from './query-client.js';
import type { AccountCredentials, RunningStockade, StockadeEndpoint } from './stockade-process.js';
import { Sha256 } from './sha256.js';


/** One HTTP request to sign: any method, path, query and headers (query-client.ts signs POST / only). */
export interface RequestToSign {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * Sends `request` signed with SigV4 in the header form (by the AWS SDK's own signer), scoped to
 * ec2 in us-east-1 unless told otherwise. Every header given is signed.
 */
export async function signedFetch(
  server: StockadeEndpoint,
  request: RequestToSign,
  options: { credentials?: AccountCredentials; region?: string; service?: string } = {},
): Promise<RawResponse> {
  const credentials = options.credentials ?? server.bootstrap;
  const signer = new SignatureV4({
    service: options.service ?? 'ec2',
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Sha256,
  });
  const query = request.query ?? {};
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: request.path,
    query,
    headers: { host: `127.0.0.1:${server.port}`, ...request.headers },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${server.url}${request.path}${search === '' ? '' : `?${search}`}`, {
    method: request.method,
    headers: signed.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/**
 * The whole change log after revision `since`, read through `GET /changes?since=N` as the admin
 * (bootstrap) account, following the server's per-call limit until a call returns nothing.
 */
export async function changesSince(server: RunningStockade, since: number): Promise<ChangeRecord[]> {
  const records: ChangeRecord[] = [];
  let from = since;
  for (;;) {
    const response = await signedFetch(server, { method: 'GET', path: '/changes', query: { since: String(from) } });
    if (response.status !== 200) throw new Error(`GET /changes?since=${from} answered ${response.status}: ${response.body}`);
    const page = response.body
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as ChangeRecord);
    if (page.length === 0) return records;
    records.push(...page);
    const last = page[page.length - 1]?.revision ?? from;
    // Guards the loop; the tests themselves check the order of what came back.
    if (!(last > from)) return records;
    from = last;
  }
}

/** The revision the server's view is at, from `GET /health`. */
export async function currentRevision(server: RunningStockade): Promise<number> {
  const response = await fetch(`${server.url}/health`);
  const body = (await response.json()) as { revision: number };
  return body.revision;
}
