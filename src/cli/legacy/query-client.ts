import { sigV2Signature, sigV2StringToSign } from '../../api/auth/sigv2.js';
import { ServiceError } from './cli-error.js';
import {
  connectTimedOut,
  connectionRefused,
  httpRequestFailed,
  malformedEndpointUrl,
  readTimedOut,
  unknownHost,
  unreadableErrorResponse,
  unreadableResponse,
} from './cli-errors.js';
import type { EndpointConfig } from './endpoint-config.js';
import { TransportFailure, type HttpRequest, type HttpResponse, type QueryTransport } from './http-transport.js';
import { errorFromResponseBody, ResponseFormatError } from './response-xml.js';
import { log4jWireLine, requestWireBytes, responseWireBytes, wireMessages } from './wire-log.js';

/** Query parameters in sending order. */
export type QueryParams = readonly (readonly [string, string])[];

/** The API version the 1.6.7.1 tools send, although their docs describe 2011-12-15 (spec/cli.md §3). */
export const LEGACY_API_VERSION = '2013-02-01';

/** Identifies us to the server; starts like the real tools' agent string (spec/cli.md §3). */
export const LEGACY_USER_AGENT = 'ec2-api-tools 1.6.7.1 (Stockade)';

/**
 * Sends one EC2 Query API action and returns what `read` makes of the successful response body.
 * A `ResponseFormatError` from `read` becomes the tools' "Unable to unmarshall" `ConnectionError`.
 */
export type QueryCall = <T>(action: string, params: QueryParams, read: (body: string) => T) => Promise<T>;

/** What a Query client needs besides the endpoint. */
export interface QueryClientOptions {
  readonly config: EndpointConfig;
  readonly transport: QueryTransport;
  readonly now: () => Date;
  /** Receives one wire-log line per message when `-v` is given (spec/cli.md §2.2). */
  readonly wireLog: ((line: string) => void) | undefined;
}

/**
 * Returns a function that POSTs `Action`, `Version=2013-02-01`, the action's parameters and the
 * SigV2 authentication parameters (HmacSHA256, spec/auth.md §3) as a form body.
 *
 * The returned promise rejects with `ServiceError` for an EC2 error envelope and with
 * `ConnectionError` when the endpoint is unusable, unreachable or answers something else.
 */
export function createQueryCall(options: QueryClientOptions): QueryCall {
  return async <T>(action: string, actionParams: QueryParams, read: (body: string) => T): Promise<T> => {
    const url = endpointUrl(options.config.endpoint);
    const request = signedRequest(url, action, actionParams, options.config, options.now());
    logWire(options, '>>', requestWireBytes(request));
    const response = await sendRequest(options, request);
    logWire(options, '<<', responseWireBytes(response));
    const body = response.body.toString('utf8');
    if (response.statusCode >= 200 && response.statusCode < 300) {
      try {
        return read(body);
      } catch (error) {
        if (error instanceof ResponseFormatError) throw unreadableResponse(options.config.endpoint, error.message, error);
        throw error;
      }
    }
    try {
      const error = errorFromResponseBody(body);
      throw new ServiceError(error.code, response.statusCode, error.message);
    } catch (error) {
      if (error instanceof ResponseFormatError) {
        throw unreadableErrorResponse(options.config.endpoint, error.message, error);
      }
      throw error;
    }
  };
}

/**
 * Builds the signed POST for `action`. The string to sign uses the Host header value, which
 * carries the port whenever the URL names a non-default one (spec/auth.md §3.2: the tools' own
 * signature only verifies with `127.0.0.1:5001`); the body is form-encoded with `+` for spaces
 * while the signature uses `%20`, exactly as the tools do [observed-cli].
 */
export function signedRequest(
  url: URL,
  action: string,
  actionParams: QueryParams,
  config: EndpointConfig,
  now: Date,
): HttpRequest {
  const params: [string, string][] = [['Action', action], ['Version', LEGACY_API_VERSION], ...actionParams.map(([n, v]): [string, string] => [n, v])];
  params.push(['AWSAccessKeyId', config.accessKeyId]);
  if (config.securityToken !== undefined) params.push(['SecurityToken', config.securityToken]);
  params.push(['SignatureMethod', 'HmacSHA256'], ['SignatureVersion', '2'], ['Timestamp', now.toISOString()]);
  const host = url.host.toLowerCase();
  const path = url.pathname === '' ? '/' : url.pathname;
  const signature = sigV2Signature(sigV2StringToSign('POST', host, path, params), config.secretAccessKey, 'HmacSHA256');
  params.push(['Signature', signature]);
  const body = Buffer.from(new URLSearchParams(params).toString(), 'utf8');
  return {
    url,
    method: 'POST',
    headers: [
      ['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['Content-Length', String(body.length)],
      ['Host', host],
      ['Connection', 'Keep-Alive'],
      ['User-Agent', LEGACY_USER_AGENT],
    ],
    body,
  };
}

function endpointUrl(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw malformedEndpointUrl(endpoint);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw malformedEndpointUrl(endpoint);
  return url;
}

async function sendRequest(options: QueryClientOptions, request: HttpRequest): Promise<HttpResponse> {
  const endpoint = options.config.endpoint;
  try {
    return await options.transport.send(request);
  } catch (error) {
    if (!(error instanceof TransportFailure)) throw error;
    switch (error.kind) {
      case 'refused':
        throw connectionRefused(endpoint, request.url.origin, error);
      case 'connect-timeout':
        throw connectTimedOut(endpoint, request.url.origin, error);
      case 'unknown-host':
        throw unknownHost(endpoint, request.url.hostname, error);
      case 'read-timeout':
        throw readTimedOut(endpoint, error);
      case 'other':
        throw httpRequestFailed(endpoint, error.message, error);
      default: {
        const unhandled: never = error.kind;
        throw new Error(`unhandled transport failure ${String(unhandled)}`);
      }
    }
  }
}

function logWire(options: QueryClientOptions, direction: '>>' | '<<', bytes: Buffer): void {
  const wireLog = options.wireLog;
  if (wireLog === undefined) return;
  for (const message of wireMessages(direction, bytes)) wireLog(log4jWireLine(options.now(), message));
}
