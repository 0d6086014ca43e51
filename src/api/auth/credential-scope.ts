import { credentialMalformed, credentialServiceInvalid, credentialTerminatorInvalid } from '../../domain/ec2-errors.js';

/** Services a SigV4 scope may name on this endpoint: `ec2`, and `sts` for GetCallerIdentity. */
export const SIGV4_SERVICES = ['ec2', 'sts'] as const;

/** A service a SigV4 scope may name. */
export type SigV4Service = (typeof SIGV4_SERVICES)[number];

/** The parts of a SigV4 `Credential` (`<key>/<yyyymmdd>/<region>/<service>/aws4_request`). */
export interface CredentialScope {
  readonly accessKeyId: string;
  /** `yyyymmdd` as the client wrote it; checked against the request date when verifying. */
  readonly date: string;
  readonly region: string;
  readonly service: SigV4Service;
}

/** The fixed last element of every SigV4 credential scope (spec/auth.md §4.1). */
const TERMINATOR = 'aws4_request';

/**
 * Parses a `Credential` value (header or `X-Amz-Credential`). Throws `IncompleteSignature` unless it
 * has exactly 5 slash-delimited parts ending in `aws4_request` with service `ec2` or `sts`
 * (spec/auth.md §4.1; another service is IncompleteSignature, UNCONFIRMED §4.4).
 */
export function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw credentialMalformed(credential);
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== TERMINATOR) {
    throw credentialTerminatorInvalid(terminator);
  }
  if (!isSigV4Service(service)) {
    throw credentialServiceInvalid();
  }
  return { accessKeyId, date, region, service };
}

/** The scope line of the string to sign: `<yyyymmdd>/<region>/<service>/aws4_request` (spec/auth.md §4.3). */
export function formatCredentialScope(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/${TERMINATOR}`;
}

/** Reports whether `service` is one this endpoint answers for. */
function isSigV4Service(service: string): service is SigV4Service {
  return (SIGV4_SERVICES as readonly string[]).includes(service);
}
