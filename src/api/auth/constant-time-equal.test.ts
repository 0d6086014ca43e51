import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantTimeEqual } from './constant-time-equal.js';

test('constantTimeEqual compares whole strings', () => {
  const rows: readonly (readonly [string, string, boolean])[] = [
    ['abc', 'abc', true],
    ['', '', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['ab', 'abc', false],
    ['abc', 'ABC', false],
    ['é', 'é', true],
  ];
  for (const [expected, presented, want] of rows) {
    assert.equal(constantTimeEqual(expected, presented), want, `${expected} vs ${presented}`);
  }
});
