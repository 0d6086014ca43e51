import http from 'node:http';
import https from 'node:https';
import type { ChangeRecord } from '../state/change-record.js';
import { signHostRequest, type HostCredentials } from './host-signer.js';

/**
 * Follows `GET /feed?since=N` (issue 5) for ever: opens the stream signed with the host's key,
 * hands every batch of change records to `onRecords` as it arrives, and on any end — the server
 * stopping, a cut for falling behind, a network error, silence longer than `idleTimeoutMs` —
 * reconnects with backoff from the revision the agent last applied, so nothing is missed or
 * repeated. A refusal (the key was removed, the clock is off) is logged and retried the same way.
 */
export interface FeedFollowerOptions {
  /**
   * Replicas of one Stockade (issue 12): every one serves the same log in the same order, so after
   * any ending the follower moves to the next and continues from the same revision, with no gap
   * and no repeat. One URL: always that one.
   */
  readonly serverUrls: readonly URL[];
  readonly credentials: HostCredentials;
  readonly region: string;
  /** The revision to continue after on the next connection (the agent's last applied). */
  readonly since: () => number;
  /**
   * A connection is open: `serverRevision` is the last durable revision the server had then
   * (the `x-stockade-revision` header), so the catch-up is complete once it has been applied.
   * Return false to drop the connection and reconnect at once (the agent reset its model).
   */
  readonly onConnected: (serverRevision: number) => boolean;
  /** Records in revision order, each batch as one chunk of the stream brought them. */
  readonly onRecords: (records: readonly ChangeRecord[]) => void;
  /** The connection ended or could not be made; a reconnection follows after `retryInMs`. */
  readonly onDisconnected: (reason: string, retryInMs: number) => void;
  /**
   * Runs before each connection attempt, against the server about to be tried (the agent reads a
   * snapshot there when it needs one); a rejection counts as a failed attempt.
   */
  readonly prepare?: (server: URL) => Promise<void>;
  /** The server answered 410: its log no longer holds the records after `since` (compaction). */
  readonly onTooOld?: () => void;
  /** No byte for this long (heartbeats included) means a dead connection. Default 35 s. */
  readonly idleTimeoutMs?: number;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;
const DEFAULT_IDLE_TIMEOUT_MS = 35_000;

export class FeedFollower {
  readonly #options: FeedFollowerOptions;
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

  /** Drops the current connection and reconnects at once (from `since()`). */
  reconnectNow(): void {
    this.#backoffMs = MIN_BACKOFF_MS;
    this.#request?.destroy(new Error('reconnect requested'));
  }

  #connect(): void {
    if (this.#stopped) return;
    const server = this.currentServer;
    const prepared = this.#options.prepare?.(server) ?? Promise.resolve();
    prepared.then(
      () => this.#open(server),
      (error: unknown) => this.#retryLater(error instanceof Error ? error.message : String(error)),
    );
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
    const url = new URL(`/feed?since=${this.#options.since()}`, server);
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
        // 410: the log no longer reaches back to `since`; the agent must start from a snapshot.
        if (response.statusCode === 410) this.#options.onTooOld?.();
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk.slice(0, 4096)));
        response.once('end', () => retry(`HTTP ${response.statusCode}: ${errorCode(body)}`));
        response.once('error', (error) => retry(error.message));
        return;
      }
      const serverRevision = Number(response.headers['x-stockade-revision'] ?? '0');
      if (!this.#options.onConnected(Number.isSafeInteger(serverRevision) ? serverRevision : 0)) {
        this.#backoffMs = MIN_BACKOFF_MS;
        request.destroy(new Error('resynchronising from revision 0'));
        return;
      }
      this.#backoffMs = MIN_BACKOFF_MS;
      let partial = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        const records: ChangeRecord[] = [];
        try {
          for (const line of lines) {
            if (line.length === 0) continue;
            const parsed = JSON.parse(line) as ChangeRecord | { heartbeat: number };
            if ('revision' in parsed) records.push(parsed);
          }
        } catch {
          // Not our server, or a broken proxy: start over rather than guess.
          request.destroy(new Error('malformed feed line'));
          return;
        }
        if (records.length > 0) this.#options.onRecords(records);
      });
      response.once('end', () => retry('feed ended'));
      response.once('error', (error) => retry(error.message));
      response.once('close', () => retry('feed closed'));
    });
  }
}

/** The `<Code>` of an EC2 error body, or the start of the body. */
function errorCode(body: string): string {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? body.slice(0, 200);
}
