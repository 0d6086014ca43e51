import { closeSync, fsync, openSync } from 'node:fs';

/**
 * Makes committed SQLite transactions durable without blocking the event loop: the database runs
 * with `synchronous=NORMAL` (COMMIT writes the WAL, no fsync), and this class fsyncs the WAL file
 * on libuv's thread pool. That is the same guarantee as `synchronous=FULL`, which adds exactly that
 * fsync after each commit, but the loop keeps serving requests meanwhile, and commits that land
 * while one fsync runs share the next one (group commit).
 */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class WalSync {
  readonly #walPath: string;
  #fd: number | undefined;
  /** Waiters covered by the fsync in progress; they were committed before it started. */
  #running: Waiter[] | undefined;
  /** Waiters committed after the running fsync started: they need the next one. */
  #next: Waiter[] = [];
  #failure: unknown;

  constructor(databasePath: string) {
    this.#walPath = `${databasePath}-wal`;
  }

  /**
   * Resolves once everything committed before this call is on disk. Rejects if an fsync fails:
   * the caller must then stop, since the kernel may have dropped the pages (fsyncgate).
   */
  durable(): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#next.push({ resolve, reject });
      if (this.#running === undefined) this.#start();
    });
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #start(): void {
    this.#running = this.#next;
    this.#next = [];
    let fd: number;
    try {
      fd = this.#walFd();
    } catch (error) {
      this.#failure = error;
      for (const w of this.#running) w.reject(error);
      this.#running = undefined;
      return;
    }
    fsync(fd, (error) => {
      const waiters = this.#running ?? [];
      this.#running = undefined;
      if (error !== null) {
        this.#failure = error;
        for (const w of [...waiters, ...this.#next]) w.reject(error);
        this.#next = [];
        return;
      }
      for (const w of waiters) w.resolve();
      if (this.#next.length > 0) this.#start();
    });
  }

  /**
   * The WAL's descriptor, opened once. SQLite keeps the WAL file (same inode) while this process's
   * connection is open, whoever else opens and closes the database.
   */
  #walFd(): number {
    if (this.#fd === undefined) this.#fd = openSync(this.#walPath, 'r+');
    return this.#fd;
  }
}
