import http from 'node:http';
import https from 'node:https';

/** One HTTP request exactly as it goes on the wire (header order preserved). */
export interface HttpRequest {
  readonly url: URL;
  readonly method: 'POST';
  /** Header lines in sending order, `Host` included. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
}

/** One HTTP response as received. */
export interface HttpResponse {
  /** `1.1` */
  readonly httpVersion: string;
  readonly statusCode: number;
  readonly statusMessage: string;
  /** Header names and values alternating, as received. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** Sends requests; the seam unit tests replace with a fake. */
export interface QueryTransport {
  /** Resolves with the response, or rejects with `TransportFailure`. */
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Releases pooled connections so the process can exit. */
  close(): void;
}

/** Why a request got no response. */
export const TRANSPORT_FAILURE_KINDS = ['refused', 'unknown-host', 'connect-timeout', 'read-timeout', 'other'] as const;

/** One of `TRANSPORT_FAILURE_KINDS`. */
export type TransportFailureKind = (typeof TRANSPORT_FAILURE_KINDS)[number];

/** A request that got no HTTP response; `query-client.ts` turns it into the tools' messages. */
export class TransportFailure extends Error {
  readonly kind: TransportFailureKind;

  constructor(kind: TransportFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportFailure';
    this.kind = kind;
  }
}

/** Timeouts of the node transport; `undefined` waits forever. */
export interface HttpTransportOptions {
  readonly connectionTimeoutMs: number | undefined;
  /** Longest silence while waiting for (the rest of) the response. */
  readonly requestTimeoutMs: number | undefined;
}

/**
 * Returns a transport over node:http/node:https. Connections are kept alive between the requests
 * of one command (the pre-check and the action), like the tools' `Connection: Keep-Alive`, and
 * dropped by `close()`.
 */
export function createHttpTransport(options: HttpTransportOptions): QueryTransport {
  // Pools the keep-alive sockets of this command only; close() destroys them.
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
  };
  return {
    send: (request) => {
      const agent = request.url.protocol === 'https:' ? agents['https:'] : agents['http:'];
      return sendOnce(request, request.url.protocol === 'https:' ? https : http, agent, options);
    },
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function sendOnce(
  request: HttpRequest,
  module: typeof http | typeof https,
  agent: http.Agent,
  options: HttpTransportOptions,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const fail = (failure: TransportFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      req.destroy();
      reject(failure);
    };
    const req = module.request(request.url, {
      method: request.method,
      agent,
      setHost: false,
      headers: Object.fromEntries(request.headers),
    });
    if (options.connectionTimeoutMs !== undefined) {
      const ms = options.connectionTimeoutMs;
      connectTimer = setTimeout(() => fail(new TransportFailure('connect-timeout', `connect timed out after ${ms} ms`)), ms);
    }
    req.on('socket', (socket) => {
      // A reused keep-alive socket is already connected and emits no 'connect'.
      if (!socket.connecting) clearTimeout(connectTimer);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    if (options.requestTimeoutMs !== undefined) {
      const ms = options.requestTimeoutMs;
      req.setTimeout(ms, () => fail(new TransportFailure('read-timeout', `no data for ${ms} ms`)));
    }
    req.on('error', (error: NodeJS.ErrnoException) => fail(failureFromError(error)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => fail(failureFromError(error)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        resolve({
          httpVersion: res.httpVersion,
          statusCode: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
        });
      });
    });
    req.end(request.body);
  });
}

function failureFromError(error: NodeJS.ErrnoException): TransportFailure {
  switch (error.code) {
    case 'ECONNREFUSED':
      return new TransportFailure('refused', error.message, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportFailure('unknown-host', error.message, { cause: error });
    default:
      return new TransportFailure('other', error.message, { cause: error });
  }
}
