import { ConnectionError, ServiceError, UsageError } from './cli-error.js';

/**
 * Returns the stderr text (newline-terminated) for a failed command. This is the only place that
 * writes the legacy `Client.<Code>: <Message>` (HTTP 4xx) / `Service.<Code>: <Message>` (5xx)
 * lines (spec/errors.md §1.1). With `--debug`, the stack trace follows, as the Java tools print
 * theirs; usage errors never get one. Errors of no known kind are our own bugs: they print as
 * `Unexpected error:` and the message, like the tools' last-resort handler (spec/cli.md §2.3).
 */
export function renderCliError(error: unknown, debug: boolean): string {
  const lines = [...errorLines(error)];
  if (debug && !(error instanceof UsageError) && error instanceof Error && error.stack !== undefined) {
    lines.push(error.stack);
  }
  return `${lines.join('\n')}\n`;
}

function errorLines(error: unknown): readonly string[] {
  if (error instanceof UsageError) return [error.message];
  if (error instanceof ServiceError) {
    const origin = error.httpStatus >= 500 ? 'Service' : 'Client';
    return [`${origin}.${error.code}: ${error.message}`];
  }
  if (error instanceof ConnectionError) return [error.headline, error.detail];
  return ['Unexpected error:', error instanceof Error ? error.message : String(error)];
}
