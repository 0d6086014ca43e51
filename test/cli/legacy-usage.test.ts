import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { LEGACY_EXECUTABLES, runLegacy, type LegacyExecutable } from './legacy-cli.js';

// The real executables' usage and connection errors (spec/cli.md §2.3, §3.2), against a plain
// HTTP listener that counts requests, so "nothing is sent" is checked, not assumed.

const KEYS = { AWS_ACCESS_KEY: 'AKIDEXAMPLE', AWS_SECRET_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const PATH = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

/** What the listener answers: a fixed status and body, or nothing at all. */
type Answer = { readonly status: number; readonly body: string } | 'never';

describe('legacy commands: usage and connection errors', () => {
  let listener: Server;
  let url: string;
  let requests = 0;
  let answer: Answer = { status: 500, body: 'should not be reached' };

  before(async () => {
    listener = createServer((req, res) => {
      requests++;
      req.resume();
      if (answer === 'never') return;
      res.writeHead(answer.status, { 'Content-Type': 'text/html' }).end(answer.body);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  });
  after(() => {
    listener.closeAllConnections();
    return new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  const usageRows: { command: LegacyExecutable; argv: string[]; env?: Record<string, string>; stderr: string }[] = [
    // §2.3
    { command: 'ec2dgrp', argv: [], env: {}, stderr: "Required option '-O, --aws-access-key KEY' missing (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-p', '22'], env: { AWS_ACCESS_KEY: 'AK' }, stderr: "Required option '-W, --aws-secret-key KEY' missing (-h for usage)\n" },
    { command: 'ec2-authorize', argv: ['-p', '22'], stderr: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { command: 'ec2revoke', argv: ['-P', 'tcp', '-p', '22'], stderr: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { command: 'ec2delgrp', argv: [], stderr: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { command: 'ec2dgrp', argv: ['--bogus'], stderr: 'Unrecognized option: --bogus (use -h for usage)\n' },
    { command: 'ec2auth', argv: ['websrv', '--bogus', '-p', '22'], stderr: 'Unrecognized option: --bogus (use -h for usage)\n' },
    { command: 'ec2addgrp', argv: ['websrv'], stderr: "Required option '-d, --description GROUP-DESCRIPTION' missing (-h for usage)\n" },
    { command: 'ec2-add-group', argv: ['websrv', '-c', 'vpc-1'], stderr: "Required option '-d, --description GROUP-DESCRIPTION' missing (-h for usage)\n" },
    // §3.2, non-VPC (a name is always validated as non-VPC).
    {
      command: 'ec2auth',
      argv: ['websrv', '-P', 'all', '-s', '10.0.0.0/8'],
      stderr: 'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)\n',
    },
    { command: 'ec2auth', argv: ['websrv', '-o', 'other', '-u', '111122223333', '-p', '80'], stderr: "Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-P', 'tcp'], stderr: "Required option '-p, --port-range PORT-RANGE' missing (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-P', 'udp', '-p', '53', '-t', '8:0'], stderr: "Unexpected option '-t, --icmp-type-code TYPE:CODE' encountered (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-P', 'icmp'], stderr: "Required option '-t, --icmp-type-code TYPE:CODE' missing (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-p', '70000'], stderr: "Invalid range specified: '70000' (use m-n)\n" },
    { command: 'ec2auth', argv: ['websrv', '-P', 'icmp', '-t', '-1'], stderr: "Invalid argument for option '-t, --icmp-type-code TYPE:CODE': '-1' (-h for usage)\n" },
    { command: 'ec2auth', argv: ['websrv', '-o', 'a', '-u', '111122223333', '-s', '10.0.0.0/8'], stderr: 'Specify either source groups or source CIDRs, not both. (-h for usage)\n' },
    { command: 'ec2auth', argv: ['websrv', '-o', 'a'], stderr: "Required option '-u, --source-or-dest-group-user SOURCE-OR-DEST-GROUP-USER' missing (-h for usage)\n" },
    {
      command: 'ec2auth',
      argv: ['websrv', '-o', 'a', '-o', 'b', '-o', 'c', '-u', '111122223333', '-u', '444455556666'],
      stderr: "Required option '-o, --source-or-dest-group SOURCE-OR-DEST-GROUP' missing (-h for usage)\n",
    },
    { command: 'ec2revoke', argv: ['websrv', '-p', '22', '--dest-subnet', '10.0.0.0/8'], stderr: 'Specify --dest-subnet for egress requests only. (-h for usage)\n' },
    { command: 'ec2dgrp', argv: ['-F', 'group-name'], stderr: "Invalid argument for option '-F, --filter FILTER': 'group-name' (-h for usage)\n" },
  ];
  for (const row of usageRows) {
    test(`${row.command} ${row.argv.join(' ')}`, async () => {
      const before = requests;
      const run = await runLegacy(row.command, row.argv, { ...PATH, EC2_URL: url, ...(row.env ?? KEYS) });
      assert.deepEqual(run, { status: 1, stdout: '', stderr: row.stderr });
      assert.equal(requests, before, 'a request was sent');
    });
  }

  for (const [command, module] of Object.entries(LEGACY_EXECUTABLES)) {
    test(`${command} -h prints its help, exits 0, needs no credentials`, async () => {
      const before = requests;
      const run = await runLegacy(command as LegacyExecutable, ['-h'], PATH);
      assert.equal(run.status, 0);
      assert.equal(run.stderr, '');
      assert.ok(run.stdout.startsWith(`SYNOPSIS\n   ${module} [GENERAL OPTIONS] `), run.stdout);
      assert.match(run.stdout, /\n {3}EC2_REGION {2,}.*\n.*1\.6\.7\.1 ignore/);
      assert.equal(requests, before);
    });
  }

  test('an endpoint that refuses the connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runLegacy('ec2dgrp', [], { ...PATH, ...KEYS, EC2_URL: `http://127.0.0.1:${port}` });
    assert.deepEqual(run, {
      status: 1,
      stdout: '',
      stderr: `Unable to connect to host: 'http://127.0.0.1:${port}'\nConnection to http://127.0.0.1:${port} refused\n`,
    });
  });

  test('a host name that does not resolve', async () => {
    const run = await runLegacy('ec2dgrp', ['-U', 'http://stockade-no-such-host.invalid:5001'], { ...PATH, ...KEYS });
    assert.deepEqual(run, {
      status: 1,
      stdout: '',
      stderr: "Unknown problem connecting to host: 'http://stockade-no-such-host.invalid:5001'\nUnable to execute HTTP request: stockade-no-such-host.invalid: Name or service not known\n",
    });
  });

  test('a malformed endpoint URL', async () => {
    const run = await runLegacy('ec2dgrp', [], { ...PATH, ...KEYS, EC2_URL: 'http://[bad' });
    assert.deepEqual(run, { status: 1, stdout: '', stderr: "Unexpected error:\nInvalid endpoint URL: 'http://[bad'\n" });
  });

  test('an error body that is not EC2 XML', async () => {
    answer = { status: 502, body: '<html><body>Bad Gateway</body></html>' };
    const run = await runLegacy('ec2delgrp', ['websrv'], { ...PATH, ...KEYS, EC2_URL: url });
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, new RegExp(`^Unknown problem connecting to host: '${url}'\\nUnable to unmarshall error response \\(.+\\)\\n$`));
  });

  test('--request-timeout gives up on a silent endpoint', async () => {
    answer = 'never';
    const run = await runLegacy('ec2dgrp', ['--request-timeout', '1'], { ...PATH, ...KEYS, EC2_URL: url });
    assert.deepEqual(run, { status: 1, stdout: '', stderr: `Unknown problem connecting to host: '${url}'\nRead timed out\n` });
  });
});
