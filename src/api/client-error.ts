import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { incompleteBody } from '../domain/ec2-errors.js';
import { errorXml } from './xml/response-envelope.js';

// llhttp's codes for a body that cannot be read to its end: the connection ended inside it
// (INVALID_EOF_STATE), or the chunked framing does not parse.
const BODY_ERRORS: ReadonlySet<string> = new Set([
  'HPE_INVALID_EOF_STATE',
  'HPE_INVALID_CHUNK_SIZE',
  'HPE_CHUNK_EXTENSIONS_OVERFLOW',
  'HPE_INVALID_TRANSFER_ENCODING',
  'HPE_STRICT',
  'HPE_CR_EXPECTED',
  'HPE_LF_EXPECTED',
]);

/**
 * Answers an HTTP parse error of a connection (Node's `clientError`), in place of Node's bare
 * answer: a body that ends before its Content-Length or malformed chunked framing is EC2's
 * envelope with `IncompleteBody`/400 (issue 13); anything else is what Node would send (431 for
 * oversized headers, 408 for a request that timed out, else 400). The request handler, if the
 * headers had been read, logs and counts the same failure (server.ts). Never throws.
 */
export function answerClientError(error: Error & { readonly code?: string }, socket: Duplex): void {
  // Nothing can reach a client that reset the connection or whose socket is gone.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (error.code !== undefined && BODY_ERRORS.has(error.code)) {
    const failure = incompleteBody();
    const body = errorXml(failure.code, failure.message, randomUUID());
    socket.end(
      `HTTP/1.1 ${failure.httpStatus} Bad Request\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\nServer: AmazonEC2\r\n\r\n${body}`,
    );
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}
