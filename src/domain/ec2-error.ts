import type { Ec2ErrorCode } from './ec2-errors.js';

/**
 * An error the caller caused (or a condition EC2 reports by code), carrying the exact EC2 code,
 * HTTP status and message. Only `api/error-response.ts` turns it into XML and only `cli/` into
 * `Client.<Code>: <Message>` lines; everything else just throws it.
 */
export class Ec2Error extends Error {
  readonly code: Ec2ErrorCode;
  readonly httpStatus: number;

  constructor(code: Ec2ErrorCode, httpStatus: number, message: string) {
    super(message);
    this.name = 'Ec2Error';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** Reports whether `e` is an `Ec2Error`. */
export function isEc2Error(e: unknown): e is Ec2Error {
  return e instanceof Ec2Error;
}
