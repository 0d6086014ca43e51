import { query } from '../test/harness/query-client.js';
import { signedFetch } from '../test/harness/signed-fetch.js';
import { BOOTSTRAP, type ServerProcess } from './server-processes.js';

/**
 * One EC2 Query call to a benchmarked server as its bootstrap account (the test harness's SigV4
 * request); resolves with the XML body, rejects on any other answer than 200.
 */
export async function benchQuery(server: ServerProcess, params: Record<string, string>): Promise<string> {
  const response = await query({ ...server, bootstrap: BOOTSTRAP }, params);
  if (response.status !== 200) throw new Error(`${params.Action}: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
  return response.body;
}

/** A signed GET of one of Stockade's own endpoints as the bootstrap account; rejects unless 200. */
export async function benchGet(server: ServerProcess, path: string, params: Record<string, string>): Promise<string> {
  const response = await signedFetch({ ...server, bootstrap: BOOTSTRAP }, { method: 'GET', path, query: params });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
  return response.body;
}
