import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStockade, type RunningStockade } from '../harness/stockade-process.js';
import { createdGroupId, legacyEnv, legacyUser, runLegacy, tabs, type LegacyUser } from './legacy-cli.js';

// -v, --debug and stdin values through the real executables. Request IDs, dates and signatures
// vary, so the wire log is checked for its structure (spec/cli.md §2.2) and the records exactly.

const WIRE_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \[main\] DEBUG org\.apache\.http\.wire - (>>|<<) "(.*)"$/;

/** Splits stdout into its wire-log messages (direction + text) and the lines after them. */
function splitVerbose(stdout: string): { wire: { direction: string; text: string }[]; rest: string } {
  const lines = stdout.split('\n');
  const wire: { direction: string; text: string }[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const match = WIRE_LINE.exec(lines[i] ?? '');
    if (match === null) break;
    wire.push({ direction: match[1] ?? '', text: match[2] ?? '' });
  }
  return { wire, rest: lines.slice(i).join('\n') };
}

describe('legacy commands: verbose, debug, stdin', () => {
  let server: RunningStockade;
  let me: LegacyUser;
  let web: string;

  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'vpc-only' } });
    me = legacyUser(server, server.bootstrap);
    web = createdGroupId(await me.run('ec2addgrp', 'web', '-d', 'web tier'));
  });
  after(() => server.stop());

  test('-v logs both exchanges of an authorize by ID, then prints the records', async () => {
    const run = await me.run('ec2auth', '-v', web, '-P', 'tcp', '-p', '22');
    assert.deepEqual([run.status, run.stderr], [0, '']);
    const { wire, rest } = splitVerbose(run.stdout);
    assert.equal(rest, tabs(`GROUP⇥${web}⇥⇥⇥⇥\nPERMISSION⇥⇥⇥ALLOWS⇥tcp⇥22⇥22⇥FROM⇥CIDR⇥0.0.0.0/0⇥ingress\n`));

    // Requests: request line, our headers in order, blank line, then the body on one line.
    const port = new URL(server.url).port;
    const sent = wire.filter((m) => m.direction === '>>').map((m) => m.text);
    const head = (contentLength: string) => [
      'POST / HTTP/1.1[\\r][\\n]',
      'Content-Type: application/x-www-form-urlencoded; charset=utf-8[\\r][\\n]',
      `Content-Length: ${contentLength}[\\r][\\n]`,
      `Host: 127.0.0.1:${port}[\\r][\\n]`,
      'Connection: Keep-Alive[\\r][\\n]',
      'User-Agent: ec2-api-tools 1.6.7.1 (Stockade)[\\r][\\n]',
      '[\\r][\\n]',
    ];
    assert.equal(sent.length, 16);
    const bodies = [sent[7] ?? '', sent[15] ?? ''];
    assert.deepEqual(sent.slice(0, 7), head(String(Buffer.byteLength(bodies[0] ?? ''))));
    assert.deepEqual(sent.slice(8, 15), head(String(Buffer.byteLength(bodies[1] ?? ''))));
    assert.match(bodies[0] ?? '', new RegExp(`^Action=DescribeSecurityGroups&Version=2013-02-01&GroupId\\.1=${web}&AWSAccessKeyId=[^&]+&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=[^&]+&Signature=[^&]+$`));
    assert.match(bodies[1] ?? '', new RegExp(`^Action=AuthorizeSecurityGroupIngress&Version=2013-02-01&GroupId=${web}&IpPermissions\\.1\\.IpProtocol=tcp&IpPermissions\\.1\\.FromPort=22&IpPermissions\\.1\\.ToPort=22&IpPermissions\\.1\\.IpRanges\\.1\\.CidrIp=0\\.0\\.0\\.0%2F0&AWSAccessKeyId=`));

    // Responses: status line, headers, blank line, XML body; request first, then its response.
    const received = wire.filter((m) => m.direction === '<<').map((m) => m.text);
    assert.deepEqual(wire.map((m) => m.direction).join('').replace(/(>>)+(<<)+/g, 'X'), 'XX');
    assert.equal(received.filter((text) => text === 'HTTP/1.1 200 OK[\\r][\\n]').length, 2);
    assert.ok(received.some((text) => /^x-amzn-RequestId: [0-9a-f-]{36}\[\\r\]\[\\n\]$/i.test(text)));
    assert.ok(received.some((text) => text.includes('<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2013-02-01/">')));
    assert.ok(received.some((text) => text.includes('<return>true</return>')));
  });

  test('-v on a failing command logs the error body; stderr has the error line', async () => {
    const run = await me.run('ec2delgrp', '--verbose', 'nosuch');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^Client\.InvalidGroup\.NotFound: The security group 'nosuch' does not exist in default VPC 'vpc-[0-9a-f]+'\n$/);
    const { wire, rest } = splitVerbose(run.stdout);
    assert.equal(rest, '');
    assert.ok(wire.some((m) => m.direction === '<<' && m.text === 'HTTP/1.1 400 Bad Request[\\r][\\n]'));
    assert.ok(wire.some((m) => m.direction === '<<' && m.text.includes('<Response><Errors><Error><Code>InvalidGroup.NotFound</Code>')));
  });

  test('--debug names the access key first', async () => {
    const run = await me.run('ec2dgrp', '--debug', 'web');
    assert.equal(run.status, 0);
    assert.ok(run.stdout.startsWith(`Using AWS acces key: ${server.bootstrap.accessKeyId}\nGROUP\t${web}\t`), run.stdout);
  });

  test('--debug adds a stack trace to a service error', async () => {
    const run = await me.run('ec2delgrp', '--debug', 'nosuch');
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^Client\.InvalidGroup\.NotFound: .*\nServiceError: .*\n {4}at /);
  });

  test('an option value - is read from stdin', async () => {
    const run = await runLegacy('ec2auth', [web, '-P', 'udp', '-p', '53', '-s', '-'], legacyEnv(server.url, server.bootstrap), '10.0.0.0/8\n192.0.2.0/24\n');
    assert.deepEqual(run, {
      status: 0,
      stdout: tabs(
        `-- waiting for stdin --\nGROUP⇥${web}⇥⇥⇥⇥\n` +
          'PERMISSION⇥⇥⇥ALLOWS⇥udp⇥53⇥53⇥FROM⇥CIDR⇥10.0.0.0/8⇥ingress\n' +
          'PERMISSION⇥⇥⇥ALLOWS⇥udp⇥53⇥53⇥FROM⇥CIDR⇥192.0.2.0/24⇥ingress\n',
      ),
      stderr: '',
    });
  });

  test('EC2_REGION does not override EC2_URL', async () => {
    const run = await runLegacy('ec2dgrp', ['web'], { ...legacyEnv(server.url, server.bootstrap), EC2_REGION: 'eu-west-1' });
    assert.equal(run.status, 0, run.stderr);
  });
});
