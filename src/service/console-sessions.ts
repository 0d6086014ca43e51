import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Account } from '../domain/account.js';
import { authFailure } from '../domain/ec2-errors.js';
import type { ConsoleTokenKind, Store } from '../state/store.js';
import type { ReadView } from '../state/view.js';

/** How long a console session lasts after sign-in (issue 11: "expiring"; a working day and a half). */
export const CONSOLE_SESSION_MS = 12 * 60 * 60 * 1000;
/** How long a link printed by `stockade console-link` may wait to be opened: long enough to paste it. */
export const CONSOLE_LINK_MS = 10 * 60 * 1000;

/** A signed-in console session: whose it is, and the CSRF token its state-changing calls carry. */
export interface ConsoleSession {
  readonly account: Account;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/**
 * Console credentials (issue 11), kept in the store hashed: sessions (the browser's cookie) and
 * one-time sign-in links. The store, not process memory, holds them, so a restarted server and
 * every replica accept them; only SHA-256 digests are stored, so a copy of the database signs no
 * one in. Tokens are 256 random bits, so an unsalted digest is enough (nothing to guess).
 */
export class ConsoleSessions {
  readonly #store: Store;
  readonly #clock: () => Date;

  constructor(store: Store, clock: () => Date) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Starts a session for the account; returns the cookie's token (never stored as such). */
  signIn(account: Account): Promise<string> {
    return this.#mint('session', account.accountId, CONSOLE_SESSION_MS);
  }

  /** Makes a one-time sign-in link's token for the account (`stockade console-link`). */
  mintLink(accountId: string): Promise<string> {
    return this.#mint('link', accountId, CONSOLE_LINK_MS);
  }

  /**
   * Redeems a link: deletes it (whether or not it is still valid, so it is never accepted twice,
   * on any replica) and returns its account if it had not expired and the account still exists.
   */
  async redeemLink(view: ReadView, token: string): Promise<Account | undefined> {
    const stored = await this.#store.takeConsoleToken(hashOf(token));
    if (stored === undefined || stored.kind !== 'link' || stored.expiresAt <= this.#clock().getTime()) return undefined;
    return view.accounts.get(stored.accountId);
  }

  /** The session the cookie's token opens, or undefined (unknown, expired, signed out, account gone). */
  async sessionOf(view: ReadView, token: string): Promise<ConsoleSession | undefined> {
    const stored = await this.#store.consoleToken(hashOf(token));
    if (stored === undefined || stored.kind !== 'session' || stored.expiresAt <= this.#clock().getTime()) return undefined;
    const account = view.accounts.get(stored.accountId);
    return account === undefined ? undefined : { account, csrfToken: csrfTokenOf(token), expiresAt: stored.expiresAt };
  }

  /** Ends the session server-side: its cookie opens nothing from now on, on any replica. */
  async signOut(token: string): Promise<void> {
    await this.#store.takeConsoleToken(hashOf(token));
  }

  async #mint(kind: ConsoleTokenKind, accountId: string, lifetimeMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock().getTime();
    await this.#store.saveConsoleToken({ tokenHash: hashOf(token), kind, accountId, expiresAt: now + lifetimeMs }, now);
    return token;
  }
}

/**
 * The account whose access key signs the console in, checked as the API's verifier checks a key:
 * it must exist, be enabled and belong to an account, not a host; the secret is compared in
 * constant time. Throws AuthFailure otherwise (the API's wording for an unusable key).
 */
export function accountOfKey(view: ReadView, accessKeyId: string, secretAccessKey: string): Account {
  const key = view.accessKeys.get(accessKeyId);
  // Digests have one length, so the comparison's time says nothing about the secret's.
  const matches = key !== undefined && timingSafeEqual(digest(key.secretAccessKey), digest(secretAccessKey));
  const account = key === undefined ? undefined : view.accounts.get(key.accountId);
  if (!matches || key === undefined || !key.enabled || key.hostName !== undefined || account === undefined) throw authFailure();
  return account;
}

/**
 * The CSRF token bound to a session: derived from the cookie's token, so it needs no storage and
 * cannot be computed by anyone who cannot read the HttpOnly cookie (which page script cannot).
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`stockade-console-csrf\0${sessionToken}`).digest('base64url');
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
