import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAmzDate, parseAmzDate, parseHttpDate, parseIso8601Timestamp } from './request-date.js';

test('parseAmzDate reads yyyyMMddTHHmmssZ and refuses anything else (spec/auth.md §4.4)', () => {
  const rows: readonly (readonly [string, string | undefined])[] = [
    ['20240102T030405Z', '2024-01-02T03:04:05.000Z'],
    ['20261122T151619Z', '2026-11-22T15:16:19.000Z'],
    ['20240229T000000Z', '2024-02-29T00:00:00.000Z'],
    ['20230229T000000Z', undefined],
    ['20241301T000000Z', undefined],
    ['20240102T240000Z', undefined],
    ['20240102T030405', undefined],
    ['2024-01-02T03:04:05Z', undefined],
    ['', undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(parseAmzDate(input)?.toISOString(), want, input);
  }
});

test('formatAmzDate drops separators and milliseconds', () => {
  assert.equal(formatAmzDate(new Date('2024-01-02T03:04:05.678Z')), '20240102T030405Z');
});

test('parseHttpDate reads RFC 1123 dates (spec/auth.md §4.4)', () => {
  const rows: readonly (readonly [string, string | undefined])[] = [
    ['Tue, 02 Jan 2024 03:04:05 GMT', '2024-01-02T03:04:05.000Z'],
    ['Sun, 22 Nov 2026 15:16:19 GMT', '2026-11-22T15:16:19.000Z'],
    ['Tue, 31 Feb 2024 03:04:05 GMT', undefined],
    ['Tue, 02 Foo 2024 03:04:05 GMT', undefined],
    ['Tue, 02 Jan 2024 03:04:05 +0000', undefined],
    ['2024-01-02T03:04:05Z', undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(parseHttpDate(input)?.toISOString(), want, input);
  }
});

test('parseIso8601Timestamp reads SigV2 Timestamp/Expires forms (spec/auth.md §3.1)', () => {
  const rows: readonly (readonly [string, string | undefined])[] = [
    // What the 2011 docs show, and what the legacy tools send.
    ['2011-12-15T17:34:52Z', '2011-12-15T17:34:52.000Z'],
    ['2026-11-22T15:04:26.488Z', '2026-11-22T15:04:26.488Z'],
    ['2026-11-22T15:04:26.4Z', '2026-11-22T15:04:26.400Z'],
    ['2026-11-22T15:04:26.123456Z', '2026-11-22T15:04:26.123Z'],
    // Numeric offsets (UNCONFIRMED in the spec, accepted).
    ['2011-12-15T17:34:52+00:00', '2011-12-15T17:34:52.000Z'],
    ['2011-12-15T19:34:52+02:00', '2011-12-15T17:34:52.000Z'],
    ['2011-12-15T12:04:52-0530', '2011-12-15T17:34:52.000Z'],
    // Refused.
    ['2011-12-15T17:34:52', undefined],
    ['2011-12-15 17:34:52Z', undefined],
    ['2011-02-30T17:34:52Z', undefined],
    ['2011-12-15T17:34:52+24:00', undefined],
    ['yesterday', undefined],
    ['', undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(parseIso8601Timestamp(input)?.toISOString(), want, input);
  }
});
