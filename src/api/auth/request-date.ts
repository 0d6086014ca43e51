/**
 * Parsers for the date formats requests carry: SigV4's `X-Amz-Date` basic format, the HTTP `Date`
 * header, and SigV2's ISO 8601 `Timestamp`/`Expires` (spec/auth.md §3.1, §4.4). Each returns
 * `undefined` for text that is not a real instant.
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):?(\d{2}))$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Parses `yyyyMMdd'T'HHmmss'Z'` (e.g. `20240102T030405Z`). */
export function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (m === null) {
    return undefined;
  }
  return utcDate(m[1], m[2], m[3], m[4], m[5], m[6], 0);
}

/** Formats an instant as `yyyyMMdd'T'HHmmss'Z'`, dropping milliseconds. */
export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** Parses an RFC 1123 HTTP date (`Tue, 02 Jan 2024 03:04:05 GMT`). The weekday is not cross-checked. */
export function parseHttpDate(value: string): Date | undefined {
  const m = HTTP_DATE.exec(value);
  if (m === null) {
    return undefined;
  }
  const month = MONTHS.findIndex((name) => name === m[2]);
  if (month < 0) {
    return undefined;
  }
  return utcDate(m[3], String(month + 1), m[1], m[4], m[5], m[6], 0);
}

/**
 * Parses an ISO 8601 date-time with a zone: `2011-12-15T17:34:52Z`, with fractional seconds
 * (`2026-11-22T15:04:26.488Z`, what the legacy tools send) or a numeric offset (`+00:00`,
 * spec/auth.md §3.1, UNCONFIRMED). Digits past milliseconds are dropped.
 */
export function parseIso8601Timestamp(value: string): Date | undefined {
  const m = ISO_8601.exec(value);
  if (m === null) {
    return undefined;
  }
  const milliseconds = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const local = utcDate(m[1], m[2], m[3], m[4], m[5], m[6], milliseconds);
  if (local === undefined || m[8] === 'Z') {
    return local;
  }
  const offsetHours = Number(m[10]);
  const offsetMinutes = Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  const sign = m[9] === '-' ? -1 : 1;
  return new Date(local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/** Builds a UTC instant, or `undefined` when a field is out of range (month 13, 30 February, hour 24). */
function utcDate(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  millisecond: number,
): Date | undefined {
  // Plain locals, not an array of fields: this runs on every SigV4 request.
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, millisecond));
  const roundTrips =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  return roundTrips ? date : undefined;
}
