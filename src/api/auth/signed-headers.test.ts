import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEc2Error } from '../../domain/ec2-error.js';
import { parseSignedHeaders } from './signed-headers.js';

test('parseSignedHeaders lower-cases and sorts (spec/auth.md §4.2)', () => {
  const rows: readonly (readonly [string, readonly string[]])[] = [
    ['content-type;host;x-amz-date', ['content-type', 'host', 'x-amz-date']],
    ['x-amz-date;Host', ['host', 'x-amz-date']],
    ['host', ['host']],
  ];
  for (const [value, want] of rows) {
    assert.deepEqual(parseSignedHeaders(value), want, value);
  }
});

test('parseSignedHeaders requires host (spec/auth.md §4.2)', () => {
  for (const value of ['content-type;x-amz-date', 'hostname', ';']) {
    assert.throws(
      () => parseSignedHeaders(value),
      (e: unknown) => isEc2Error(e) && e.code === 'IncompleteSignature',
      value,
    );
  }
});
