import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpTransport, TransportFailure, type HttpRequest } from './http-transport.js';
import { requestWireBytes } from './wire-log.js';

// A raw TCP listener, so the test sees the exact bytes node puts on the wire.

const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Custom: a\r\nContent-Length: 5\r\n\r\n<ok/>';

describe('createHttpTransport', () => {
  let server: Server;
  let port: number;
  let received = Buffer.alloc(0);
  let respond = true;
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (chunk) => {
        received = Buffer.concat([received, chunk]);
        // Answer once the whole request (head + Content-Length body) is in.
        const text = received.toString();
        const headEnd = text.indexOf('\r\n\r\n');
        const length = Number(/Content-Length: (\d+)/i.exec(text)?.[1] ?? '0');
        if (respond && headEnd !== -1 && received.length >= headEnd + 4 + length) socket.write(RESPONSE);
      });
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const request = (): HttpRequest => {
    const body = Buffer.from('Action=DescribeSecurityGroups&Version=2013-02-01');
    return {
      url: new URL(`http://127.0.0.1:${port}/`),
      method: 'POST',
      headers: [
        ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
        ['Content-Length', String(body.length)],
        ['Host', `127.0.0.1:${port}`],
        ['Connection', 'Keep-Alive'],
        ['User-Agent', 'test'],
      ],
      body,
    };
  };

  it('sends exactly the bytes the wire log shows, and returns the response as received', async () => {
    received = Buffer.alloc(0);
    respond = true;
    const transport = createHttpTransport({ connectionTimeoutMs: 5000, requestTimeoutMs: 5000 });
    try {
      const sent = request();
      const response = await transport.send(sent);
      assert.equal(received.toString(), requestWireBytes(sent).toString());
      assert.deepEqual(
        [response.httpVersion, response.statusCode, response.statusMessage, response.rawHeaders, response.body.toString()],
        ['1.1', 200, 'OK', ['Content-Type', 'text/xml', 'X-Custom', 'a', 'Content-Length', '5'], '<ok/>'],
      );
    } finally {
      transport.close();
    }
  });

  it('fails with read-timeout when the server stays silent', async () => {
    received = Buffer.alloc(0);
    respond = false;
    const transport = createHttpTransport({ connectionTimeoutMs: 5000, requestTimeoutMs: 200 });
    try {
      await assert.rejects(transport.send(request()), (error: unknown) => error instanceof TransportFailure && error.kind === 'read-timeout');
    } finally {
      transport.close();
    }
  });

  it('fails with refused when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const transport = createHttpTransport({ connectionTimeoutMs: 5000, requestTimeoutMs: 5000 });
    try {
      await assert.rejects(
        transport.send({ ...request(), url: new URL(`http://127.0.0.1:${freePort}/`) }),
        (error: unknown) => error instanceof TransportFailure && error.kind === 'refused',
      );
    } finally {
      transport.close();
    }
  });
});
