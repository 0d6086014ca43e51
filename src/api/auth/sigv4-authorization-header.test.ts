import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEc2Error } from '../../domain/ec2-error.js';
import { parseSigV4AuthorizationHeader } from './sigv4-authorization-header.js';
import type { SigV4AuthorizationHeader } from './sigv4-authorization-header.js';

const CREDENTIAL = 'AKIDEXAMPLE/20240102/us-east-1/ec2/aws4_request';
const SIGNATURE = 'e0f2caff76305dad032cf694d4217c0fcd89a61bb3a30f53200bd0cf4e2ca5e2';

test('parseSigV4AuthorizationHeader splits the components (spec/auth.md §4.1)', () => {
  const rows: readonly (readonly [string, string, SigV4AuthorizationHeader])[] = [
    ['what SDKs send', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
      { credential: CREDENTIAL, signedHeaders: 'host;x-amz-date', signature: SIGNATURE }],
    ['no spaces after commas', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host,Signature=${SIGNATURE}`,
      { credential: CREDENTIAL, signedHeaders: 'host', signature: SIGNATURE }],
    ['any order, extra spaces', `AWS4-HMAC-SHA256  Signature=${SIGNATURE} ,  Credential=${CREDENTIAL} , SignedHeaders=host`,
      { credential: CREDENTIAL, signedHeaders: 'host', signature: SIGNATURE }],
    ['missing components', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}`,
      { credential: CREDENTIAL, signedHeaders: undefined, signature: undefined }],
    ['empty value counts as missing', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=, Signature=${SIGNATURE}`,
      { credential: CREDENTIAL, signedHeaders: undefined, signature: SIGNATURE }],
    ['unknown component ignored', `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, Foo=bar, SignedHeaders=host, Signature=${SIGNATURE}`,
      { credential: CREDENTIAL, signedHeaders: 'host', signature: SIGNATURE }],
  ];
  for (const [name, header, want] of rows) {
    assert.deepEqual(parseSigV4AuthorizationHeader(header), want, name);
  }
});

test('parseSigV4AuthorizationHeader refuses a component without = (spec/errors.md §3.1)', () => {
  const header = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders host, Signature=${SIGNATURE}`;
  assert.throws(
    () => parseSigV4AuthorizationHeader(header),
    (e: unknown) =>
      isEc2Error(e) &&
      e.code === 'IncompleteSignature' &&
      e.message === `'SignedHeaders host' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`,
  );
});
