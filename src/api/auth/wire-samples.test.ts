import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isEc2Error } from '../../domain/ec2-error.js';
import { authenticate } from './authenticate.js';
import { headerValue } from './header-value.js';
import { parseAmzDate } from './request-date.js';
import { signedRequestForTest } from './signed-request-fixture.js';
import type { AccessKeyLookup, AuthOptions, SignedRequest } from './signed-request.js';

// Real client requests captured on the wire (shared/wire-samples/README.md), signed with the AWS
// documentation example key for region us-east-1. Each `<client>.txt` holds the verbatim request
// bytes (CRLF kept) between BEGIN/END markers, one request per captured connection.
// (The README also names raw/<client>/conn-NNNN.c2s files; they are not in the shared tree, and
// the .txt blocks are the same bytes, checked here against each request's Content-Length.)
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** A credential store holding only the example key, with `secretAccessKey` as its secret. */
const lookupWithSecret = (secretAccessKey: string): AccessKeyLookup => (id) =>
  id === ACCESS_KEY_ID ? { accessKeyId: id, secretAccessKey, accountId: '123456789012', enabled: true } : undefined;
const lookup = lookupWithSecret(SECRET);

/** Requests captured per client file (README table); a parser that finds fewer must fail. */
const EXPECTED_REQUESTS: Readonly<Record<string, number>> = {
  'awscli-v1.txt': 5,
  'awscli-v2.txt': 4,
  'boto3.txt': 6,
  'sdk-js-v3.txt': 3,
};

interface WireSample {
  readonly name: string;
  readonly req: SignedRequest;
  readonly amzDate: string;
}

/** `../shared/wire-samples` beside the repository root (the directory holding package.json). */
function wireSamplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    assert.notEqual(parent, dir, 'repository root (package.json) not found above this test');
    dir = parent;
  }
  return resolve(dir, '..', 'shared', 'wire-samples');
}

const BLOCK = /^===== BEGIN (.+ request(?: #\d+)?) \((conn-\d{4})\.c2s\) =====\n([\s\S]*?)\n===== END \1 \(\2\.c2s\) =====$/gm;

/** Every request block of one capture file, parsed as the server would receive it. */
function samplesOf(file: string): WireSample[] {
  // latin1 keeps one character per byte, so offsets and bytes round-trip exactly.
  const text = readFileSync(join(wireSamplesDir(), file)).toString('latin1');
  return Array.from(text.matchAll(BLOCK), (m) => {
    const name = `${file} ${m[2] ?? ''} ${m[1] ?? ''}`;
    const req = parseHttpRequest(Buffer.from(m[3] ?? '', 'latin1'), name);
    const amzDate = headerValue(req.headers, 'x-amz-date');
    assert.ok(amzDate !== undefined, `${name}: no X-Amz-Date`);
    return { name, req, amzDate };
  });
}

/** Parses request line, headers and body of one HTTP/1.1 request; the body must be exactly Content-Length bytes. */
function parseHttpRequest(bytes: Buffer, name: string): SignedRequest {
  const headEnd = bytes.indexOf('\r\n\r\n');
  assert.ok(headEnd > 0, `${name}: no end of headers`);
  const [requestLine = '', ...headerLines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const [method = '', target = '', version = ''] = requestLine.split(' ');
  assert.equal(version, 'HTTP/1.1', `${name}: request line ${requestLine}`);
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    assert.ok(colon > 0, `${name}: header line ${line}`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const body = bytes.subarray(headEnd + 4);
  const contentLength = headers.find(([header]) => header.toLowerCase() === 'content-length')?.[1];
  assert.equal(String(body.length), contentLength, `${name}: body length vs Content-Length`);
  return signedRequestForTest({ method, target, headers, body });
}

function optionsAt(amzDate: string, offsetMinutes = 0): AuthOptions {
  const requestTime = parseAmzDate(amzDate);
  assert.ok(requestTime !== undefined, amzDate);
  return {
    now: new Date(requestTime.getTime() + offsetMinutes * 60_000),
    defaultRegion: 'us-east-1',
    regions: new Set(['us-east-1']),
  };
}

function allSamples(): WireSample[] {
  const dir = wireSamplesDir();
  assert.ok(existsSync(dir), `wire samples missing: ${dir} (they must be present; this test never skips)`);
  return Object.entries(EXPECTED_REQUESTS).flatMap(([file, count]) => {
    const samples = samplesOf(file);
    assert.equal(samples.length, count, `${file}: requests found`);
    return samples;
  });
}

test('captured requests of AWS CLI v1/v2, boto3 and aws-sdk-js v3 verify', () => {
  const samples = allSamples();
  assert.equal(samples.length, 18);
  for (const { name, req, amzDate } of samples) {
    assert.deepEqual(
      authenticate(req, lookup, optionsAt(amzDate)),
      { accessKeyId: ACCESS_KEY_ID, accountId: '123456789012', region: 'us-east-1', service: 'ec2', scheme: 'sigv4-header' },
      name,
    );
  }
});

test('captured requests fail once altered', () => {
  const withBody = (req: SignedRequest, body: Buffer): SignedRequest => ({ ...req, body });
  for (const { name, req, amzDate } of allSamples()) {
    const flipped = Buffer.from(req.body);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    const rows: readonly (readonly [string, () => unknown, string])[] = [
      ['last body byte flipped', () => authenticate(withBody(req, flipped), lookup, optionsAt(amzDate)), 'SignatureDoesNotMatch'],
      ['other secret', () => authenticate(req, lookupWithSecret(`${SECRET}x`), optionsAt(amzDate)), 'SignatureDoesNotMatch'],
      ['other host', () => authenticate({ ...req, headers: { ...req.headers, host: '127.0.0.1:9999' } }, lookup, optionsAt(amzDate)), 'SignatureDoesNotMatch'],
      ['key unknown', () => authenticate(req, () => undefined, optionsAt(amzDate)), 'AuthFailure'],
      ['server clock 16 minutes ahead', () => authenticate(req, lookup, optionsAt(amzDate, 16)), 'AuthFailure'],
    ];
    for (const [change, run, code] of rows) {
      assert.throws(run, (e: unknown) => isEc2Error(e) && e.code === code, `${name}: ${change}`);
    }
  }
});
