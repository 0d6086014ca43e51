import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { sigV4CanonicalQuery } from './canonical-query.js';
import type { QueryPair } from './canonical-query.js';
import { sigV4CanonicalRequest } from './sigv4-canonical-request.js';
import { sigV4SigningKey } from './sigv4-signing-key.js';
import { sigV4StringToSign } from './sigv4-string-to-sign.js';

// AWS's Signature Version 4 test suite (aws-sig-v4-test-suite), in the form Smithy's signer runs it
// (smithy-lang/smithy-typescript packages/signature-v4/src/suite.fixture.ts). Its service is
// `service`, which `authenticate` refuses, so the suite drives the building blocks directly; every
// signed header is listed in `headers`.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AMZ_DATE = '20150830T123600Z';
const SCOPE = '20150830/us-east-1/service/aws4_request';

interface SuiteCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query: readonly QueryPair[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signature: string;
}

const host = 'example.amazonaws.com';
const CASES: readonly SuiteCase[] = [
  // Header canonicalisation.
  { name: 'get-header-key-duplicate', method: 'GET', path: '/', query: [],
    headers: { host, 'my-header1': 'value2,value2,value1', 'x-amz-date': AMZ_DATE },
    signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea' },
  { name: 'get-header-value-multiline', method: 'GET', path: '/', query: [],
    headers: { host, 'my-header1': 'value1,value2,value3', 'x-amz-date': AMZ_DATE },
    signature: 'ba17b383a53190154eb5fa66a1b836cc297cc0a3d70a5d00705980573d8ff790' },
  { name: 'get-header-value-order', method: 'GET', path: '/', query: [],
    headers: { host, 'my-header1': 'value4,value1,value3,value2', 'x-amz-date': AMZ_DATE },
    signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01' },
  { name: 'get-header-value-trim', method: 'GET', path: '/', query: [],
    headers: { host, 'my-header1': 'value1', 'my-header2': '"a   b   c"', 'x-amz-date': AMZ_DATE },
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
  { name: 'post-header-key-sort', method: 'POST', path: '/', query: [],
    headers: { host, 'my-header1': 'value1', 'x-amz-date': AMZ_DATE },
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c' },
  { name: 'post-header-value-case', method: 'POST', path: '/', query: [],
    headers: { host, 'my-header1': 'VALUE1', 'x-amz-date': AMZ_DATE },
    signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
  { name: 'post-sts-header-before', method: 'POST', path: '/', query: [],
    headers: {
      host,
      'x-amz-date': AMZ_DATE,
      'x-amz-security-token':
        'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==',
    },
    signature: '85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead' },
  // Paths.
  { name: 'get-vanilla', method: 'GET', path: '/', query: [], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'get-unreserved', method: 'GET', path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    query: [], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f' },
  { name: 'get-utf8', method: 'GET', path: '/ሴ', query: [], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85' },
  // Query strings.
  { name: 'get-vanilla-query-order-key-case', method: 'GET', path: '/', query: [['Param2', 'value2'], ['Param1', 'value1']],
    headers: { host, 'x-amz-date': AMZ_DATE },
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
  { name: 'get-vanilla-query-unreserved', method: 'GET', path: '/',
    query: [['-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
      '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz']],
    headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197' },
  { name: 'get-vanilla-utf8-query', method: 'GET', path: '/', query: [['ሴ', 'bar']], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04' },
  { name: 'post-vanilla-query', method: 'POST', path: '/', query: [['Param1', 'value1']], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11' },
  { name: 'post-vanilla-query-nonunreserved', method: 'POST', path: '/', query: [['@#$%^', ''], ['+', '/,?><`";:\\|][{}']],
    headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e' },
  // Bodies.
  { name: 'post-vanilla', method: 'POST', path: '/', query: [], headers: { host, 'x-amz-date': AMZ_DATE },
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
  { name: 'post-x-www-form-urlencoded', method: 'POST', path: '/', query: [],
    headers: { 'content-type': 'application/x-www-form-urlencoded', host, 'x-amz-date': AMZ_DATE }, body: 'Param1=value1',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a' },
  { name: 'post-x-www-form-urlencoded-parameters', method: 'POST', path: '/', query: [],
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8', host, 'x-amz-date': AMZ_DATE },
    body: 'Param1=value1',
    signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe' },
];

test('AWS SigV4 test suite: canonical request, string to sign, signing key, signature', () => {
  for (const c of CASES) {
    const canonicalRequest = sigV4CanonicalRequest({
      method: c.method,
      path: c.path,
      canonicalQuery: sigV4CanonicalQuery(c.query),
      headers: c.headers,
      signedHeaders: Object.keys(c.headers).sort(),
      payloadHash: createHash('sha256').update(c.body ?? '').digest('hex'),
    });
    const stringToSign = sigV4StringToSign(AMZ_DATE, SCOPE, canonicalRequest);
    const signingKey = sigV4SigningKey(SECRET, '20150830', 'us-east-1', 'service');
    const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
    assert.equal(signature, c.signature, c.name);
  }
});
