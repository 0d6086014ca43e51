import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, ServiceError, UsageError } from './cli-error.js';
import { renderCliError } from './error-rendering.js';

describe('renderCliError (spec/errors.md §1.1)', () => {
  const rows: { name: string; error: unknown; want: string }[] = [
    {
      name: '4xx is Client.',
      error: new ServiceError('InvalidPermission.Duplicate', 400, 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists'),
      want: 'Client.InvalidPermission.Duplicate: the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists\n',
    },
    { name: '401 is Client.', error: new ServiceError('AuthFailure', 401, 'AWS was not able to validate the provided access credentials'), want: 'Client.AuthFailure: AWS was not able to validate the provided access credentials\n' },
    { name: '503 is Service.', error: new ServiceError('RequestLimitExceeded', 503, 'Request limit exceeded.'), want: 'Service.RequestLimitExceeded: Request limit exceeded.\n' },
    { name: '500 is Service.', error: new ServiceError('InternalError', 500, 'An internal error has occurred'), want: 'Service.InternalError: An internal error has occurred\n' },
    { name: 'usage', error: new UsageError("Required parameter 'GROUP' missing (-h for usage)"), want: "Required parameter 'GROUP' missing (-h for usage)\n" },
    { name: 'connection: two lines', error: new ConnectionError('Unable to connect to host: \'x\'', 'Connection to x refused'), want: "Unable to connect to host: 'x'\nConnection to x refused\n" },
    { name: 'anything else', error: new TypeError('boom'), want: 'Unexpected error:\nboom\n' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(renderCliError(row.error, false), row.want));

  it('adds the stack with --debug, except for usage errors', () => {
    const error = new ServiceError('AuthFailure', 401, 'x');
    assert.ok(renderCliError(error, true).startsWith('Client.AuthFailure: x\nServiceError: x\n    at '));
    assert.equal(renderCliError(new UsageError('u'), true), 'u\n');
  });
});
