import { createHash, createHmac } from 'node:crypto';
import { queryPairsFromRawQuery, sigV4CanonicalQuery } from '../api/auth/canonical-query.js';
import { formatCredentialScope } from '../api/auth/credential-scope.js';
import { formatAmzDate } from '../api/auth/request-date.js';
import { sigV4CanonicalRequest } from '../api/auth/sigv4-canonical-request.js';
import { sigV4SigningKey } from '../api/auth/sigv4-signing-key.js';
import { SIGV4_ALGORITHM, sigV4StringToSign } from '../api/auth/sigv4-string-to-sign.js';

/** A host's access key, as `stockade hosts add --json` prints it. */
export interface HostCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const SIGNED_HEADERS = ['host', 'x-amz-content-sha256', 'x-amz-date'] as const;

/**
 * The headers that sign a host's request to Stockade with SigV4 in the Authorization header
 * (spec/auth.md §4), service `ec2`, built from the same canonical-request code the server
 * verifies with (itself proven against AWS's test suite and captured client requests).
 */
export function signHostRequest(
  method: string,
  url: URL,
  body: Buffer,
  credentials: HostCredentials,
  region: string,
  now: Date = new Date(),
): Record<string, string> {
  const amzDate = formatAmzDate(now);
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const headers = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const canonicalRequest = sigV4CanonicalRequest({
    method,
    path: url.pathname,
    canonicalQuery: sigV4CanonicalQuery(queryPairsFromRawQuery(url.search.replace(/^\?/, ''))),
    headers,
    signedHeaders: SIGNED_HEADERS,
    payloadHash,
  });
  const date = amzDate.slice(0, 8);
  const credentialScope = formatCredentialScope({ accessKeyId: credentials.accessKeyId, date, region, service: 'ec2' });
  const stringToSign = sigV4StringToSign(amzDate, credentialScope, canonicalRequest);
  const signature = createHmac('sha256', sigV4SigningKey(credentials.secretAccessKey, date, region, 'ec2')).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${SIGNED_HEADERS.join(';')}, Signature=${signature}`,
  };
}
