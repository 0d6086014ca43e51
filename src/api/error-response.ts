import { internalError, unavailable } from '../domain/ec2-errors.js';
import { StoreUnavailableError } from '../state/store.js';
import { isEc2Error } from '../domain/ec2-error.js';
import { errorXml } from './xml/response-envelope.js';
import { stsErrorXml } from './xml/sts-xml.js';

/** An HTTP answer ready to send. */
export interface QueryResponse {
  readonly status: number;
  /** Text, or encoded chunks to send in order. */
  readonly body: string | readonly Buffer[];
  /** The EC2 error code, for logs and metrics; undefined on success. */
  readonly errorCode?: string;
  /** The cause of an InternalError, for the log only; never sent. */
  readonly cause?: unknown;
}

/**
 * Turns anything thrown while handling a request into the EC2 error envelope (spec/errors.md §1).
 * An Ec2Error keeps its code, status and message; anything else becomes InternalError/500 and its
 * text is never echoed to the client (the caller logs `cause` with the request ID). A store that
 * cannot be reached (a shared engine restarting) is EC2's `Unavailable`/503, which every SDK retries.
 */
export function errorResponse(error: unknown, requestId: string): QueryResponse {
  if (isEc2Error(error)) return { status: error.httpStatus, body: errorXml(error.code, error.message, requestId), errorCode: error.code };
  if (error instanceof StoreUnavailableError) {
    const busy = unavailable();
    return { status: busy.httpStatus, body: errorXml(busy.code, busy.message, requestId), errorCode: busy.code, cause: error };
  }
  const internal = internalError();
  return { status: internal.httpStatus, body: errorXml(internal.code, internal.message, requestId), errorCode: internal.code, cause: error };
}

/**
 * The same failure as STS words it, for requests whose SigV4 scope names `sts`: STS's envelope,
 * and its own code for an access key it does not know (`InvalidClientTokenId`, where EC2 says
 * AuthFailure). Other codes (SignatureDoesNotMatch, IncompleteSignature, InvalidAction, …) are
 * shared by both services.
 */
export function stsErrorResponse(error: unknown, requestId: string): QueryResponse {
  const ec2 = errorResponse(error, requestId);
  const failure = isEc2Error(error) ? error : internalError();
  const [code, message] =
    failure.code === 'AuthFailure' ? ['InvalidClientTokenId', 'The security token included in the request is invalid.'] : [failure.code, failure.message];
  return { ...ec2, body: stsErrorXml(code, message, requestId, failure.httpStatus), errorCode: code };
}
