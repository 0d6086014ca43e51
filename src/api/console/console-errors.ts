/**
 * The console's own refusals (issue 11), one catalogue like domain/ec2-errors.ts: code, HTTP
 * status and wording in one place. EC2's errors (Ec2Error) pass through the console unchanged.
 */
export class ConsoleError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, httpStatus: number, message: string) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** No session cookie, or one that is unknown, expired or signed out. */
export const signInRequired = (): ConsoleError =>
  new ConsoleError('ConsoleSignInRequired', 401, 'Sign in to the console: this call needs a session, and there is none (never signed in, expired or signed out).');

/** A state-changing call without its session's CSRF token, or with another. */
export const csrfTokenInvalid = (): ConsoleError =>
  new ConsoleError(
    'ConsoleCsrfTokenInvalid',
    403,
    "This call changes state and must carry its session's CSRF token in the X-CSRF-Token header; the token was missing or wrong.",
  );

/** A sign-in link that is unknown, expired or already used. */
export const consoleLinkInvalid = (): ConsoleError =>
  new ConsoleError('ConsoleLinkInvalid', 401, 'This console link is unknown, expired or already used; print a new one with `stockade console-link --account ID`.');

/** A POST whose body is not declared JSON: the console's calls send JSON only (a cross-site form cannot). */
export const jsonRequired = (): ConsoleError =>
  new ConsoleError('ConsoleJsonRequired', 415, 'Console calls that send a body send JSON (Content-Type: application/json).');

/** A body or parameter the console cannot use; `detail` says which and why. */
export const badConsoleRequest = (detail: string): ConsoleError => new ConsoleError('ConsoleBadRequest', 400, detail);

/** A region this server does not serve. */
export const unknownRegion = (region: string): ConsoleError => new ConsoleError('ConsoleUnknownRegion', 400, `This server does not serve the region ${JSON.stringify(region)}.`);
