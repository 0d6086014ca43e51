import type { CommandEnvironment } from './endpoint-config.js';
import type { CommandIo } from './legacy-command.js';
import type { HttpRequest, HttpResponse, QueryTransport } from './http-transport.js';

/**
 * A test transport: records every request and answers from a responder, so command tests can
 * assert the exact parameters sent without a server. Test-only (hence the `ForTest` names).
 */

/** A request as a test sees it: the form parameters decoded, in body order. */
export interface RecordedRequestForTest {
  readonly request: HttpRequest;
  readonly params: readonly (readonly [string, string])[];
  /** The `Action` parameter. */
  readonly action: string;
}

/** Decides the answer to one request; return an `HttpResponse` or throw a `TransportFailure`. */
export type ResponderForTest = (recorded: RecordedRequestForTest) => HttpResponse;

/** Returns a transport that records requests into `requests` and answers with `respond`. */
export function createRecordingTransportForTest(
  respond: ResponderForTest,
): QueryTransport & { readonly requests: RecordedRequestForTest[]; closed: boolean } {
  const requests: RecordedRequestForTest[] = [];
  const transport = {
    requests,
    closed: false,
    send: async (request: HttpRequest): Promise<HttpResponse> => {
      const params = [...new URLSearchParams(request.body.toString('utf8'))];
      const recorded = { request, params, action: params.find(([name]) => name === 'Action')?.[1] ?? '' };
      requests.push(recorded);
      return respond(recorded);
    },
    close: () => {
      transport.closed = true;
    },
  };
  return transport;
}

/** Returns an `HttpResponse` with `statusCode` and an XML `body`. */
export function xmlResponseForTest(statusCode: number, body: string): HttpResponse {
  return {
    httpVersion: '1.1',
    statusCode,
    statusMessage: statusCode === 200 ? 'OK' : statusCode >= 500 ? 'Internal Server Error' : 'Bad Request',
    rawHeaders: ['Content-Type', 'text/xml;charset=UTF-8'],
    body: Buffer.from(body, 'utf8'),
  };
}

/** Returns the EC2 error envelope (errors.md §1) for `code` and `message`. */
export function errorXmlForTest(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req-1</RequestID></Response>`;
}

/** Returns a minimal success body `<ActionResponse><return>true</return></ActionResponse>`. */
export function returnXmlForTest(action: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2013-02-01/"><requestId>req-1</requestId><return>true</return></${action}Response>`;
}

/** What one command run produced. */
export interface CommandRunForTest {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly requests: readonly RecordedRequestForTest[];
  /** Whether the transport was closed at the end of the run. */
  readonly closed: boolean;
}

/** Credentials and endpoint most command tests use. */
export const TEST_ENV_FOR_TEST: CommandEnvironment = {
  AWS_ACCESS_KEY: 'AKIDEXAMPLE',
  AWS_SECRET_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  EC2_URL: 'http://127.0.0.1:5001',
};

/**
 * Runs a command's `main` against a recording transport and collects its output. `respond`
 * defaults to `<return>true</return>` for every action.
 */
export async function runCommandForTest(
  main: (argv: readonly string[], env: CommandEnvironment, io: CommandIo) => Promise<number>,
  argv: readonly string[],
  options: {
    readonly env?: CommandEnvironment;
    readonly respond?: ResponderForTest;
    readonly stdin?: string;
    readonly now?: Date;
  } = {},
): Promise<CommandRunForTest> {
  const transport = createRecordingTransportForTest(
    options.respond ?? ((recorded) => xmlResponseForTest(200, returnXmlForTest(recorded.action))),
  );
  let stdout = '';
  let stderr = '';
  const status = await main(argv, options.env ?? TEST_ENV_FOR_TEST, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    createTransport: () => transport,
    now: () => options.now ?? new Date('2026-11-22T15:04:26.488Z'),
  });
  return { status, stdout, stderr, requests: transport.requests, closed: transport.closed };
}
