import { SignatureV4 } from '@smithy/signature-v4';
import { sigV2Signature, sigV2StringToSign } from '../../src/api/auth/sigv2.js';
import type { AccountCredentials, StockadeEndpoint } from './stockade-process.js';
import { Sha256 } from './sha256.js';

/** A raw Query response. */
export interface RawResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}


/** Form-encodes parameters as botocore does (`+` for spaces is decoded identically). */
export function formBody(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/**
 * Sends one Query request signed with SigV4 (header form, via the AWS SDK's own signer) or SigV2
 * (as the legacy tools do). `Version` defaults to 2016-11-15 (SigV4) / 2011-12-15 (SigV2).
 */
export async function query(
  server: StockadeEndpoint,
  params: Record<string, string>,
  options: { credentials?: AccountCredentials; scheme?: 'sigv4' | 'sigv2'; region?: string; service?: string; rawBody?: string } = {},
): Promise<RawResponse> {
  const credentials = options.credentials ?? server.bootstrap;
  const scheme = options.scheme ?? 'sigv4';
  const host = `127.0.0.1:${server.port}`;
  if (scheme === 'sigv2') {
    const all: Record<string, string> = {
      Version: '2011-12-15',
      ...params,
      AWSAccessKeyId: credentials.accessKeyId,
      SignatureVersion: '2',
      SignatureMethod: 'HmacSHA256',
      Timestamp: new Date().toISOString(),
    };
    const sts = sigV2StringToSign('POST', host, '/', Object.entries(all));
    all.Signature = sigV2Signature(sts, credentials.secretAccessKey, 'HmacSHA256');
    return send(server, options.rawBody ?? formBody(all), {});
  }
  const body = options.rawBody ?? formBody({ Version: '2016-11-15', ...params });
  const signer = new SignatureV4({
    service: options.service ?? 'ec2',
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: server.port,
    path: '/',
    query: {},
    headers: { host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return send(server, body, signed.headers);
}

/** Sends a body with the given headers, unsigned beyond what they carry. */
export async function send(server: StockadeEndpoint, body: string | Buffer, headers: Record<string, string>): Promise<RawResponse> {
  const response = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body,
  });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** The `<Code>` of an error body, or undefined. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
}

/** The `<Message>` of an error body (XML entities decoded), or undefined. */
export function errorMessage(body: string): string | undefined {
  const raw = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  return raw?.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
