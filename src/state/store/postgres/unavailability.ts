import pg from 'pg';
import { StoreUnavailableError } from '../../store.js';

/**
 * Reports whether an error means "the database is not reachable now" rather than a bug: a socket
 * error or timeout, or SQLSTATE class 08 (connection), 57 (operator intervention: shutdown,
 * restart), 53 (insufficient resources) or 40 (transaction rollback).
 */
export function isUnavailability(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (error instanceof pg.DatabaseError) return typeof code === 'string' && /^(08|57|53|40)/.test(code);
  // The socket or the client itself: refused, reset, timed out, or ended under a query.
  if (typeof code === 'string' && /^E(CONN|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND)/.test(code)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable/i.test(error.message);
}
