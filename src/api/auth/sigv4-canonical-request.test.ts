import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sigV4CanonicalRequest, sigV4CanonicalUri } from './sigv4-canonical-request.js';
import { sigV4StringToSign } from './sigv4-string-to-sign.js';

// spec/auth.md §4.5, verbatim.
const SPEC_4_5_BODY = 'Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-1a2b3c4d';
const SPEC_4_5_CANONICAL_REQUEST = [
  'POST',
  '/',
  '',
  'content-type:application/x-www-form-urlencoded; charset=utf-8',
  'host:127.0.0.1:8080',
  'x-amz-date:20240102T030405Z',
  '',
  'content-type;host;x-amz-date',
  '7b678831de3f14a46846576148018944b4c40a5ada22fa8395c448d3c20f28d5',
].join('\n');
const SPEC_4_5_STRING_TO_SIGN = [
  'AWS4-HMAC-SHA256',
  '20240102T030405Z',
  '20240102/us-east-1/ec2/aws4_request',
  '23aa93d12993959e94dc18ff93d1a61785a3fb6e061e0fa2da882119715aacb7',
].join('\n');

test('spec/auth.md §4.5: canonical request and string to sign', () => {
  const payloadHash = createHash('sha256').update(SPEC_4_5_BODY).digest('hex');
  assert.equal(payloadHash, '7b678831de3f14a46846576148018944b4c40a5ada22fa8395c448d3c20f28d5');
  const canonicalRequest = sigV4CanonicalRequest({
    method: 'POST',
    path: '/',
    canonicalQuery: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: '127.0.0.1:8080',
      'x-amz-date': '20240102T030405Z',
      // Unsigned headers stay out.
      'amz-sdk-request': 'attempt=1; max=3',
    },
    signedHeaders: ['content-type', 'host', 'x-amz-date'],
    payloadHash,
  });
  assert.equal(canonicalRequest, SPEC_4_5_CANONICAL_REQUEST);
  assert.equal(
    sigV4StringToSign('20240102T030405Z', '20240102/us-east-1/ec2/aws4_request', canonicalRequest),
    SPEC_4_5_STRING_TO_SIGN,
  );
});

test('canonical header values are trimmed and inner whitespace collapsed (spec/auth.md §4.2)', () => {
  const rows: readonly (readonly [string | string[] | undefined, string])[] = [
    ['  a   b  ', 'x-h:a b'],
    ['a\tb', 'x-h:a b'],
    ['"a   b   c"', 'x-h:"a b c"'],
    // Node keeps a few repeated headers as arrays; they are joined with ','.
    [['v1', 'v2'], 'x-h:v1,v2'],
    // A signed header that is absent signs as empty.
    [undefined, 'x-h:'],
  ];
  for (const [value, wantLine] of rows) {
    const canonical = sigV4CanonicalRequest({
      method: 'GET',
      path: '/',
      canonicalQuery: '',
      headers: value === undefined ? {} : { 'x-h': value },
      signedHeaders: ['x-h'],
      payloadHash: 'h',
    });
    assert.equal(canonical.split('\n')[3], wantLine, JSON.stringify(value));
  }
});

test('sigV4CanonicalUri encodes each received segment once more (spec/auth.md §4.2)', () => {
  const rows: readonly (readonly [string, string])[] = [
    ['', '/'],
    ['/', '/'],
    ['/a/b', '/a/b'],
    ['/-._~09AZaz', '/-._~09AZaz'],
    // A received %20 was encoded by the client; SDKs sign it encoded again.
    ['/a%20b', '/a%2520b'],
    ['/ሴ', '/%E1%88%B4'],
    ['/a:b', '/a%3Ab'],
    ['/a/', '/a/'],
  ];
  for (const [path, want] of rows) {
    assert.equal(sigV4CanonicalUri(path), want, path);
  }
});
