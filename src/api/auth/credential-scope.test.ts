import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEc2Error } from '../../domain/ec2-error.js';
import { formatCredentialScope, parseCredential } from './credential-scope.js';
import type { CredentialScope } from './credential-scope.js';

test('parseCredential accepts 5-part ec2 and sts scopes (spec/auth.md §4.1)', () => {
  const rows: readonly (readonly [string, CredentialScope])[] = [
    ['AKIDEXAMPLE/20240102/us-east-1/ec2/aws4_request',
      { accessKeyId: 'AKIDEXAMPLE', date: '20240102', region: 'us-east-1', service: 'ec2' }],
    ['AKIDEXAMPLE/20240102/eu-west-1/sts/aws4_request',
      { accessKeyId: 'AKIDEXAMPLE', date: '20240102', region: 'eu-west-1', service: 'sts' }],
  ];
  for (const [credential, want] of rows) {
    const scope = parseCredential(credential);
    assert.deepEqual(scope, want, credential);
    assert.equal(`${scope.accessKeyId}/${formatCredentialScope(scope)}`, credential);
  }
});

test('parseCredential refuses malformed scopes with IncompleteSignature (spec/auth.md §4.1, §4.4)', () => {
  const rows: readonly (readonly [string, string, RegExp])[] = [
    ['4 parts', 'AKIDEXAMPLE/20240102/us-east-1/ec2', /exactly 5 slash-delimited elements/],
    ['6 parts', 'AKIDEXAMPLE/20240102/us-east-1/ec2/aws4_request/x', /exactly 5 slash-delimited elements/],
    ['1 part', 'AKIDEXAMPLE', /got 'AKIDEXAMPLE'/],
    ['wrong terminator', 'AKIDEXAMPLE/20240102/us-east-1/ec2/aws5_request', /valid terminator/],
    ['service s3', 'AKIDEXAMPLE/20240102/us-east-1/s3/aws4_request', /correct service/],
    ['service in upper case', 'AKIDEXAMPLE/20240102/us-east-1/EC2/aws4_request', /correct service/],
  ];
  for (const [name, credential, message] of rows) {
    assert.throws(
      () => parseCredential(credential),
      (e: unknown) => isEc2Error(e) && e.code === 'IncompleteSignature' && e.httpStatus === 400 && message.test(e.message),
      name,
    );
  }
});
