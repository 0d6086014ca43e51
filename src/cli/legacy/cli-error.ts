/**
 * The three kinds of failure a legacy command reports on stderr (spec/cli.md §2.3, §6). Each
 * carries the exact text to print; `error-rendering.ts` is the only code that prints them.
 */

/** A command-line mistake caught before the request that needs it is sent; one stderr line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * An EC2 error envelope returned by the endpoint. `httpStatus` selects the `Client.`/`Service.`
 * prefix (spec/errors.md §1.1). `code` is whatever the server sent, not only codes we know.
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, httpStatus: number, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/**
 * The endpoint could not be reached or answered something that is not EC2 XML. Printed as two
 * lines, `headline` then `detail`, like the Java tools' connection failures (spec/cli.md §2.3).
 */
export class ConnectionError extends Error {
  readonly headline: string;
  readonly detail: string;

  constructor(headline: string, detail: string, options?: { cause?: unknown }) {
    super(`${headline}\n${detail}`, options);
    this.name = 'ConnectionError';
    this.headline = headline;
    this.detail = detail;
  }
}
