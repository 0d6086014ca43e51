import pg from 'pg';

/** Reconnection backoff of the listening connection: from 100 ms, doubling, at most 2 s. */
const BACKOFF_MS = { first: 100, max: 2000 };

/**
 * Holds one connection that LISTENs on the change channel and calls back with the revision each
 * commit announces. Notifications are only a wake-up: while the connection is down some are lost,
 * so after every (re)connection the callback gets `undefined`, meaning "read the log's head".
 * PostgreSQL delivers every notification committed while a session listens, in commit order.
 */
export class ChangeListener {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  #client: pg.Client | undefined;
  #callback: ((revision: number | undefined) => void) | undefined;
  #stopped = false;
  #backoff = BACKOFF_MS.first;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: pg.ClientConfig, channel: string) {
    this.#config = config;
    this.#channel = channel;
  }

  start(callback: (revision: number | undefined) => void): void {
    this.#callback = callback;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    const client = new pg.Client(this.#config);
    let failed = false;
    const fail = () => {
      if (failed) return;
      failed = true;
      if (this.#client === client) this.#client = undefined;
      void client.end().catch(() => {});
      this.#retry();
    };
    client.on('error', fail);
    client.on('end', fail);
    client.on('notification', (message) => {
      const revision = Number(message.payload);
      this.#callback?.(Number.isSafeInteger(revision) ? revision : undefined);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.#channel)}`);
    } catch {
      fail();
      return;
    }
    if (this.#stopped) return void client.end().catch(() => {});
    this.#client = client;
    this.#backoff = BACKOFF_MS.first;
    // Whatever committed while we were not listening is in the log: look now.
    this.#callback?.(undefined);
  }

  #retry(): void {
    if (this.#stopped) return;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, BACKOFF_MS.max);
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }
}
