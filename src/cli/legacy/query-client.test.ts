import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, ServiceError } from './cli-error.js';
import type { EndpointConfig } from './endpoint-config.js';
import { TransportFailure, type TransportFailureKind } from './http-transport.js';
import { createQueryCall, signedRequest } from './query-client.js';
import { createRecordingTransportForTest, errorXmlForTest, xmlResponseForTest, type ResponderForTest } from './recording-transport.js';

const CONFIG: EndpointConfig = {
  endpoint: 'http://127.0.0.1:5001',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  securityToken: undefined,
  connectionTimeoutMs: undefined,
  requestTimeoutMs: undefined,
};
const NOW = new Date('2026-11-22T15:04:26.488Z');

describe('signedRequest', () => {
  // spec/auth.md §3.2: a real ec2-api-tools 1.6.7.1 request and its signature [observed-cli].
  it('reproduces the signature the real tools computed', () => {
    const request = signedRequest(new URL(CONFIG.endpoint), 'CreateSecurityGroup', [['GroupName', 'websrv'], ['GroupDescription', 'Web Servers']], CONFIG, NOW);
    const params = new URLSearchParams(request.body.toString());
    assert.equal(params.get('Signature'), 'IwRcj2KYXftSH9zy3A7LtdPtUKeyi7QxxB6TMsrIxIM=');
    assert.equal(
      request.body.toString(),
      'Action=CreateSecurityGroup&Version=2013-02-01&GroupName=websrv&GroupDescription=Web+Servers&AWSAccessKeyId=AKIDEXAMPLE' +
        '&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2026-11-22T15%3A04%3A26.488Z' +
        '&Signature=IwRcj2KYXftSH9zy3A7LtdPtUKeyi7QxxB6TMsrIxIM%3D',
    );
    assert.deepEqual(request.headers, [
      ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['Content-Length', String(request.body.length)],
      ['Host', '127.0.0.1:5001'],
      ['Connection', 'Keep-Alive'],
      ['User-Agent', 'ec2-api-tools 1.6.7.1 (Stockade)'],
    ]);
  });

  it('signs SecurityToken with the rest', () => {
    const withToken = signedRequest(new URL(CONFIG.endpoint), 'DescribeSecurityGroups', [], { ...CONFIG, securityToken: 'TOKEN' }, NOW);
    const without = signedRequest(new URL(CONFIG.endpoint), 'DescribeSecurityGroups', [], CONFIG, NOW);
    const a = new URLSearchParams(withToken.body.toString());
    assert.equal(a.get('SecurityToken'), 'TOKEN');
    assert.notEqual(a.get('Signature'), new URLSearchParams(without.body.toString()).get('Signature'));
  });

  it('leaves a default port out of Host, as the URL does', () => {
    const request = signedRequest(new URL('HTTP://EC2.Example.COM:80/'), 'DescribeSecurityGroups', [], CONFIG, NOW);
    assert.deepEqual(request.headers.find(([name]) => name === 'Host'), ['Host', 'ec2.example.com']);
  });
});

async function callWith(respond: ResponderForTest, endpoint = CONFIG.endpoint): Promise<unknown> {
  const transport = createRecordingTransportForTest(respond);
  const call = createQueryCall({ config: { ...CONFIG, endpoint }, transport, now: () => NOW, wireLog: undefined });
  try {
    return await call('DescribeSecurityGroups', [], (body) => body);
  } catch (error) {
    return error;
  }
}

describe('createQueryCall outcomes', () => {
  it('returns what read makes of a 200 body', async () => {
    assert.equal(await callWith(() => xmlResponseForTest(200, '<ok/>')), '<ok/>');
  });

  const serviceRows: { status: number }[] = [{ status: 400 }, { status: 403 }, { status: 500 }, { status: 503 }];
  for (const row of serviceRows) {
    it(`turns an HTTP ${row.status} envelope into ServiceError`, async () => {
      const error = await callWith(() => xmlResponseForTest(row.status, errorXmlForTest('Some.Code', 'some message')));
      assert.ok(error instanceof ServiceError);
      assert.deepEqual([error.code, error.message, error.httpStatus], ['Some.Code', 'some message', row.status]);
    });
  }

  it('reports a non-XML error body as the tools do', async () => {
    const error = await callWith(() => xmlResponseForTest(502, '<html>bad gateway'));
    assert.ok(error instanceof ConnectionError);
    assert.equal(error.headline, "Unknown problem connecting to host: 'http://127.0.0.1:5001'");
    assert.match(error.detail, /^Unable to unmarshall error response \(.+\)$/);
  });

  const failureRows: { kind: TransportFailureKind; headline: string; detail: string }[] = [
    { kind: 'refused', headline: "Unable to connect to host: 'http://127.0.0.1:5001'", detail: 'Connection to http://127.0.0.1:5001 refused' },
    { kind: 'connect-timeout', headline: "Unable to connect to host: 'http://127.0.0.1:5001'", detail: 'Connect to http://127.0.0.1:5001 timed out' },
    {
      kind: 'unknown-host',
      headline: "Unknown problem connecting to host: 'http://127.0.0.1:5001'",
      detail: 'Unable to execute HTTP request: 127.0.0.1: Name or service not known',
    },
    { kind: 'read-timeout', headline: "Unknown problem connecting to host: 'http://127.0.0.1:5001'", detail: 'Read timed out' },
    { kind: 'other', headline: "Unknown problem connecting to host: 'http://127.0.0.1:5001'", detail: 'Unable to execute HTTP request: socket hang up' },
  ];
  for (const row of failureRows) {
    it(`maps transport failure ${row.kind}`, async () => {
      const error = await callWith(() => {
        throw new TransportFailure(row.kind, 'socket hang up');
      });
      assert.ok(error instanceof ConnectionError);
      assert.deepEqual([error.headline, error.detail], [row.headline, row.detail]);
    });
  }

  for (const endpoint of ['not a url', 'ftp://127.0.0.1/', 'http://']) {
    it(`rejects endpoint ${JSON.stringify(endpoint)} before sending`, async () => {
      const error = await callWith(() => assert.fail('sent'), endpoint);
      assert.ok(error instanceof ConnectionError);
      assert.deepEqual([error.headline, error.detail], ['Unexpected error:', `Invalid endpoint URL: '${endpoint}'`]);
    });
  }
});

describe('wire log', () => {
  it('logs the request and the response, line by line', async () => {
    const lines: string[] = [];
    const transport = createRecordingTransportForTest(() => xmlResponseForTest(200, '<?xml version="1.0"?>\n<ok/>'));
    const call = createQueryCall({ config: CONFIG, transport, now: () => new Date(2026, 0, 2, 3, 4, 5, 6), wireLog: (line) => lines.push(line) });
    await call('DescribeSecurityGroups', [], () => undefined);
    const prefix = '2026-01-02 03:04:05,006 [main] DEBUG org.apache.http.wire - ';
    assert.ok(lines.every((line) => line.startsWith(prefix)));
    const messages = lines.map((line) => line.slice(prefix.length));
    assert.deepEqual(messages.slice(0, 7), [
      '>> "POST / HTTP/1.1[\\r][\\n]"',
      '>> "Content-Type: application/x-www-form-urlencoded; charset=utf-8[\\r][\\n]"',
      `>> "Content-Length: ${transport.requests[0]?.request.body.length}[\\r][\\n]"`,
      '>> "Host: 127.0.0.1:5001[\\r][\\n]"',
      '>> "Connection: Keep-Alive[\\r][\\n]"',
      '>> "User-Agent: ec2-api-tools 1.6.7.1 (Stockade)[\\r][\\n]"',
      '>> "[\\r][\\n]"',
    ]);
    assert.match(messages[7] ?? '', /^>> "Action=DescribeSecurityGroups&Version=2013-02-01&AWSAccessKeyId=AKIDEXAMPLE&.*&Signature=[^"]+"$/);
    assert.deepEqual(messages.slice(8), [
      '<< "HTTP/1.1 200 OK[\\r][\\n]"',
      '<< "Content-Type: text/xml;charset=UTF-8[\\r][\\n]"',
      '<< "[\\r][\\n]"',
      '<< "<?xml version="1.0"?>[\\n]"',
      '<< "<ok/>"',
    ]);
  });
});
