import type http from 'node:http';
import { incompleteBody, requestTooLarge } from '../domain/ec2-errors.js';

/** Largest request body accepted; EC2 requests are a few kilobytes (UNCONFIRMED limit). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request's whole body, at most MAX_BODY_BYTES. Rejects with RequestTooLarge past that,
 * and IncompleteBody when the connection ends first or the framing is broken.
 */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      reject(requestTooLarge(MAX_BODY_BYTES));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(requestTooLarge(MAX_BODY_BYTES));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks)));
    // The only errors of a request stream are the connection ending before the body did (Node's
    // "aborted") and a body the parser refused: the client's doing, answered and counted as
    // IncompleteBody/400, never as an InternalError with a stack trace (issue 13).
    req.on('error', () => reject(incompleteBody()));
  });
}

