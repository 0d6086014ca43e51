import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import { sdkSession } from '../harness/sdk-session.js';

/**
 * Sends raw bytes on a new connection, optionally half-closing it (the client stops sending but
 * still reads) or cutting it after a moment, and returns everything the server sent back.
 */
function exchange(port: number, bytes: string, ending: 'half-close' | 'cut'): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
      if (ending === 'half-close') socket.end();
      else setTimeout(() => socket.destroy(), 100);
    });
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
  });
}

// Issue 13: a client that hangs up inside its body, or sends broken chunked framing, made a client
// error: EC2's envelope with IncompleteBody/400 where it can still be sent, an info-level request
// line (no error-level stack trace), and its own code in the metrics, not InternalError.
describe('a client that hangs up is not a server error', () => {
  const logLines: Record<string, unknown>[] = [];
  const session = sdkSession({ env: { STOCKADE_LOG_LEVEL: 'info' } });

  test('short body, cut connection and malformed chunks: 400 IncompleteBody, logged at info, counted as IncompleteBody', async () => {
    const { server } = session;
    server.process.stdout?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.startsWith('{')) logLines.push(JSON.parse(line) as Record<string, unknown>);
    });
    const head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n';
    const short = await exchange(server.port, `${head}Content-Length: 100\r\n\r\nAction=DescribeSecurityGroups`, 'half-close');
    const chunked = await exchange(server.port, `${head}Transfer-Encoding: chunked\r\n\r\nzz\r\nAction\r\n0\r\n\r\n`, 'half-close');
    const cut = await exchange(server.port, `${head}Content-Length: 100\r\n\r\nAction=`, 'cut');
    const envelope =
      /^HTTP\/1\.1 400 Bad Request\r\n[^]*\r\n\r\n<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>IncompleteBody<\/Code><Message>The request body ended before the length its headers announced, or its chunked encoding is malformed\.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/;
    assert.match(short, envelope);
    assert.match(chunked, envelope);
    // A connection that is gone gets nothing.
    assert.equal(cut, '');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /^stockade_requests_total\{action="unknown",code="IncompleteBody"\} 3$/m);
    assert.doesNotMatch(metrics, /code="InternalError"/);
    // pino levels: 30 info, 50 error.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const hungUp = logLines.filter((l) => l.code === 'IncompleteBody');
    assert.deepEqual(hungUp.map((l) => [l.level, l.status, l.msg]), [
      [30, 400, 'request'],
      [30, 400, 'request'],
      [30, 400, 'request'],
    ]);
    assert.deepEqual(logLines.filter((l) => Number(l.level) >= 50), []);
  });
});
