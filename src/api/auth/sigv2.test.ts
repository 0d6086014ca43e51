import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEc2Error } from '../../domain/ec2-error.js';
import { signedRequestForTest } from './signed-request-fixture.js';
import { sigV2Signature, sigV2StringToSign, verifySigV2Signature } from './sigv2.js';
import type { SigV2SignatureMethod } from './sigv2.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

// spec/auth.md §3.2: the body the legacy tool sent, without its Signature.
const OBSERVED_CLI_BODY =
  'GroupName=websrv&GroupDescription=Web+Servers&SignatureVersion=2&Action=CreateSecurityGroup&Version=2013-02-01&AWSAccessKeyId=AKIDEXAMPLE&SignatureMethod=HmacSHA256&Timestamp=2026-11-22T15%3A04%3A26.488Z';
const OBSERVED_CLI_SIGNATURE = 'IwRcj2KYXftSH9zy3A7LtdPtUKeyi7QxxB6TMsrIxIM=';

test('spec/auth.md §3.2: the observed legacy-CLI signature, and only with POST and host:port', () => {
  const params = new URLSearchParams(OBSERVED_CLI_BODY);
  const rows: readonly (readonly [string, string, string, boolean])[] = [
    ['as sent', 'POST', '127.0.0.1:5001', true],
    ['host without port', 'POST', '127.0.0.1', false],
    ['method GET', 'GET', '127.0.0.1:5001', false],
  ];
  for (const [name, method, host, matches] of rows) {
    const signature = sigV2Signature(sigV2StringToSign(method, host, '/', params), SECRET, 'HmacSHA256');
    assert.equal(signature === OBSERVED_CLI_SIGNATURE, matches, name);
  }
});

// spec/auth.md §3.3 (Host 127.0.0.1:8080, key AKIDEXAMPLE).
const SPEC_3_3_PARAMS: readonly (readonly [string, string])[] = [
  ['Action', 'DescribeSecurityGroups'],
  ['Version', '2011-12-15'],
  ['GroupName.1', 'websrv'],
  ['SignatureVersion', '2'],
  ['Timestamp', '2012-01-02T03:04:05Z'],
  ['AWSAccessKeyId', 'AKIDEXAMPLE'],
];

test('spec/auth.md §3.3: string to sign of the first row', () => {
  const params = new Map([...SPEC_3_3_PARAMS, ['SignatureMethod', 'HmacSHA256']]);
  assert.equal(
    sigV2StringToSign('POST', '127.0.0.1:8080', '/', params),
    [
      'POST',
      '127.0.0.1:8080',
      '/',
      'AWSAccessKeyId=AKIDEXAMPLE&Action=DescribeSecurityGroups&GroupName.1=websrv&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2012-01-02T03%3A04%3A05Z&Version=2011-12-15',
    ].join('\n'),
  );
});

test('spec/auth.md §3.3: signatures', () => {
  const rows: readonly (readonly [string, SigV2SignatureMethod, string])[] = [
    ['POST', 'HmacSHA256', 'L0NPj6PzrOaXVDyPzm1zlBQdMFKO8zQ1epQIr8f2YS0='],
    ['GET', 'HmacSHA256', 'rHT8jP6yJYm87Hn/bzCBggbAccAzHpWt495Wwnv/ozI='],
    ['POST', 'HmacSHA1', 'KIs/x3gAGZUvbNHydk7LoUaAay4='],
  ];
  for (const [method, signatureMethod, want] of rows) {
    const params = new Map([...SPEC_3_3_PARAMS, ['SignatureMethod', signatureMethod]]);
    const stringToSign = sigV2StringToSign(method, '127.0.0.1:8080', '/', params);
    assert.equal(sigV2Signature(stringToSign, SECRET, signatureMethod), want, `${method} ${signatureMethod}`);
  }
});

test('sigV2StringToSign normalises its inputs the way the CLI and the verifier both need', () => {
  const pairs: [string, string][] = [['b', '2'], ['a', 'x y'], ['Signature', 'ignored']];
  const want = 'POST\nhost.example:8773\n/\na=x%20y&b=2';
  const rows: readonly (readonly [string, string])[] = [
    ['from an array of pairs', sigV2StringToSign('POST', 'host.example:8773', '/', pairs)],
    ['from a Map', sigV2StringToSign('POST', 'host.example:8773', '/', new Map(pairs))],
    ['from a generator', sigV2StringToSign('POST', 'host.example:8773', '/', (function* () { yield* pairs; })())],
    ['method upper-cased, host lower-cased', sigV2StringToSign('post', 'HOST.Example:8773', '/', pairs)],
    ['empty path is /', sigV2StringToSign('POST', 'host.example:8773', '', pairs)],
  ];
  for (const [name, got] of rows) {
    assert.equal(got, want, name);
  }
  assert.equal(sigV2StringToSign('GET', 'h', '/services/Cloud', []), 'GET\nh\n/services/Cloud\n');
});

test('verifySigV2Signature checks every parameter and the Host as received', () => {
  const signed = `${OBSERVED_CLI_BODY}&Signature=${encodeURIComponent(OBSERVED_CLI_SIGNATURE)}`;
  const request = (host: string, body: string) =>
    signedRequestForTest({ method: 'POST', target: '/', headers: [['Host', host]], body });
  verifySigV2Signature(request('127.0.0.1:5001', signed), 'HmacSHA256', OBSERVED_CLI_SIGNATURE, SECRET);
  const failing: readonly (readonly [string, () => void])[] = [
    ['other host', () => verifySigV2Signature(request('127.0.0.1:5002', signed), 'HmacSHA256', OBSERVED_CLI_SIGNATURE, SECRET)],
    ['tampered parameter', () =>
      verifySigV2Signature(request('127.0.0.1:5001', signed.replace('websrv', 'websrw')), 'HmacSHA256', OBSERVED_CLI_SIGNATURE, SECRET)],
    ['other method', () => verifySigV2Signature(request('127.0.0.1:5001', signed), 'HmacSHA1', OBSERVED_CLI_SIGNATURE, SECRET)],
    ['other secret', () =>
      verifySigV2Signature(request('127.0.0.1:5001', signed), 'HmacSHA256', OBSERVED_CLI_SIGNATURE, `${SECRET}x`)],
  ];
  for (const [name, run] of failing) {
    assert.throws(run, (e: unknown) => isEc2Error(e) && e.code === 'SignatureDoesNotMatch' && e.httpStatus === 403, name);
  }
});
