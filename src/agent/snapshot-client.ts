import http from 'node:http';
import https from 'node:https';
import type { DocumentKind } from '../state/view.js';
import { signHostRequest, type HostCredentials } from './host-signer.js';

/** A server's state at one revision, as `GET /feed/snapshot` sends it. */
export interface Snapshot {
  readonly revision: number;
  readonly documents: readonly { readonly kind: DocumentKind; readonly body: unknown }[];
}

/** How long a snapshot may take to arrive before the attempt is abandoned (and retried). */
const SNAPSHOT_TIMEOUT_MS = 60_000;

/**
 * Reads `GET /feed/snapshot` (issue 10), signed with the host's key: the state the agent starts
 * from before following the feed from its revision. Rejects on any failure; the caller retries.
 */
export function fetchSnapshot(serverUrl: URL, credentials: HostCredentials, region: string): Promise<Snapshot> {
  const url = new URL('/feed/snapshot', serverUrl);
  const headers = signHostRequest('GET', url, Buffer.alloc(0), credentials, region);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.get(url, { headers, agent: false, timeout: SNAPSHOT_TIMEOUT_MS });
    request.once('timeout', () => request.destroy(new Error('snapshot took too long')));
    request.once('error', reject);
    request.once('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) return reject(new Error(`snapshot: HTTP ${response.statusCode}: ${/<Code>([^<]*)</.exec(text)?.[1] ?? text.slice(0, 200)}`));
        try {
          const [head, ...lines] = text.split('\n').filter((line) => line.length > 0);
          const revision = (JSON.parse(head ?? '{}') as { revision?: unknown }).revision;
          if (typeof revision !== 'number' || !Number.isSafeInteger(revision)) throw new Error('snapshot: no revision line');
          resolve({ revision, documents: lines.map((line) => JSON.parse(line) as Snapshot['documents'][number]) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  });
}
