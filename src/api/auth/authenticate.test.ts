import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEc2Error } from '../../domain/ec2-error.js';
import type { Ec2ErrorCode } from '../../domain/ec2-errors.js';
import { authenticate } from './authenticate.js';
import { signedRequestForTest, sigV4AuthorizationForTest } from './signed-request-fixture.js';
import type { AccessKeyLookup, AccessKeySecret, AuthOptions, Caller, SignedRequest } from './signed-request.js';
import { sigV2Signature, sigV2StringToSign } from './sigv2.js';

// ---- credentials and options ------------------------------------------------------------------

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FQoGZXIvYXdzEXAMPLE/session+token==';
const KEYS: readonly AccessKeySecret[] = [
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, accountId: '111122223333', enabled: true },
  { accessKeyId: 'AKIDDISABLED', secretAccessKey: SECRET, accountId: '111122223333', enabled: false },
  { accessKeyId: 'ASIATEMPORARY', secretAccessKey: SECRET, accountId: '444455556666', enabled: true, sessionToken: SESSION_TOKEN },
];
const lookup: AccessKeyLookup = (id) => KEYS.find((key) => key.accessKeyId === id);

function options(now: string, regions: readonly string[] = ['us-east-1']): AuthOptions {
  return { now: new Date(now), defaultRegion: 'us-east-1', regions: new Set(regions) };
}

/** Minutes after an ISO instant, as ISO text. */
function plusMinutes(iso: string, minutes: number): string {
  return new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();
}

// HTTP status per code, from spec/auth.md §7 (independent of the catalogue).
const STATUS: Partial<Record<Ec2ErrorCode, number>> = {
  AuthFailure: 401,
  IncompleteSignature: 400,
  RequestExpired: 400,
  SignatureDoesNotMatch: 403,
  InvalidParameterValue: 400,
  InvalidParameterCombination: 400,
};

// ---- request builders -------------------------------------------------------------------------

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const V4_BODY = 'Action=DescribeSecurityGroups&Version=2016-11-15&GroupId.1=sg-1a2b3c4d';
const V4_DATE = '20240102T030405Z';
const V4_NOW = '2024-01-02T03:04:05Z';

interface SigV4HeaderSpec {
  readonly accessKeyId?: string;
  readonly secret?: string;
  readonly region?: string;
  readonly service?: string;
  readonly amzDate?: string;
  /** Scope date, when it should differ from the X-Amz-Date day. */
  readonly scopeDate?: string;
  readonly headers?: readonly (readonly [string, string])[];
  readonly signedHeaders?: readonly string[];
  readonly target?: string;
  /** A body sent instead of the signed one. */
  readonly sentBody?: string;
  /** Rewrites the Authorization header after signing. */
  readonly editAuthorization?: (authorization: string) => string;
  /** Sends the request time in an RFC 1123 `Date` header instead of `X-Amz-Date`. */
  readonly httpDate?: string;
}

/** A POST signed in the SigV4 header form, like botocore sends it. */
function sigV4HeaderRequest(spec: SigV4HeaderSpec = {}): SignedRequest {
  const amzDate = spec.amzDate ?? V4_DATE;
  const headers: (readonly [string, string])[] = [
    ['Host', '127.0.0.1:8080'],
    ['Content-Type', FORM],
    spec.httpDate === undefined ? ['X-Amz-Date', amzDate] : ['Date', spec.httpDate],
    ...(spec.headers ?? []),
  ];
  const target = spec.target ?? '/';
  const unsigned = signedRequestForTest({ method: 'POST', target, headers, body: V4_BODY });
  const authorization = sigV4AuthorizationForTest(
    unsigned,
    {
      accessKeyId: spec.accessKeyId ?? 'AKIDEXAMPLE',
      secretAccessKey: spec.secret ?? SECRET,
      date: spec.scopeDate ?? amzDate.slice(0, 8),
      region: spec.region ?? 'us-east-1',
      service: spec.service ?? 'ec2',
      amzDate,
    },
    spec.signedHeaders ?? ['content-type', 'host', 'x-amz-date'],
  );
  const edit = spec.editAuthorization ?? ((a: string) => a);
  return signedRequestForTest({
    method: 'POST',
    target,
    headers: [...headers, ['Authorization', edit(authorization)]],
    body: spec.sentBody ?? V4_BODY,
  });
}

const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const queryOf = (pairs: readonly (readonly [string, string])[]): string => pairs.map(([n, v]) => `${enc(n)}=${enc(v)}`).join('&');

interface PresignedSpec {
  readonly accessKeyId?: string;
  readonly secret?: string;
  readonly expires?: string;
  readonly algorithm?: string;
  readonly extra?: readonly (readonly [string, string])[];
  /** Parameter names dropped after signing. */
  readonly drop?: readonly string[];
  /** Parameters appended after signing. */
  readonly appendAfterSigning?: readonly (readonly [string, string])[];
}

/** A GET presigned in the SigV4 query form (spec/auth.md §5 shape). */
function presignedRequest(spec: PresignedSpec = {}): SignedRequest {
  const accessKeyId = spec.accessKeyId ?? 'AKIDEXAMPLE';
  const pairs: (readonly [string, string])[] = [
    ['Action', 'DescribeSecurityGroups'],
    ['Version', '2016-11-15'],
    ['X-Amz-Algorithm', spec.algorithm ?? 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${accessKeyId}/20240102/us-east-1/ec2/aws4_request`],
    ['X-Amz-Date', V4_DATE],
    ['X-Amz-Expires', spec.expires ?? '300'],
    ['X-Amz-SignedHeaders', 'host'],
    ...(spec.extra ?? []),
  ];
  const headers: readonly (readonly [string, string])[] = [['Host', '127.0.0.1:8080']];
  const unsigned = signedRequestForTest({ method: 'GET', target: `/?${queryOf(pairs)}`, headers });
  const authorization = sigV4AuthorizationForTest(
    unsigned,
    { accessKeyId, secretAccessKey: spec.secret ?? SECRET, date: '20240102', region: 'us-east-1', service: 'ec2', amzDate: V4_DATE },
    ['host'],
  );
  const signature = /Signature=([0-9a-f]+)$/.exec(authorization)?.[1] ?? '';
  const sent = [...pairs, ['X-Amz-Signature', signature] as const, ...(spec.appendAfterSigning ?? [])].filter(
    ([name]) => !(spec.drop ?? []).includes(name),
  );
  return signedRequestForTest({ method: 'GET', target: `/?${queryOf(sent)}`, headers });
}

const V2_NOW = '2026-11-22T15:04:26.488Z';

interface SigV2Spec {
  readonly accessKeyId?: string;
  readonly secret?: string;
  readonly signatureMethod?: string;
  readonly time?: readonly [name: 'Timestamp' | 'Expires', value: string];
  readonly extra?: readonly (readonly [string, string])[];
  /** Parameter names dropped after signing. */
  readonly drop?: readonly string[];
  /** Parameters replaced after signing. */
  readonly replace?: readonly (readonly [string, string])[];
  readonly host?: string;
  readonly sentHost?: string;
}

/** A POST signed with SigV2, like the legacy tools send it (spec/auth.md §3.1). */
function sigV2Request(spec: SigV2Spec = {}): SignedRequest {
  const signatureMethod = spec.signatureMethod ?? 'HmacSHA256';
  const [timeName, timeValue] = spec.time ?? ['Timestamp', V2_NOW];
  const pairs: [string, string][] = [
    ['Action', 'CreateSecurityGroup'],
    ['GroupName', 'websrv'],
    ['GroupDescription', 'Web Servers'],
    ['Version', '2013-02-01'],
    ['SignatureVersion', '2'],
    ['SignatureMethod', signatureMethod],
    ['AWSAccessKeyId', spec.accessKeyId ?? 'AKIDEXAMPLE'],
    [timeName, timeValue],
    ...(spec.extra ?? []).map(([n, v]): [string, string] => [n, v]),
  ];
  const host = spec.host ?? '127.0.0.1:5001';
  const stringToSign = sigV2StringToSign('POST', host, '/', pairs);
  const signature = sigV2Signature(stringToSign, spec.secret ?? SECRET, signatureMethod === 'HmacSHA1' ? 'HmacSHA1' : 'HmacSHA256');
  const replaced = new Map([...pairs, ['Signature', signature]]);
  for (const [name, value] of spec.replace ?? []) {
    replaced.set(name, value);
  }
  const sent = [...replaced].filter(([name]) => !(spec.drop ?? []).includes(name));
  return signedRequestForTest({
    method: 'POST',
    target: '/',
    headers: [['Host', spec.sentHost ?? host], ['Content-Type', FORM]],
    body: queryOf(sent),
  });
}

// ---- accepted requests ------------------------------------------------------------------------

const EC2_CALLER: Caller = { accessKeyId: 'AKIDEXAMPLE', accountId: '111122223333', region: 'us-east-1', service: 'ec2', scheme: 'sigv4-header' };

test('accepts the spec vectors and well-signed requests of every scheme', () => {
  const spec45 = signedRequestForTest({
    method: 'POST',
    target: '/',
    headers: [
      ['Host', '127.0.0.1:8080'],
      ['Content-Type', FORM],
      ['X-Amz-Date', V4_DATE],
      ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/ec2/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=e0f2caff76305dad032cf694d4217c0fcd89a61bb3a30f53200bd0cf4e2ca5e2'],
    ],
    body: V4_BODY,
  });
  const spec5 = signedRequestForTest({
    method: 'GET',
    target: '/?Action=DescribeSecurityGroups&Version=2016-11-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=819491f052dec43ff4258ea45d756b1a3a5c50dc60ba7571eb156ea5d7488df3',
    headers: [['Host', '127.0.0.1:8080']],
  });
  const spec32 = signedRequestForTest({
    method: 'POST',
    target: '/',
    headers: [['Host', '127.0.0.1:5001'], ['Content-Type', FORM]],
    body: 'GroupName=websrv&GroupDescription=Web+Servers&SignatureVersion=2&Action=CreateSecurityGroup&Version=2013-02-01&AWSAccessKeyId=AKIDEXAMPLE&SignatureMethod=HmacSHA256&Timestamp=2026-11-22T15%3A04%3A26.488Z&Signature=IwRcj2KYXftSH9zy3A7LtdPtUKeyi7QxxB6TMsrIxIM%3D',
  });
  const spec33 = (method: 'POST' | 'GET', signatureMethod: string, signature: string): SignedRequest => {
    const query = `Action=DescribeSecurityGroups&Version=2011-12-15&GroupName.1=websrv&SignatureVersion=2&Timestamp=2012-01-02T03%3A04%3A05Z&AWSAccessKeyId=AKIDEXAMPLE&SignatureMethod=${signatureMethod}&Signature=${enc(signature)}`;
    return method === 'GET'
      ? signedRequestForTest({ method, target: `/?${query}`, headers: [['Host', '127.0.0.1:8080']] })
      : signedRequestForTest({ method, target: '/', headers: [['Host', '127.0.0.1:8080'], ['Content-Type', FORM]], body: query });
  };
  const V2_CALLER: Caller = { ...EC2_CALLER, scheme: 'sigv2' };
  const TEMP_CALLER: Caller = { ...EC2_CALLER, accessKeyId: 'ASIATEMPORARY', accountId: '444455556666' };

  const rows: readonly (readonly [string, SignedRequest, AuthOptions, Caller])[] = [
    // The vectors of spec/auth.md.
    ['§4.5 header form', spec45, options(V4_NOW), EC2_CALLER],
    ['§5 presigned, at its date', spec5, options(V4_NOW), { ...EC2_CALLER, scheme: 'sigv4-query' }],
    ['§5 presigned, at its last valid second', spec5, options('2024-01-02T03:09:05Z'), { ...EC2_CALLER, scheme: 'sigv4-query' }],
    ['§3.2 observed legacy CLI', spec32, options(V2_NOW), V2_CALLER],
    ['§3.3 POST HmacSHA256', spec33('POST', 'HmacSHA256', 'L0NPj6PzrOaXVDyPzm1zlBQdMFKO8zQ1epQIr8f2YS0='), options('2012-01-02T03:04:05Z'), V2_CALLER],
    ['§3.3 GET HmacSHA256', spec33('GET', 'HmacSHA256', 'rHT8jP6yJYm87Hn/bzCBggbAccAzHpWt495Wwnv/ozI='), options('2012-01-02T03:04:05Z'), V2_CALLER],
    ['§3.3 POST HmacSHA1', spec33('POST', 'HmacSHA1', 'KIs/x3gAGZUvbNHydk7LoUaAay4='), options('2012-01-02T03:04:05Z'), V2_CALLER],
    // SigV2 takes the default region.
    ['SigV2 region is the default', spec32, { ...options(V2_NOW, ['eu-west-1']), defaultRegion: 'eu-west-1' }, { ...V2_CALLER, region: 'eu-west-1' }],
    // The scope's service and region come back.
    ['sts scope', sigV4HeaderRequest({ service: 'sts' }), options(V4_NOW), { ...EC2_CALLER, service: 'sts' }],
    ['another configured region', sigV4HeaderRequest({ region: 'eu-west-1' }), options(V4_NOW, ['us-east-1', 'eu-west-1']), { ...EC2_CALLER, region: 'eu-west-1' }],
    // Time windows, at their edges.
    ['SigV4 15 minutes early', sigV4HeaderRequest(), options(plusMinutes(V4_NOW, -15)), EC2_CALLER],
    ['SigV4 15 minutes late', sigV4HeaderRequest(), options(plusMinutes(V4_NOW, 15)), EC2_CALLER],
    ['SigV2 Timestamp 15 minutes late', sigV2Request(), options(plusMinutes(V2_NOW, 15)), V2_CALLER],
    ['SigV2 Expires far ahead', sigV2Request({ time: ['Expires', '2030-01-01T00:00:00Z'] }), options(V2_NOW), V2_CALLER],
    ['SigV2 Timestamp with offset', sigV2Request({ time: ['Timestamp', '2026-11-22T16:04:26+01:00'] }), options(V2_NOW), V2_CALLER],
    // The Date header stands in for X-Amz-Date (spec/auth.md §4.4).
    ['Date header instead of X-Amz-Date',
      sigV4HeaderRequest({ httpDate: 'Tue, 02 Jan 2024 03:04:05 GMT', signedHeaders: ['content-type', 'date', 'host'] }),
      options(V4_NOW), EC2_CALLER],
    // Query parameters are signed in the header form too.
    ['header form with a query string', sigV4HeaderRequest({ target: '/?b=2&a=x%20y' }), options(V4_NOW), EC2_CALLER],
    // Temporary credentials with their token, signed (spec/auth.md §1).
    ['session token header, signed',
      sigV4HeaderRequest({
        accessKeyId: 'ASIATEMPORARY',
        headers: [['X-Amz-Security-Token', SESSION_TOKEN]],
        signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-security-token'],
      }),
      options(V4_NOW), TEMP_CALLER],
    ['session token in a presigned URL',
      presignedRequest({ accessKeyId: 'ASIATEMPORARY', extra: [['X-Amz-Security-Token', SESSION_TOKEN]] }),
      options(V4_NOW), { ...TEMP_CALLER, scheme: 'sigv4-query' }],
    ['SigV2 SecurityToken',
      sigV2Request({ accessKeyId: 'ASIATEMPORARY', extra: [['SecurityToken', SESSION_TOKEN]] }),
      options(V2_NOW), { ...TEMP_CALLER, scheme: 'sigv2' }],
    // Scheme precedence (spec/auth.md §2): the header wins over query and SigV2 parameters.
    ['header form beats SigV2 parameters', sigV4HeaderRequest({ target: '/?SignatureVersion=1&AWSAccessKeyId=x' }), options(V4_NOW), EC2_CALLER],
    ['presigned beats SigV2 parameters', presignedRequest({ extra: [['SignatureVersion', '2']] }), options(V4_NOW), { ...EC2_CALLER, scheme: 'sigv4-query' }],
  ];
  for (const [name, req, opts, want] of rows) {
    assert.deepEqual(authenticate(req, lookup, opts), want, name);
  }
});

// ---- refused requests -------------------------------------------------------------------------

interface Refusal {
  readonly name: string;
  readonly req: SignedRequest;
  readonly options: AuthOptions;
  readonly code: Ec2ErrorCode;
  /** When given, the whole message must match. */
  readonly message?: string | RegExp;
}

function assertRefused(rows: readonly Refusal[]): void {
  for (const row of rows) {
    assert.throws(
      () => authenticate(row.req, lookup, row.options),
      (e: unknown) => {
        assert.ok(isEc2Error(e), `${row.name}: not an Ec2Error: ${String(e)}`);
        assert.equal(e.code, row.code, `${row.name}: ${e.message}`);
        assert.equal(e.httpStatus, STATUS[row.code], row.name);
        if (typeof row.message === 'string') assert.equal(e.message, row.message, row.name);
        if (row.message instanceof RegExp) assert.match(e.message, row.message, row.name);
        return true;
      },
      row.name,
    );
  }
}

const v4 = options(V4_NOW);
const v2 = options(V2_NOW);
const removePart = (part: string) => (a: string): string => a.replace(new RegExp(`,? ?${part}=[^,]*`), '');

test('refuses malformed or incomplete signatures with IncompleteSignature (spec/auth.md §7)', () => {
  const header = 'AWS4-HMAC-SHA256 Foo=bar';
  assertRefused([
    // SigV4 Authorization header components (spec/auth.md §4.1).
    { name: 'missing Credential', req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace(/Credential=[^,]*, /, '') }), options: v4,
      code: 'IncompleteSignature', message: /^Authorization header requires 'Credential' parameter\. Authorization=AWS4-HMAC-SHA256 SignedHeaders=/ },
    { name: 'missing SignedHeaders', req: sigV4HeaderRequest({ editAuthorization: removePart('SignedHeaders') }), options: v4,
      code: 'IncompleteSignature', message: /^Authorization header requires 'SignedHeaders' parameter\./ },
    { name: 'missing Signature', req: sigV4HeaderRequest({ editAuthorization: removePart('Signature') }), options: v4,
      code: 'IncompleteSignature', message: /^Authorization header requires 'Signature' parameter\./ },
    { name: 'everything missing, listed at once',
      req: signedRequestForTest({ method: 'POST', target: '/', headers: [['Host', 'h'], ['Authorization', header]], body: V4_BODY }), options: v4,
      code: 'IncompleteSignature',
      message: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Foo=bar" },
    { name: 'component without =', req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace('SignedHeaders=', 'SignedHeaders ') }), options: v4,
      code: 'IncompleteSignature', message: /^'SignedHeaders content-type;host;x-amz-date' not a valid key=value pair \(missing equal-sign\) in Authorization header: 'AWS4-HMAC-SHA256 / },
    { name: '4-part credential scope', req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace('/ec2/aws4_request', '/aws4_request') }), options: v4,
      code: 'IncompleteSignature', message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240102/us-east-1/aws4_request'" },
    { name: 'wrong terminator', req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace('aws4_request', 'aws4_reqest') }), options: v4,
      code: 'IncompleteSignature' },
    { name: 'service s3', req: sigV4HeaderRequest({ service: 's3' }), options: v4, code: 'IncompleteSignature' },
    { name: 'host not signed', req: sigV4HeaderRequest({ signedHeaders: ['content-type', 'x-amz-date'] }), options: v4, code: 'IncompleteSignature' },
    { name: 'X-Amz-Date not signed (UNCONFIRMED strictness)', req: sigV4HeaderRequest({ signedHeaders: ['content-type', 'host'] }), options: v4,
      code: 'IncompleteSignature' },
    { name: 'Date header not signed (UNCONFIRMED strictness)', req: sigV4HeaderRequest({ httpDate: 'Tue, 02 Jan 2024 03:04:05 GMT' }), options: v4,
      code: 'IncompleteSignature' },
    { name: 'Date header malformed', req: sigV4HeaderRequest({ httpDate: '2024-01-02 03:04:05', signedHeaders: ['date', 'host'] }), options: v4,
      code: 'IncompleteSignature' },
    { name: 'X-Amz-Date malformed', req: sigV4HeaderRequest({ amzDate: '2024-01-02T03:04:05Z' }), options: v4, code: 'IncompleteSignature' },
    { name: 'no date header', req: signedRequestForTest({
      method: 'POST', target: '/', headers: [['Host', '127.0.0.1:8080'],
        ['Authorization', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240102/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00']],
      body: V4_BODY }), options: v4, code: 'IncompleteSignature', message: /requires existence of either a 'X-Amz-Date' or a 'Date' header/ },
    // Unsupported schemes (spec/auth.md §2 step 4).
    { name: 'S3-style SigV2 header', req: signedRequestForTest({ method: 'POST', target: '/', headers: [['Host', 'h'], ['Authorization', 'AWS AKIDEXAMPLE:c2lnbmF0dXJl']], body: V4_BODY }),
      options: v4, code: 'IncompleteSignature' },
    { name: 'SignatureVersion 1', req: sigV2Request({ replace: [['SignatureVersion', '1']] }), options: v2, code: 'IncompleteSignature' },
    { name: 'SignatureVersion 0', req: sigV2Request({ replace: [['SignatureVersion', '0']] }), options: v2, code: 'IncompleteSignature' },
    // Missing SigV2 auth parameters (spec/errors.md §3.1).
    { name: 'SigV2 missing SignatureVersion', req: sigV2Request({ drop: ['SignatureVersion'] }), options: v2, code: 'IncompleteSignature' },
    { name: 'SigV2 missing SignatureMethod', req: sigV2Request({ drop: ['SignatureMethod'] }), options: v2, code: 'IncompleteSignature',
      message: /SignatureMethod/ },
    { name: 'SigV2 missing Signature', req: sigV2Request({ drop: ['Signature'] }), options: v2, code: 'IncompleteSignature', message: /Signature$/ },
    { name: 'SigV2 missing Timestamp and Expires', req: sigV2Request({ drop: ['Timestamp'] }), options: v2, code: 'IncompleteSignature' },
    // Presigned URLs (spec/auth.md §5).
    { name: 'presigned missing X-Amz-Credential and X-Amz-Signature', req: presignedRequest({ drop: ['X-Amz-Credential', 'X-Amz-Signature'] }), options: v4,
      code: 'IncompleteSignature',
      message: "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters." },
    { name: 'presigned missing X-Amz-Expires', req: presignedRequest({ drop: ['X-Amz-Expires'] }), options: v4, code: 'IncompleteSignature' },
    { name: 'presigned other algorithm', req: presignedRequest({ algorithm: 'AWS4-HMAC-SHA512' }), options: v4, code: 'IncompleteSignature' },
    { name: 'presigned X-Amz-Expires 0', req: presignedRequest({ expires: '0' }), options: v4, code: 'IncompleteSignature' },
    { name: 'presigned X-Amz-Expires over a week', req: presignedRequest({ expires: '604801' }), options: v4, code: 'IncompleteSignature' },
    { name: 'presigned X-Amz-Expires not a number', req: presignedRequest({ expires: '5m' }), options: v4, code: 'IncompleteSignature' },
  ]);
});

test('refuses bad SigV2 parameter values (spec/auth.md §3.1, §3.4, UNCONFIRMED codes)', () => {
  assertRefused([
    { name: 'HmacMD5', req: sigV2Request({ signatureMethod: 'HmacMD5' }), options: v2, code: 'InvalidParameterValue', message: /HmacMD5/ },
    { name: 'unparsable Timestamp', req: sigV2Request({ time: ['Timestamp', 'yesterday'] }), options: v2, code: 'InvalidParameterValue', message: /yesterday/ },
    { name: 'unparsable Expires', req: sigV2Request({ time: ['Expires', '2026-13-01T00:00:00Z'] }), options: v2, code: 'InvalidParameterValue' },
    { name: 'Timestamp and Expires', req: sigV2Request({ extra: [['Expires', '2030-01-01T00:00:00Z']] }), options: v2, code: 'InvalidParameterCombination' },
  ]);
});

test('refuses unknown callers with AuthFailure (spec/auth.md §7)', () => {
  assertRefused([
    // No credentials at all (spec/auth.md §2 step 5).
    { name: 'no credentials at all', req: signedRequestForTest({ method: 'POST', target: '/', headers: [['Host', 'h'], ['Content-Type', FORM]], body: V4_BODY }),
      options: v4, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' },
    { name: 'a non-AWS Authorization scheme', req: signedRequestForTest({ method: 'POST', target: '/', headers: [['Host', 'h'], ['Authorization', 'Bearer abc']], body: V4_BODY }),
      options: v4, code: 'AuthFailure' },
    { name: 'SigV2 without AWSAccessKeyId', req: sigV2Request({ drop: ['AWSAccessKeyId'] }), options: v2, code: 'AuthFailure' },
    // Unknown or disabled keys.
    { name: 'unknown key, header form', req: sigV4HeaderRequest({ accessKeyId: 'AKIDUNKNOWN' }), options: v4, code: 'AuthFailure' },
    { name: 'unknown key, presigned', req: presignedRequest({ accessKeyId: 'AKIDUNKNOWN' }), options: v4, code: 'AuthFailure' },
    { name: 'unknown key, SigV2', req: sigV2Request({ accessKeyId: 'AKIDUNKNOWN' }), options: v2, code: 'AuthFailure' },
    { name: 'empty key id', req: sigV4HeaderRequest({ accessKeyId: '' }), options: v4, code: 'AuthFailure' },
    { name: 'disabled key, header form', req: sigV4HeaderRequest({ accessKeyId: 'AKIDDISABLED' }), options: v4, code: 'AuthFailure' },
    { name: 'disabled key, SigV2', req: sigV2Request({ accessKeyId: 'AKIDDISABLED' }), options: v2, code: 'AuthFailure' },
    // Region outside the configured set (spec/auth.md §4.4, UNCONFIRMED).
    { name: 'region not allowed', req: sigV4HeaderRequest({ region: 'eu-west-1' }), options: v4, code: 'AuthFailure' },
    // SigV4 clock skew (spec/auth.md §4.4).
    { name: 'skew 16 minutes, server ahead', req: sigV4HeaderRequest(), options: options(plusMinutes(V4_NOW, 16)), code: 'AuthFailure' },
    { name: 'skew 16 minutes, server behind', req: sigV4HeaderRequest(), options: options(plusMinutes(V4_NOW, -16)), code: 'AuthFailure' },
    { name: 'presigned URL dated 16 minutes ahead', req: presignedRequest(), options: options(plusMinutes(V4_NOW, -16)), code: 'AuthFailure' },
    // Session tokens (spec/auth.md §1).
    { name: 'session token missing', req: sigV4HeaderRequest({ accessKeyId: 'ASIATEMPORARY' }), options: v4, code: 'AuthFailure' },
    { name: 'session token wrong',
      req: sigV4HeaderRequest({ accessKeyId: 'ASIATEMPORARY', headers: [['X-Amz-Security-Token', 'not-the-token']],
        signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-security-token'] }),
      options: v4, code: 'AuthFailure' },
    { name: 'session token not signed',
      req: sigV4HeaderRequest({ accessKeyId: 'ASIATEMPORARY', headers: [['X-Amz-Security-Token', SESSION_TOKEN]] }),
      options: v4, code: 'AuthFailure' },
    { name: 'presigned session token missing', req: presignedRequest({ accessKeyId: 'ASIATEMPORARY' }), options: v4, code: 'AuthFailure' },
    { name: 'SigV2 SecurityToken missing', req: sigV2Request({ accessKeyId: 'ASIATEMPORARY' }), options: v2, code: 'AuthFailure' },
    { name: 'SigV2 SecurityToken wrong', req: sigV2Request({ accessKeyId: 'ASIATEMPORARY', extra: [['SecurityToken', `${SESSION_TOKEN}x`]] }),
      options: v2, code: 'AuthFailure' },
    { name: 'session token sent with a long-term key (UNCONFIRMED)', req: sigV2Request({ extra: [['SecurityToken', SESSION_TOKEN]] }),
      options: v2, code: 'AuthFailure' },
  ]);
});

test('refuses expired SigV2 requests and presigned URLs with RequestExpired (spec/auth.md §3.4, §5)', () => {
  assertRefused([
    { name: 'SigV2 Timestamp 16 minutes old', req: sigV2Request(), options: options(plusMinutes(V2_NOW, 16)), code: 'RequestExpired',
      message: 'Request has expired.' },
    { name: 'SigV2 Timestamp 16 minutes ahead', req: sigV2Request(), options: options(plusMinutes(V2_NOW, -16)), code: 'RequestExpired' },
    { name: 'SigV2 Expires passed', req: sigV2Request({ time: ['Expires', '2026-11-22T15:04:26.000Z'] }), options: v2, code: 'RequestExpired' },
    { name: 'presigned past X-Amz-Expires', req: presignedRequest(), options: options('2024-01-02T03:09:06Z'), code: 'RequestExpired' },
  ]);
});

test('refuses wrong signatures with SignatureDoesNotMatch (spec/auth.md §7)', () => {
  const otherHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  assertRefused([
    { name: 'tampered body', req: sigV4HeaderRequest({ sentBody: V4_BODY.replace('sg-1a2b3c4d', 'sg-1a2b3c4e') }), options: v4, code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' },
    { name: 'wrong secret, header form', req: sigV4HeaderRequest({ secret: `${SECRET}x` }), options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'wrong secret, presigned', req: presignedRequest({ secret: `${SECRET}x` }), options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'wrong secret, SigV2', req: sigV2Request({ secret: `${SECRET}x` }), options: v2, code: 'SignatureDoesNotMatch' },
    { name: 'tampered SigV2 parameter', req: sigV2Request({ replace: [['GroupName', 'websrw']] }), options: v2, code: 'SignatureDoesNotMatch' },
    { name: 'SigV2 signed for host without port', req: sigV2Request({ host: '127.0.0.1', sentHost: '127.0.0.1:5001' }), options: v2, code: 'SignatureDoesNotMatch' },
    { name: 'presigned parameter added after signing', req: presignedRequest({ appendAfterSigning: [['GroupId.1', 'sg-1a2b3c4d']] }), options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'signature of another signed header set',
      req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace('SignedHeaders=content-type;host;x-amz-date', 'SignedHeaders=host;x-amz-date') }),
      options: v4, code: 'SignatureDoesNotMatch' },
    // x-amz-content-sha256 that is not the body's hash (spec/auth.md §4.2, UNCONFIRMED code), signed or not.
    { name: 'x-amz-content-sha256 of another body, signed',
      req: sigV4HeaderRequest({ headers: [['x-amz-content-sha256', otherHash]], signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date'] }),
      options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'x-amz-content-sha256 of another body, unsigned', req: sigV4HeaderRequest({ headers: [['x-amz-content-sha256', otherHash]] }),
      options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'UNSIGNED-PAYLOAD', req: sigV4HeaderRequest({ headers: [['x-amz-content-sha256', 'UNSIGNED-PAYLOAD']] }), options: v4, code: 'SignatureDoesNotMatch' },
    // Scope date must be the request's day (spec/auth.md §4.4, UNCONFIRMED code).
    { name: 'scope date is not the request day', req: sigV4HeaderRequest({ scopeDate: '20240101' }), options: v4, code: 'SignatureDoesNotMatch' },
    { name: 'upper-case hex signature', req: sigV4HeaderRequest({ editAuthorization: (a) => a.replace(/Signature=([0-9a-f]+)/, (_, s: string) => `Signature=${s.toUpperCase()}`) }),
      options: v4, code: 'SignatureDoesNotMatch' },
  ]);
});

test('checks run in the order of spec/auth.md §7: fields, key, time, signature', () => {
  assertRefused([
    // Required fields before key lookup.
    { name: 'missing Signature part beats unknown key', req: sigV4HeaderRequest({ accessKeyId: 'AKIDUNKNOWN', editAuthorization: removePart('Signature') }),
      options: v4, code: 'IncompleteSignature' },
    { name: 'SigV2 missing SignatureMethod beats unknown key', req: sigV2Request({ accessKeyId: 'AKIDUNKNOWN', drop: ['SignatureMethod'] }),
      options: v2, code: 'IncompleteSignature' },
    { name: 'HmacMD5 beats unknown key', req: sigV2Request({ accessKeyId: 'AKIDUNKNOWN', signatureMethod: 'HmacMD5' }), options: v2, code: 'InvalidParameterValue' },
    // Key lookup before the time window.
    { name: 'unknown key beats expired SigV2 Timestamp', req: sigV2Request({ accessKeyId: 'AKIDUNKNOWN' }), options: options(plusMinutes(V2_NOW, 30)),
      code: 'AuthFailure' },
    { name: 'unknown key beats expired presigned URL', req: presignedRequest({ accessKeyId: 'AKIDUNKNOWN' }), options: options('2024-01-03T00:00:00Z'),
      code: 'AuthFailure' },
    { name: 'missing session token beats expired SigV2 Timestamp', req: sigV2Request({ accessKeyId: 'ASIATEMPORARY' }), options: options(plusMinutes(V2_NOW, 30)),
      code: 'AuthFailure' },
    // The time window before the signature.
    { name: 'expired SigV2 Timestamp beats wrong secret', req: sigV2Request({ secret: 'wrong' }), options: options(plusMinutes(V2_NOW, 30)), code: 'RequestExpired' },
    { name: 'expired presigned URL beats wrong secret', req: presignedRequest({ secret: 'wrong' }), options: options('2024-01-03T00:00:00Z'), code: 'RequestExpired' },
    { name: 'SigV4 skew beats tampered body', req: sigV4HeaderRequest({ sentBody: `${V4_BODY}&x=1` }), options: options(plusMinutes(V4_NOW, 20)), code: 'AuthFailure' },
  ]);
});
