import http from 'node:http';
import https from 'node:https';
import type { ScopedDocument } from '../dataplane/host-scope.js';
import type { ChangeRecord } from '../state/change-record.js';
import { signHostRequest, type HostCredentials } from './host-signer.js';

/** One line of the host feed (`GET /feed/host`, api/host-feed-endpoint.ts). */
export type HostFeedEvent =
  | { readonly kind: 'snapshot'; readonly revision: number }
  | { readonly kind: 'document'; readonly document: ScopedDocument }
  | { readonly kind: 'record'; readonly record: ChangeRecord }
  | { readonly kind: 'heartbeat'; readonly revision: number };

/**
 * Follows `GET /feed/host` (issue 10) for ever: opens the stream signed with the host's key,
 * hands every batch of lines to `onEvents` as it arrives, and on any end — the server stopping, a
 * cut for falling behind, a network error, silence longer than `idleTimeoutMs` — reconnects with
 * backoff. Each connection opens with the host's snapshot, so nothing depends on where the last
 * one stopped. A refusal (the key was removed, the clock is off) is logged and retried the same way.
 */
export interface FeedFollowerOptions {
  /**
   * Replicas of one Stockade (issue 12): every one serves the same state, so after any ending the
   * follower moves to the next. One URL: always that one.
   */
  readonly serverUrls: readonly URL[];
  readonly credentials: HostCredentials;
  readonly region: string;
  /** A connection is open: its snapshot is at `serverRevision` (the `x-stockade-revision` header). */
  readonly onConnected: (serverRevision: number) => void;
  /** Lines in order, each batch as one chunk of the stream brought them. */
  readonly onEvents: (events: readonly HostFeedEvent[]) => void;
  /** The connection ended or could not be made; a reconnection follows after `retryInMs`. */
  readonly onDisconnected: (reason: string, retryInMs: number) => void;
  /** No byte for this long (heartbeats included) means a dead connection. Default 35 s. */
  readonly idleTimeoutMs?: number;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;
const DEFAULT_IDLE_TIMEOUT_MS = 35_000;

/** What the host feed has brought, since the agent started (issue 10: what each host receives). */
export interface FeedReceived {
  bytes: number;
  records: number;
  documents: number;
  heartbeats: number;
  snapshots: number;
}

export class FeedFollower {
  readonly #options: FeedFollowerOptions;
  readonly received: FeedReceived = { bytes: 0, records: 0, documents: 0, heartbeats: 0, snapshots: 0 };
  #request: http.ClientRequest | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #backoffMs = MIN_BACKOFF_MS;
  #stopped = true;
  #server = 0;

  constructor(options: FeedFollowerOptions) {
    this.#options = options;
  }

  /** The server the feed follows now, or tries next. */
  get currentServer(): URL {
    return this.#options.serverUrls[this.#server] ?? (this.#options.serverUrls[0] as URL);
  }

  start(): void {
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#request?.destroy();
    this.#request = undefined;
  }

  #connect(): void {
    if (!this.#stopped) this.#open(this.currentServer);
  }

  /** After a failed attempt or an ended stream: the next replica, with backoff. */
  #retryLater(reason: string): void {
    if (this.#stopped) return;
    // The next replica: this one may be gone. Backoff grows only once every one was tried.
    this.#server = (this.#server + 1) % this.#options.serverUrls.length;
    const delay = this.#server === 0 ? this.#backoffMs : MIN_BACKOFF_MS;
    this.#backoffMs = Math.min(MAX_BACKOFF_MS, this.#backoffMs * 2);
    this.#options.onDisconnected(reason, delay);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #open(server: URL): void {
    if (this.#stopped) return;
    const url = new URL('/feed/host', server);
    const headers = signHostRequest('GET', url, Buffer.alloc(0), this.#options.credentials, this.#options.region);
    const transport = url.protocol === 'https:' ? https : http;
    let ended = false;
    const retry = (reason: string) => {
      if (ended) return;
      ended = true;
      this.#retryLater(reason);
    };
    const request = transport.get(url, { headers, agent: false });
    this.#request = request;
    request.setTimeout(this.#options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, () => request.destroy(new Error('feed silent too long')));
    request.once('error', (error) => retry(error.message));
    // Once a response has arrived, destroying the request no longer emits 'error' on it: 'close'
    // is the one event every ending of the connection is sure to emit.
    request.once('close', () => retry('connection closed'));
    request.once('response', (response) => {
      if (response.statusCode !== 200) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk.slice(0, 4096)));
        response.once('end', () => retry(`HTTP ${response.statusCode}: ${errorCode(body)}`));
        response.once('error', (error) => retry(error.message));
        return;
      }
      const serverRevision = Number(response.headers['x-stockade-revision'] ?? '0');
      this.#options.onConnected(Number.isSafeInteger(serverRevision) ? serverRevision : 0);
      this.#backoffMs = MIN_BACKOFF_MS;
      let partial = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        this.received.bytes += Buffer.byteLength(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        const events: HostFeedEvent[] = [];
        for (const line of lines) {
          if (line.length === 0) continue;
          const event = parseLine(line);
          // Not our server, or a broken proxy: start over rather than guess.
          if (event === undefined) return void request.destroy(new Error('malformed feed line'));
          events.push(event);
          this.received[RECEIVED_COUNTER[event.kind]]++;
        }
        if (events.length > 0) this.#options.onEvents(events);
      });
      response.once('end', () => retry('feed ended'));
      response.once('error', (error) => retry(error.message));
      response.once('close', () => retry('feed closed'));
    });
  }
}

const RECEIVED_COUNTER = { record: 'records', document: 'documents', heartbeat: 'heartbeats', snapshot: 'snapshots' } as const satisfies Record<HostFeedEvent['kind'], keyof FeedReceived>;

/** One line of the host feed, or undefined when it is none of its kinds. */
function parseLine(line: string): HostFeedEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  if ('change' in fields && typeof fields.revision === 'number') return { kind: 'record', record: parsed as ChangeRecord };
  if (typeof fields.kind === 'string' && 'body' in fields) return { kind: 'document', document: parsed as ScopedDocument };
  if (typeof fields.heartbeat === 'number') return { kind: 'heartbeat', revision: fields.heartbeat };
  if (typeof fields.snapshot === 'number') return { kind: 'snapshot', revision: fields.snapshot };
  return undefined;
}

/** The `<Code>` of an EC2 error body, or the start of the body. */
function errorCode(body: string): string {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? body.slice(0, 200);
}
