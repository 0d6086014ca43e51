import { ConnectionError, UsageError } from './cli-error.js';
import { optionDisplayName, type OptionSpec } from './option-spec.js';

/**
 * The only catalogue of messages the legacy commands write themselves (usage and connection
 * failures). Messages marked [observed-cli] are verbatim from spec/cli.md §2.3 and §3.2; the
 * others cover cases the spec does not quote and follow the same wording.
 */

/** `Required option '-O, --aws-access-key KEY' missing (-h for usage)` [observed-cli]. */
export function requiredOptionMissing(spec: OptionSpec): UsageError {
  return new UsageError(`Required option '${optionDisplayName(spec)}' missing (-h for usage)`);
}

/** `Required parameter 'GROUP' missing (-h for usage)` [observed-cli]. */
export function requiredParameterMissing(name: string): UsageError {
  return new UsageError(`Required parameter '${name}' missing (-h for usage)`);
}

/** `Unrecognized option: --bogus (use -h for usage)` [observed-cli]. */
export function unrecognizedOption(token: string): UsageError {
  return new UsageError(`Unrecognized option: ${token} (use -h for usage)`);
}

/** `Unexpected option '-p, --port-range PORT-RANGE' encountered (-h for usage)` [observed-cli]. */
export function unexpectedOption(spec: OptionSpec): UsageError {
  return new UsageError(`Unexpected option '${optionDisplayName(spec)}' encountered (-h for usage)`);
}

/** An option given without its value at the end of the line. UNCONFIRMED wording (spec/cli.md §2.3 quotes none). */
export function missingOptionArgument(spec: OptionSpec): UsageError {
  return new UsageError(`Missing argument for option '${optionDisplayName(spec)}' (-h for usage)`);
}

/** A positional argument the command does not take. UNCONFIRMED wording (spec/cli.md §2.3 quotes none). */
export function unexpectedParameter(value: string): UsageError {
  return new UsageError(`Unexpected parameter '${value}' encountered (-h for usage)`);
}

/** `Invalid argument for option '-t, --icmp-type-code TYPE:CODE': '<x>' (-h for usage)` [observed-cli]. */
export function invalidOptionArgument(spec: OptionSpec, value: string): UsageError {
  return new UsageError(`Invalid argument for option '${optionDisplayName(spec)}': '${value}' (-h for usage)`);
}

/** `Invalid range specified: '<x>' (use m-n)` [observed-cli]. */
export function invalidPortRange(value: string): UsageError {
  return new UsageError(`Invalid range specified: '${value}' (use m-n)`);
}

/** The non-VPC protocol refusal, with its two spaces before `Refer` [observed-cli]. */
export function nonVpcProtocolUnsupported(): UsageError {
  return new UsageError(
    'Non-VPC security groups support tcp, udp and icmp protocols only.  Refer to a VPC security group by ID only. (-h for usage)',
  );
}

/** `-s` together with `-o` [observed-cli]. */
export function sourcesConflict(): UsageError {
  return new UsageError('Specify either source groups or source CIDRs, not both. (-h for usage)');
}

/** `--dest-subnet` on an ingress command [observed-cli]. */
export function destSubnetWithIngress(): UsageError {
  return new UsageError('Specify --dest-subnet for egress requests only. (-h for usage)');
}

/** `--source-subnet` with `--egress`: the mirror of the dest-subnet message. UNCONFIRMED (spec/cli.md §3.2 quotes only the other). */
export function sourceSubnetWithEgress(): UsageError {
  return new UsageError('Specify --source-subnet for ingress requests only. (-h for usage)');
}

/** The endpoint refused the TCP connection [observed-cli]. */
export function connectionRefused(endpoint: string, origin: string, cause: unknown): ConnectionError {
  return new ConnectionError(`Unable to connect to host: '${endpoint}'`, `Connection to ${origin} refused`, { cause });
}

/** The connection was not established within `--connection-timeout`. UNCONFIRMED detail line. */
export function connectTimedOut(endpoint: string, origin: string, cause: unknown): ConnectionError {
  return new ConnectionError(`Unable to connect to host: '${endpoint}'`, `Connect to ${origin} timed out`, { cause });
}

/** The host name does not resolve [observed-cli]. */
export function unknownHost(endpoint: string, hostname: string, cause: unknown): ConnectionError {
  return new ConnectionError(
    `Unknown problem connecting to host: '${endpoint}'`,
    `Unable to execute HTTP request: ${hostname}: Name or service not known`,
    { cause },
  );
}

/** No response within `--request-timeout`. UNCONFIRMED detail line (Java's socket-timeout text). */
export function readTimedOut(endpoint: string, cause: unknown): ConnectionError {
  return new ConnectionError(`Unknown problem connecting to host: '${endpoint}'`, 'Read timed out', { cause });
}

/** Any other transport failure (reset, TLS, …). */
export function httpRequestFailed(endpoint: string, reason: string, cause: unknown): ConnectionError {
  return new ConnectionError(
    `Unknown problem connecting to host: '${endpoint}'`,
    `Unable to execute HTTP request: ${reason}`,
    { cause },
  );
}

/** An error status whose body is not the EC2 error envelope [observed-cli]. */
export function unreadableErrorResponse(endpoint: string, reason: string, cause: unknown): ConnectionError {
  return new ConnectionError(
    `Unknown problem connecting to host: '${endpoint}'`,
    `Unable to unmarshall error response (${reason})`,
    { cause },
  );
}

/** A success status whose body is not the XML the command needs. UNCONFIRMED wording, by analogy. */
export function unreadableResponse(endpoint: string, reason: string, cause: unknown): ConnectionError {
  return new ConnectionError(
    `Unknown problem connecting to host: '${endpoint}'`,
    `Unable to unmarshall response (${reason})`,
    { cause },
  );
}

/** The endpoint URL cannot be parsed or is not http(s) (spec/cli.md §2.3 prints `Unexpected error:` and a Java trace). */
export function malformedEndpointUrl(endpoint: string): ConnectionError {
  return new ConnectionError('Unexpected error:', `Invalid endpoint URL: '${endpoint}'`);
}
