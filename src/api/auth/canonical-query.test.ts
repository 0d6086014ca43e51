import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  percentEncodeRfc3986,
  queryPairsFromRawQuery,
  sigV2CanonicalQuery,
  sigV4CanonicalQuery,
} from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';

test('percentEncodeRfc3986 keeps only unreserved characters (spec/auth.md §3.2 step 3)', () => {
  const rows: readonly (readonly [string, string])[] = [
    // Unreserved characters pass through.
    ['AZaz09-_.~', 'AZaz09-_.~'],
    ['', ''],
    // The examples spec/auth.md §3.2 names.
    ['Web Servers', 'Web%20Servers'],
    ['10.0.0.0/8', '10.0.0.0%2F8'],
    ['2012-01-02T03:04:05Z', '2012-01-02T03%3A04%3A05Z'],
    ['a*b', 'a%2Ab'],
    // Characters encodeURIComponent would leave alone.
    ["!'()", '%21%27%28%29'],
    ['+=&%', '%2B%3D%26%25'],
    // UTF-8 bytes, upper-case hex.
    ['é', '%C3%A9'],
    ['ሴ', '%E1%88%B4'],
    ['😀', '%F0%9F%98%80'],
    // A lone surrogate is encoded as U+FFFD instead of throwing.
    ['\uD800', '%EF%BF%BD'],
  ];
  for (const [input, want] of rows) {
    assert.equal(percentEncodeRfc3986(input), want, JSON.stringify(input));
  }
});

test('queryPairsFromRawQuery form-decodes and keeps order and duplicates', () => {
  const rows: readonly (readonly [string, readonly QueryPair[]])[] = [
    ['', []],
    ['a=1&b=2', [['a', '1'], ['b', '2']]],
    ['b=2&a=1&a=0', [['b', '2'], ['a', '1'], ['a', '0']]],
    // `+` is a space and %XX a byte (spec/auth.md §3.2 step 1).
    ['GroupDescription=Web+Servers&x=%2F%3A', [['GroupDescription', 'Web Servers'], ['x', '/:']]],
    // A name without `=` has an empty value.
    ['flag&k=', [['flag', ''], ['k', '']]],
  ];
  for (const [raw, want] of rows) {
    assert.deepEqual(queryPairsFromRawQuery(raw), want, raw);
  }
});

test('sigV4CanonicalQuery sorts by encoded name, then value (spec/auth.md §4.2, §5)', () => {
  const rows: readonly (readonly [string, readonly QueryPair[], string | undefined, string])[] = [
    ['empty', [], undefined, ''],
    ['sorted by name', [['b', '2'], ['a', '1']], undefined, 'a=1&b=2'],
    ['upper-case sorts first', [['a', '1'], ['B', '2']], undefined, 'B=2&a=1'],
    ['same name sorted by value', [['a', '2'], ['a', '1']], undefined, 'a=1&a=2'],
    ['empty value keeps =', [['a', '']], undefined, 'a='],
    // Sorting happens on the encoded name: '%60' sorts before '_'.
    ['encoded-name order', [['a_', '1'], ['a`', '2']], undefined, 'a%60=2&a_=1'],
    ['values encoded', [['X-Amz-Credential', 'AKID/20240102/us-east-1/ec2/aws4_request']], undefined,
      'X-Amz-Credential=AKID%2F20240102%2Fus-east-1%2Fec2%2Faws4_request'],
    ['signature excluded', [['X-Amz-Signature', 'abc'], ['Action', 'X']], 'X-Amz-Signature', 'Action=X'],
  ];
  for (const [name, pairs, excluded, want] of rows) {
    assert.equal(sigV4CanonicalQuery(pairs, excluded), want, name);
  }
});

test('sigV2CanonicalQuery sorts names byte-wise before encoding (spec/auth.md §3.2 steps 2–4)', () => {
  const rows: readonly (readonly [string, readonly QueryPair[], string])[] = [
    ['the order spec/auth.md §3.2 gives',
      [['Version', '1'], ['Timestamp', 't'], ['SignatureMethod', 'm'], ['GroupName.1', 'g'], ['Action', 'a'], ['AWSAccessKeyId', 'k']],
      'AWSAccessKeyId=k&Action=a&GroupName.1=g&SignatureMethod=m&Timestamp=t&Version=1'],
    ['space is %20, never +', [['GroupDescription', 'Web Servers']], 'GroupDescription=Web%20Servers'],
    // Sorting happens on the raw name: '_' (0x5F) before '`' (0x60), though '%60' would sort before '_'.
    ['raw-name order', [['a`', '2'], ['a_', '1']], 'a_=1&a%60=2'],
    // Code-point order, not UTF-16 order: U+FF5E sorts before U+1F600.
    ['astral after BMP', [['😀', '2'], ['～', '1']], '%EF%BD%9E=1&%F0%9F%98%80=2'],
  ];
  for (const [name, pairs, want] of rows) {
    assert.equal(sigV2CanonicalQuery(pairs), want, name);
  }
});
