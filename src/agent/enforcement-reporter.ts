import http from 'node:http';
import https from 'node:https';
import { signHostRequest, type HostCredentials } from './host-signer.js';

const ERROR_RETRY_MS = 1_000;

/** One instance's report: the revision in force, and why the last attempt failed (if it did). */
export interface EnforcementReport {
  readonly revision: number;
  readonly failure: string | undefined;
}

/**
 * Sends `POST /feed/enforced` (issue 5: agents "report back the revision they have enforced for
 * each instance"). Reports are throttled — at most one request in flight and one per `intervalMs`
 * — and carry only what changed since the server last accepted a report; `resend` makes the next
 * one complete (after a reconnect, since the server keeps reports in memory).
 */
export class EnforcementReporter {
  readonly #serverUrl: () => URL;
  readonly #credentials: HostCredentials;
  readonly #region: string;
  readonly #collect: () => ReadonlyMap<string, EnforcementReport>;
  readonly #intervalMs: number;
  readonly #onError: (message: string) => void;
  /** What the server has accepted, per instance. */
  #sent = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #sending = false;
  #again = false;
  #stopped = false;

  constructor(options: {
    /** The server to report to now (the one the feed follows). */
    serverUrl: () => URL;
    credentials: HostCredentials;
    region: string;
    collect: () => ReadonlyMap<string, EnforcementReport>;
    intervalMs?: number;
    onError?: (message: string) => void;
  }) {
    this.#serverUrl = options.serverUrl;
    this.#credentials = options.credentials;
    this.#region = options.region;
    this.#collect = options.collect;
    this.#intervalMs = options.intervalMs ?? 20;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Asks for a report soon. */
  schedule(): void {
    if (this.#stopped) return;
    if (this.#sending) {
      this.#again = true;
      return;
    }
    if (this.#timer === undefined) this.#timer = setTimeout(() => void this.#send(), this.#intervalMs);
  }

  /** Forgets what was sent: the next report names every instance. */
  resend(): void {
    this.#sent = new Map();
    this.schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #send(): Promise<void> {
    this.#timer = undefined;
    this.#sending = true;
    const instances: Record<string, number> = {};
    const failures: Record<string, string> = {};
    const pending = new Map<string, string>();
    for (const [instanceId, report] of this.#collect()) {
      const key = `${report.revision} ${report.failure ?? ''}`;
      if (this.#sent.get(instanceId) === key) continue;
      pending.set(instanceId, key);
      instances[instanceId] = report.revision;
      if (report.failure !== undefined) failures[instanceId] = report.failure;
    }
    try {
      if (pending.size > 0) {
        await this.#post(JSON.stringify({ instances, failures }));
        for (const [id, key] of pending) this.#sent.set(id, key);
      }
    } catch (error) {
      this.#onError(error instanceof Error ? error.message : String(error));
      // Try again in a while (the server may be restarting) with whatever is current then.
      this.#sending = false;
      this.#again = false;
      if (!this.#stopped) this.#timer = setTimeout(() => void this.#send(), ERROR_RETRY_MS);
      return;
    }
    this.#sending = false;
    if (this.#again) {
      this.#again = false;
      this.schedule();
    }
  }

  #post(body: string): Promise<void> {
    const url = new URL('/feed/enforced', this.#serverUrl());
    const payload = Buffer.from(body, 'utf8');
    const headers = { ...signHostRequest('POST', url, payload, this.#credentials, this.#region), 'content-type': 'application/json' };
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: 'POST', headers, timeout: 10_000 }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`report refused: HTTP ${response.statusCode} ${text.slice(0, 300)}`))));
        response.once('error', reject);
      });
      request.once('timeout', () => request.destroy(new Error('report timed out')));
      request.once('error', reject);
      request.end(payload);
    });
  }
}
