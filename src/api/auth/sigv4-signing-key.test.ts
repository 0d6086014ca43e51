import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signingKeyCacheStatsForTest, sigV4SigningKey } from './sigv4-signing-key.js';

test('sigV4SigningKey derives kSigning (spec/auth.md §4.3)', () => {
  const rows: readonly (readonly [string, string, string, string, string])[] = [
    // The worked example of AWS's SigV4 documentation ("Deriving the signing key").
    ['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam',
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d'],
  ];
  for (const [secret, date, region, service, want] of rows) {
    assert.equal(sigV4SigningKey(secret, date, region, service).toString('hex'), want);
  }
});

test('sigV4SigningKey matches the four-HMAC chain, from the cache as well', () => {
  const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
  const chain = (secret: string, date: string, region: string, service: string): string =>
    hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request').toString('hex');
  const rows: readonly (readonly [string, string, string, string])[] = [
    ['secret-a', '20240102', 'us-east-1', 'ec2'],
    ['secret-a', '20240103', 'us-east-1', 'ec2'],
    ['secret-a', '20240102', 'eu-west-1', 'ec2'],
    ['secret-a', '20240102', 'us-east-1', 'sts'],
    ['secret-b', '20240102', 'us-east-1', 'ec2'],
  ];
  for (let pass = 0; pass < 2; pass++) {
    for (const [secret, date, region, service] of rows) {
      assert.equal(sigV4SigningKey(secret, date, region, service).toString('hex'), chain(secret, date, region, service));
    }
  }
});

test('the signing-key cache stays bounded', () => {
  const { max } = signingKeyCacheStatsForTest();
  for (let i = 0; i < max + 50; i++) {
    sigV4SigningKey(`secret-${i}`, '20240102', 'us-east-1', 'ec2');
  }
  assert.equal(signingKeyCacheStatsForTest().size, max);
});
