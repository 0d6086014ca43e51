import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { sigV2Signature, sigV2StringToSign } from '../../src/api/auth/sigv2.js';
import { errorCode, errorMessage, formBody, query, send, type RawResponse } from '../harness/query-client.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';
import { Sha256 } from '../harness/sha256.js';

// Exact EC2 error codes, HTTP statuses and messages over raw Query requests (spec/errors.md), one
// row per case. Every row is a request that must fail, so rows never change state and can run in
// any order against the fixture their describe block builds once.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const MISSING_PEER_2016 =
  'missing mandatory parameter: exactly one of remote-security-group, remote-ip-range, remote-ipv6-range, or prefix-list-id must be present';
const MISSING_PEER_2011 = 'Missing source specification: include source security group or CIDR information';

/** One failing request and the exact error it must get. `F` is the fixture its describe block builds. */
interface ErrorRow<F> {
  readonly name: string;
  readonly params: (f: F) => Record<string, string>;
  readonly code: string;
  /** 400 unless given (spec/errors.md §3). */
  readonly status?: number;
  /** The exact message, or a pattern where the spec leaves the wording UNCONFIRMED. */
  readonly message: string | RegExp | ((f: F) => string);
  /** SigV4 with Version 2016-11-15 unless `sigv2` (Version 2011-12-15, as the legacy tools sign). */
  readonly scheme?: 'sigv2';
}

/** `IpPermissions.<n>.<key>=<value>` for each entry of `fields`. */
function permission(n: number, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [`IpPermissions.${n}.${key}`, value]));
}

/** A SigV2 request (HmacSHA256) dated by `Timestamp` (or `Expires`), signed with the given secret. */
function sigV2Request(
  server: RunningStockade,
  params: Record<string, string>,
  credentials: AccountCredentials,
  date: Date,
  dateParameter: 'Timestamp' | 'Expires' = 'Timestamp',
): Promise<RawResponse> {
  const all: Record<string, string> = {
    Version: '2011-12-15',
    ...params,
    AWSAccessKeyId: credentials.accessKeyId,
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    [dateParameter]: date.toISOString(),
  };
  all.Signature = sigV2Signature(sigV2StringToSign('POST', `127.0.0.1:${server.port}`, '/', Object.entries(all)), credentials.secretAccessKey, 'HmacSHA256');
  return send(server, formBody(all), {});
}

/** The hash the SDK's SigV4 signer needs (as in test/harness/query-client.ts). */

/** A SigV4 (header) request signed by the AWS SDK's signer as if at `signingDate`. */
async function sigV4RequestAt(server: RunningStockade, params: Record<string, string>, signingDate: Date): Promise<RawResponse> {
  const body = formBody({ Version: '2016-11-15', ...params });
  const { accessKeyId, secretAccessKey } = server.bootstrap;
  const signer = new SignatureV4({ service: 'ec2', region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: server.port,
      path: '/',
      query: {},
      headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    { signingDate },
  );
  return send(server, body, signed.headers);
}

/** Asserts status, code and message of an error response. */
function assertError(response: RawResponse, expected: { status: number; code: string; message: string | RegExp }): void {
  const actual = { status: response.status, code: errorCode(response.body), message: errorMessage(response.body) };
  if (expected.message instanceof RegExp) {
    assert.deepEqual({ status: actual.status, code: actual.code }, { status: expected.status, code: expected.code }, response.body);
    assert.match(actual.message ?? '', expected.message);
  } else {
    assert.deepEqual(actual, expected, response.body);
  }
}

/** One test per row, each sending the row's request and asserting its exact error. */
function runRows<F>(rows: readonly ErrorRow<F>[], server: () => RunningStockade, fixture: () => F): void {
  for (const row of rows) {
    test(row.name, async () => {
      const f = fixture();
      const response = await query(server(), row.params(f), row.scheme === undefined ? {} : { scheme: row.scheme });
      const message = typeof row.message === 'function' ? row.message(f) : row.message;
      assertError(response, { status: row.status ?? 400, code: row.code, message });
    });
  }
}

/** The `<groupId>` of a CreateSecurityGroup response, after checking it succeeded. */
function createdGroupId(response: RawResponse): string {
  assert.equal(response.status, 200, response.body);
  const id = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(response.body)?.[1];
  assert.ok(id !== undefined, response.body);
  return id;
}

/** Sends a request that must succeed and returns its body. */
async function ok(server: RunningStockade, params: Record<string, string>, credentials?: AccountCredentials): Promise<string> {
  const response = await query(server, params, credentials === undefined ? {} : { credentials });
  assert.equal(response.status, 200, response.body);
  return response.body;
}

/** A success body without its request ID, for before/after comparisons. */
function withoutRequestId(body: string): string {
  return body.replace(/<requestId>[^<]*<\/requestId>/, '');
}

// ---------------------------------------------------------------------------------------------
// Authentication, protocol, envelope and precedence (a vpc-only account)

describe('authentication and protocol errors', () => {
  let server: RunningStockade;
  let groupId: string;
  before(async () => {
    server = await startStockade();
    groupId = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'web', GroupDescription: 'web tier' }));
  });
  after(() => server.stop());

  const describeGroups = { Action: 'DescribeSecurityGroups', Version: '2016-11-15' };
  const stranger: AccountCredentials = { accountId: '000000000000', accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'nobody' };
  const wrongSecret = (): AccountCredentials => ({ ...server.bootstrap, secretAccessKey: 'not-the-secret' });
  const hourAgo = (): Date => new Date(Date.now() - 60 * 60 * 1000);

  const rows: readonly { name: string; request: () => Promise<RawResponse>; status: number; code: string; message: string }[] = [
    // Authentication (spec/errors.md §3.1, spec/auth.md).
    { name: 'no credentials at all → 401 AuthFailure', request: () => send(server, formBody(describeGroups), {}), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },
    { name: 'SigV4 with an unknown access key → 401 AuthFailure', request: () => query(server, { Action: 'DescribeSecurityGroups' }, { credentials: stranger }), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },
    { name: 'SigV2 with an unknown access key → 401 AuthFailure', request: () => query(server, { Action: 'DescribeSecurityGroups' }, { credentials: stranger, scheme: 'sigv2' }), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },
    { name: 'SigV4 signed with the wrong secret → 403 SignatureDoesNotMatch', request: () => query(server, { Action: 'DescribeSecurityGroups' }, { credentials: wrongSecret() }), status: 403, code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH },
    { name: 'SigV2 signed with the wrong secret → 403 SignatureDoesNotMatch', request: () => query(server, { Action: 'DescribeSecurityGroups' }, { credentials: wrongSecret(), scheme: 'sigv2' }), status: 403, code: 'SignatureDoesNotMatch', message: SIGNATURE_MISMATCH },
    { name: 'SigV2 Timestamp an hour old → 400 RequestExpired', request: () => sigV2Request(server, { Action: 'DescribeSecurityGroups' }, server.bootstrap, hourAgo()), status: 400, code: 'RequestExpired', message: 'Request has expired.' },
    { name: 'SigV2 Timestamp an hour ahead → 400 RequestExpired', request: () => sigV2Request(server, { Action: 'DescribeSecurityGroups' }, server.bootstrap, new Date(Date.now() + 60 * 60 * 1000)), status: 400, code: 'RequestExpired', message: 'Request has expired.' },
    { name: 'SigV2 Expires in the past → 400 RequestExpired', request: () => sigV2Request(server, { Action: 'DescribeSecurityGroups' }, server.bootstrap, new Date(Date.now() - 60 * 1000), 'Expires'), status: 400, code: 'RequestExpired', message: 'Request has expired.' },
    // EC2 answers SigV4 clock skew with AuthFailure, not a skew code (spec/auth.md §4.4, field).
    { name: 'SigV4 X-Amz-Date an hour old → 401 AuthFailure', request: () => sigV4RequestAt(server, { Action: 'DescribeSecurityGroups' }, hourAgo()), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },
    // Precedence inside authentication: unknown key → expiry → signature (spec/errors.md §2 step 2).
    { name: 'old Timestamp and a wrong secret → RequestExpired first', request: () => sigV2Request(server, { Action: 'DescribeSecurityGroups' }, wrongSecret(), hourAgo()), status: 400, code: 'RequestExpired', message: 'Request has expired.' },
    { name: 'unknown key and an old Timestamp → AuthFailure first', request: () => sigV2Request(server, { Action: 'DescribeSecurityGroups' }, stranger, hourAgo()), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },
    // Authentication comes before the action check (spec/errors.md §2 steps 2–3).
    { name: 'no credentials and Action=Nope → AuthFailure', request: () => send(server, formBody({ Action: 'Nope', Version: '2016-11-15' }), {}), status: 401, code: 'AuthFailure', message: AUTH_FAILURE },

    // Protocol: action, version, parameter names and types (spec/errors.md §3.1, §2 step 3).
    { name: 'no Action → InvalidAction', request: () => query(server, {}, { rawBody: 'Version=2016-11-15' }), status: 400, code: 'InvalidAction', message: 'The action  is not valid for this web service.' },
    { name: 'no Version → MissingParameter Version', request: () => query(server, {}, { rawBody: 'Action=DescribeSecurityGroups' }), status: 400, code: 'MissingParameter', message: 'The request must contain the parameter Version' },
    // An undecodable body is refused before authentication (spec/errors.md §2 step 1, §3.1).
    { name: 'an undecodable body → 404 MalformedQueryString', request: () => send(server, 'Action=%ZZ&Version=2016-11-15', {}), status: 404, code: 'MalformedQueryString', message: 'The query string contains a syntax error.' },
    { name: 'Action=Nope → InvalidAction', request: () => query(server, { Action: 'Nope' }), status: 400, code: 'InvalidAction', message: 'The action Nope is not valid for this web service.' },
    { name: 'action names are case-sensitive → InvalidAction', request: () => query(server, { Action: 'describesecuritygroups' }), status: 400, code: 'InvalidAction', message: 'The action describesecuritygroups is not valid for this web service.' },
    { name: 'Version=2099-01-01 → NoSuchVersion', request: () => query(server, { Action: 'DescribeSecurityGroups', Version: '2099-01-01' }), status: 400, code: 'NoSuchVersion', message: 'The requested version (2099-01-01) of service AmazonEC2 does not exist' },
    { name: 'Action=Nope and an unknown Version → InvalidAction first', request: () => query(server, { Action: 'Nope', Version: '2099-01-01' }), status: 400, code: 'InvalidAction', message: 'The action Nope is not valid for this web service.' },
    { name: 'GroupNme=x → UnknownParameter', request: () => query(server, { Action: 'CreateSecurityGroup', GroupNme: 'x', GroupDescription: 'typo' }), status: 400, code: 'UnknownParameter', message: 'The parameter GroupNme is not recognized' },
    { name: 'parameter names are case-sensitive → UnknownParameter', request: () => query(server, { Action: 'DeleteSecurityGroup', groupId }), status: 400, code: 'UnknownParameter', message: 'The parameter groupId is not recognized' },
    { name: 'an unknown version and an unknown parameter → NoSuchVersion first', request: () => query(server, { Action: 'DescribeSecurityGroups', Version: '2099-01-01', Bogus: '1' }), status: 400, code: 'NoSuchVersion', message: 'The requested version (2099-01-01) of service AmazonEC2 does not exist' },
  ];
  for (const row of rows) {
    test(row.name, async () => assertError(await row.request(), { status: row.status, code: row.code, message: row.message }));
  }

  // Wording UNCONFIRMED (spec/auth.md §3.1): the code is spec'd, the message must name the parameter.
  test('SigV2 without SignatureVersion → IncompleteSignature', async () => {
    const body = formBody({ Action: 'DescribeSecurityGroups', Version: '2011-12-15', AWSAccessKeyId: server.bootstrap.accessKeyId, SignatureMethod: 'HmacSHA256', Timestamp: new Date().toISOString(), Signature: 'AAAA' });
    assertError(await send(server, body, {}), { status: 400, code: 'IncompleteSignature', message: /SignatureVersion/ });
  });

  // A non-integer port: the code is spec'd, the wording is UNCONFIRMED (spec/semantics.md §3.2).
  test('IpPermissions.1.FromPort=abc → InvalidParameterValue', async () => {
    const response = await query(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: groupId, ...permission(1, { IpProtocol: 'tcp', FromPort: 'abc', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) });
    assertError(response, { status: 400, code: 'InvalidParameterValue', message: /\babc\b.*FromPort|FromPort.*\babc\b/ });
  });

  // Precedence between the later steps (spec/errors.md §2).
  const precedence: readonly ErrorRow<{ groupId: string }>[] = [
    {
      name: 'an unknown parameter and a missing group → UnknownParameter (step 3 before 6)',
      params: () => ({ Action: 'DeleteSecurityGroup', GroupId: 'sg-0000000f', Bogus: '1' }),
      code: 'UnknownParameter',
      message: 'The parameter Bogus is not recognized',
    },
    {
      name: 'an unknown parameter inside a permission and a bad protocol → UnknownParameter',
      params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.groupId, ...permission(1, { IpProtocol: 'all', 'IpRanges.1.CidrIpp': '10.0.0.0/8' }) }),
      code: 'UnknownParameter',
      message: 'The parameter IpPermissions.1.IpRanges.1.CidrIpp is not recognized',
    },
    {
      name: 'a malformed group ID and a bad protocol → InvalidGroupId.Malformed (step 6 before 7)',
      params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: 'sg-xyz', ...permission(1, { IpProtocol: 'all', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }),
      code: 'InvalidGroupId.Malformed',
      message: 'Invalid id: "sg-xyz" (expecting "sg-...")',
    },
    {
      name: 'an unknown target group and a malformed CIDR → InvalidGroup.NotFound (step 6 before 7)',
      params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: 'sg-0000000f', ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0' }) }),
      code: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0000000f' does not exist",
    },
    {
      name: 'DryRun=true with an invalid rule → 412 DryRunOperation (step 4 before 6–9)',
      params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.groupId, DryRun: 'true', ...permission(1, { IpProtocol: 'all', 'IpRanges.1.CidrIp': '10.0.0.0' }) }),
      code: 'DryRunOperation',
      status: 412,
      message: 'Request would have succeeded, but DryRun flag is set.',
    },
    {
      name: 'DryRun=true with an unknown target group → 412 DryRunOperation',
      params: () => ({ Action: 'DeleteSecurityGroup', GroupId: 'sg-0000000f', DryRun: 'true' }),
      code: 'DryRunOperation',
      status: 412,
      message: 'Request would have succeeded, but DryRun flag is set.',
    },
    {
      name: 'DryRun=true without the required GroupDescription → 412 DryRunOperation (step 4 before 5)',
      params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'dry', DryRun: 'true' }),
      code: 'DryRunOperation',
      status: 412,
      message: 'Request would have succeeded, but DryRun flag is set.',
    },
    {
      name: 'DryRun=true and a non-integer port → InvalidParameterValue (types are step 3)',
      params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.groupId, DryRun: 'true', ...permission(1, { IpProtocol: 'tcp', FromPort: 'abc', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }),
      code: 'InvalidParameterValue',
      message: /\babc\b/,
    },
    {
      name: 'DryRun=true and an unknown parameter → UnknownParameter (step 3 before 4)',
      params: () => ({ Action: 'DescribeSecurityGroups', DryRun: 'true', Bogus: '1' }),
      code: 'UnknownParameter',
      message: 'The parameter Bogus is not recognized',
    },
    {
      name: 'a missing description and a bogus VpcId → MissingParameter (step 5 before 6)',
      params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'x', VpcId: 'vpc-0000000f' }),
      code: 'MissingParameter',
      message: 'The request must contain the parameter GroupDescription',
    },
    {
      name: 'a bad CIDR in permission 1 and a bad protocol in permission 2 → the CIDR error (index order)',
      params: (f) => ({
        Action: 'AuthorizeSecurityGroupIngress',
        GroupId: f.groupId,
        ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0' }),
        ...permission(2, { IpProtocol: 'all', 'IpRanges.1.CidrIp': '10.0.0.0/8' }),
      }),
      code: 'InvalidParameterValue',
      message: 'CIDR block 10.0.0.0 is malformed',
    },
    {
      name: 'an unknown peer group in permission 1 and a bad CIDR in permission 2 → the CIDR error (step 7 before 8)',
      params: (f) => ({
        Action: 'AuthorizeSecurityGroupIngress',
        GroupId: f.groupId,
        ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Groups.1.GroupId': 'sg-0000000f' }),
        ...permission(2, { IpProtocol: 'tcp', FromPort: '81', ToPort: '81', 'IpRanges.1.CidrIp': '10.0.0.0' }),
      }),
      code: 'InvalidParameterValue',
      message: 'CIDR block 10.0.0.0 is malformed',
    },
    {
      name: 'the same rule twice and an unknown peer group → InvalidGroup.NotFound (step 8 before 9)',
      params: (f) => ({
        Action: 'AuthorizeSecurityGroupIngress',
        GroupId: f.groupId,
        ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8', 'IpRanges.2.CidrIp': '10.0.0.0/8' }),
        ...permission(2, { IpProtocol: 'tcp', FromPort: '81', ToPort: '81', 'Groups.1.GroupId': 'sg-0000000f' }),
      }),
      code: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0000000f' does not exist",
    },
    {
      name: 'a duplicate of a stored rule and the same rule twice → the in-request error (step 9 order)',
      params: (f) => ({
        Action: 'AuthorizeSecurityGroupEgress',
        GroupId: f.groupId,
        ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }),
        ...permission(2, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8', 'IpRanges.2.CidrIp': '10.0.0.1/8' }),
      }),
      code: 'InvalidParameterValue',
      message: 'The same permission must not appear multiple times',
    },
  ];
  runRows(precedence, () => server, () => ({ groupId }));

  // The envelope (spec/errors.md §1) for a 400, a 401 and a 412, with quotes escaped.
  for (const [name, request, status] of [
    ['400 InvalidGroup.NotFound', () => query(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': 'sg-0000000f' }), 400],
    ['401 AuthFailure', () => send(server, formBody(describeGroups), {}), 401],
    ['412 DryRunOperation', () => query(server, { Action: 'DescribeSecurityGroups', DryRun: 'true' }), 412],
    ['400 InvalidPermission.Duplicate', () => query(server, { Action: 'AuthorizeSecurityGroupEgress', GroupId: groupId, ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), 400],
  ] as const) {
    test(`error envelope: ${name}`, async () => {
      const response = await request();
      assert.equal(response.status, status);
      assert.equal(response.headers.get('content-type'), 'text/xml;charset=UTF-8');
      const requestId = response.headers.get('x-amzn-requestid') ?? '';
      assert.match(requestId, UUID);
      const m = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>([^<]+)<\/Code><Message>([^<]*)<\/Message><\/Error><\/Errors><RequestID>([^<]+)<\/RequestID><\/Response>$/.exec(response.body);
      assert.ok(m !== null, `not the error envelope: ${response.body}`);
      assert.equal(m[1], name.split(' ')[1]);
      assert.equal(m[3], requestId);
      // Quotes inside messages are escaped (spec/errors.md §1); the raw text has none.
      assert.doesNotMatch(m[2] ?? '', /["']/);
    });
  }

  test('error envelope: InvalidPermission.Duplicate escapes its quotes exactly', async () => {
    const response = await query(server, { Action: 'AuthorizeSecurityGroupEgress', GroupId: groupId, ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) });
    assert.ok(
      response.body.includes('<Message>the specified rule &quot;peer: 0.0.0.0/0, ALL, ALLOW&quot; already exists</Message>'),
      response.body,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Semantic errors in a vpc-only account (spec/errors.md §3.2–3.4)

interface VpcOnlyFixture {
  readonly account: string;
  readonly defaultVpcId: string;
  readonly defaultGroupId: string;
  /** `web` in the default VPC; ingress tcp 80 from 10.5.0.1/16 (stored masked), protocol 50, udp 53, icmp 8/-1, tcp 443 from `app2`. */
  readonly web: string;
  /** `app2` in the default VPC (a group peer of `web`). */
  readonly app2: string;
  /** A non-default VPC 10.1.0.0/16 with `app` and `db`; `db` allows tcp 5432 from `app`. */
  readonly vpcId: string;
  readonly vpcDefaultGroupId: string;
  readonly app: string;
  readonly db: string;
  /** The ID of `app`'s default egress rule. */
  readonly appEgressRuleId: string;
  /** The ID of `web`'s udp 53 rule. */
  readonly webUdpRuleId: string;
}

const VPC_ONLY_ROWS: readonly ErrorRow<VpcOnlyFixture>[] = [
  // InvalidGroup.NotFound: by ID anywhere, by name in the default VPC (spec/errors.md §3.2, api.md §4).
  { name: 'Describe GroupId.1 unknown → InvalidGroup.NotFound', params: () => ({ Action: 'DescribeSecurityGroups', 'GroupId.1': 'sg-0000000f' }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  { name: 'Describe with one known and one unknown ID fails whole', params: (f) => ({ Action: 'DescribeSecurityGroups', 'GroupId.1': f.web, 'GroupId.2': 'sg-0000000f' }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  { name: 'Describe GroupName.1 unknown → … does not exist in default VPC', params: () => ({ Action: 'DescribeSecurityGroups', 'GroupName.1': 'nosuch' }), code: 'InvalidGroup.NotFound', message: (f) => `The security group 'nosuch' does not exist in default VPC '${f.defaultVpcId}'` },
  { name: 'Authorize by GroupName unknown → … does not exist in default VPC', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'nosuch', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidGroup.NotFound', message: (f) => `The security group 'nosuch' does not exist in default VPC '${f.defaultVpcId}'` },
  { name: 'a name that exists only in a non-default VPC is not found by name', params: () => ({ Action: 'DeleteSecurityGroup', GroupName: 'app' }), code: 'InvalidGroup.NotFound', message: (f) => `The security group 'app' does not exist in default VPC '${f.defaultVpcId}'` },
  { name: 'Delete GroupId unknown → InvalidGroup.NotFound', params: () => ({ Action: 'DeleteSecurityGroup', GroupId: 'sg-0000000f' }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  { name: 'Revoke egress GroupId unknown → InvalidGroup.NotFound', params: () => ({ Action: 'RevokeSecurityGroupEgress', GroupId: 'sg-0000000f', ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  { name: 'an unknown peer group → InvalidGroup.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupId': 'sg-0000000f' }) }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  // Issue 13 (field): the caller's group in another, unpeered VPC has its own sentence.
  { name: 'a peer group of another VPC → InvalidGroup.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.db, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupId': f.web }) }), code: 'InvalidGroup.NotFound', message: () => 'You have specified two resources that belong to different networks.' },
  { name: 'an unknown peer group by name → … does not exist in default VPC', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupName': 'nosuch' }) }), code: 'InvalidGroup.NotFound', message: (f) => `The security group 'nosuch' does not exist in default VPC '${f.defaultVpcId}'` },

  // InvalidGroupId.Malformed (spec/errors.md §3.2, semantics.md §11).
  { name: 'GroupId.1=bogus → InvalidGroupId.Malformed', params: () => ({ Action: 'DescribeSecurityGroups', 'GroupId.1': 'bogus' }), code: 'InvalidGroupId.Malformed', message: 'Invalid id: "bogus" (expecting "sg-...")' },
  { name: 'upper-case hex is malformed', params: () => ({ Action: 'DeleteSecurityGroup', GroupId: 'sg-ABCDEF12' }), code: 'InvalidGroupId.Malformed', message: 'Invalid id: "sg-ABCDEF12" (expecting "sg-...")' },
  { name: 'an empty GroupId → The security-group ID \'\' is malformed', params: () => ({ Action: 'DeleteSecurityGroup', GroupId: '' }), code: 'InvalidGroupId.Malformed', message: "The security-group ID '' is malformed" },
  { name: 'a malformed peer group ID → InvalidGroupId.Malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupId': 'sg-zz' }) }), code: 'InvalidGroupId.Malformed', message: 'Invalid id: "sg-zz" (expecting "sg-...")' },
  { name: 'a malformed group-id filter of DescribeSecurityGroupRules → InvalidGroupId.Malformed', params: () => ({ Action: 'DescribeSecurityGroupRules', 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': 'web' }), code: 'InvalidGroupId.Malformed', message: "The security group ID 'web' is malformed" },

  // MissingParameter (spec/errors.md §3.4, api.md §4 step 1, §5.5).
  { name: 'CreateSecurityGroup without GroupDescription', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'nodesc' }), code: 'MissingParameter', message: 'The request must contain the parameter GroupDescription' },
  { name: 'Authorize egress without GroupId (what the legacy CLI sends for names)', params: () => ({ Action: 'AuthorizeSecurityGroupEgress', ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'MissingParameter', message: 'The request must contain the parameter groupId' },
  { name: 'Revoke egress without GroupId', params: () => ({ Action: 'RevokeSecurityGroupEgress', ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'MissingParameter', message: 'The request must contain the parameter groupId' },
  { name: 'ModifySecurityGroupRules without GroupId', params: (f) => ({ Action: 'ModifySecurityGroupRules', 'SecurityGroupRule.1.SecurityGroupRuleId': f.appEgressRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': '-1', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '0.0.0.0/0' }), code: 'MissingParameter', message: 'The request must contain the parameter groupId' },
  { name: 'Authorize ingress with neither GroupId nor GroupName', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'MissingParameter', message: 'The request must contain the parameter groupName or groupId' },
  { name: 'a group pair with neither GroupId nor GroupName → Source group ID missing.', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.UserId': f.account }) }), code: 'MissingParameter', message: 'Source group ID missing.' },

  // InvalidGroup.Duplicate in a VPC; `default` there is a duplicate too (spec/semantics.md §5).
  { name: 'create `web` again → already exists for VPC', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'web', GroupDescription: 'again' }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'web' already exists for VPC '${f.defaultVpcId}'` },
  { name: 'create `app` again in its VPC → already exists for that VPC', params: (f) => ({ Action: 'CreateSecurityGroup', GroupName: 'app', GroupDescription: 'again', VpcId: f.vpcId }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'app' already exists for VPC '${f.vpcId}'` },
  { name: 'create `default` in the default VPC → InvalidGroup.Duplicate', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'default', GroupDescription: 'mine' }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'default' already exists for VPC '${f.defaultVpcId}'` },

  { name: 'names are unique case-insensitively: WEB → duplicate', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'WEB', GroupDescription: 'again' }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'WEB' already exists for VPC '${f.defaultVpcId}'` },
  { name: 'trailing spaces are trimmed: "web  " → duplicate of web', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'web  ', GroupDescription: 'again' }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'web' already exists for VPC '${f.defaultVpcId}'` },

  // Group names and VPC IDs at creation (spec/api.md §5.1, errors.md §3.3).
  { name: 'GroupName sg-123 → Group names may not be in the format sg-*', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'sg-123', GroupDescription: 'looks like an id' }), code: 'InvalidParameterValue', message: 'Value (sg-123) for parameter GroupName is invalid. Group names may not be in the format sg-*.' },
  { name: 'VpcId aws_vpc.x.id → InvalidVpcID.NotFound (not Malformed)', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'tf', GroupDescription: 'terraform', VpcId: 'aws_vpc.x.id' }), code: 'InvalidVpcID.NotFound', message: "The vpc ID 'aws_vpc.x.id' does not exist" },
  { name: 'a well-formed unknown VpcId → InvalidVpcID.NotFound', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'tf', GroupDescription: 'terraform', VpcId: 'vpc-0000000f' }), code: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-0000000f' does not exist" },

  // Deleting defaults and referenced groups (spec/semantics.md §6.2, §7).
  { name: 'delete the default VPC default group by ID → CannotDelete', params: (f) => ({ Action: 'DeleteSecurityGroup', GroupId: f.defaultGroupId }), code: 'CannotDelete', message: (f) => `the specified group: "${f.defaultGroupId}" name: "default" cannot be deleted by a user` },
  { name: 'delete `default` by name → CannotDelete', params: () => ({ Action: 'DeleteSecurityGroup', GroupName: 'default' }), code: 'CannotDelete', message: (f) => `the specified group: "${f.defaultGroupId}" name: "default" cannot be deleted by a user` },
  { name: 'delete a non-default VPC default group → CannotDelete', params: (f) => ({ Action: 'DeleteSecurityGroup', GroupId: f.vpcDefaultGroupId }), code: 'CannotDelete', message: (f) => `the specified group: "${f.vpcDefaultGroupId}" name: "default" cannot be deleted by a user` },
  { name: 'delete a group another group references → DependencyViolation', params: (f) => ({ Action: 'DeleteSecurityGroup', GroupId: f.app }), code: 'DependencyViolation', message: (f) => `resource ${f.app} has a dependent object` },
  { name: 'delete a referenced default-VPC group by name → DependencyViolation', params: () => ({ Action: 'DeleteSecurityGroup', GroupName: 'app2' }), code: 'DependencyViolation', message: (f) => `resource ${f.app2} has a dependent object` },

  // Protocols in a VPC (spec/semantics.md §3.1).
  { name: 'IpProtocol all → Unknown protocol', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'all', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: "Invalid value 'all' for IP protocol. Unknown protocol." },
  { name: 'IpProtocol gre → Unknown protocol', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'gre', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: "Invalid value 'gre' for IP protocol. Unknown protocol." },
  { name: 'a VPC rule without protocol', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly." },
  { name: 'a VPC egress rule without protocol', params: (f) => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: f.app, ...permission(1, { FromPort: '22', ToPort: '22', 'Groups.1.GroupId': f.db }) }), code: 'InvalidParameterValue', message: "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly." },

  // Ports and ICMP type/code (spec/semantics.md §3.2).
  { name: 'tcp without ports → TCP/UDP port (-1) out of range', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'TCP/UDP port (-1) out of range' },
  { name: 'udp ToPort 65536 → TCP/UDP port (65536) out of range', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'udp', FromPort: '53', ToPort: '65536', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'TCP/UDP port (65536) out of range' },
  { name: 'icmp without type/code', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'icmp', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'Invalid value for portRange. Must specify both from and to ports with ICMP.' },
  { name: 'icmp code 65535 → ICMP code (65535) out of range', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'icmp', FromPort: '8', ToPort: '65535', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'ICMP code (65535) out of range' },
  { name: 'icmp type 300 → ICMP type (300) out of range', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'icmp', FromPort: '300', ToPort: '0', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'ICMP type (300) out of range' },

  // Peers (spec/semantics.md §4).
  { name: 'CidrIp 10.0.0.0 without a prefix → CIDR block 10.0.0.0 is malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0' }) }), code: 'InvalidParameterValue', message: 'CIDR block 10.0.0.0 is malformed' },
  { name: 'CidrIp ::/0 → CIDR block ::/0 is malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '::/0' }) }), code: 'InvalidParameterValue', message: 'CIDR block ::/0 is malformed' },
  { name: 'CidrIp 10.0.0.256/8 → malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.256/8' }) }), code: 'InvalidParameterValue', message: 'CIDR block 10.0.0.256/8 is malformed' },
  { name: 'CidrIp 10.0.0.0/33 → malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/33' }) }), code: 'InvalidParameterValue', message: 'CIDR block 10.0.0.0/33 is malformed' },
  { name: 'CidrIpv6 2001:db8::/129 → malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Ipv6Ranges.1.CidrIpv6': '2001:db8::/129' }) }), code: 'InvalidParameterValue', message: 'CIDR block 2001:db8::/129 is malformed' },
  { name: 'a permission with no peer (2016-11-15 wording)', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22' }) }), code: 'InvalidParameterValue', message: MISSING_PEER_2016 },
  { name: 'a permission with no peer (2011-12-15 → MissingParameter wording)', scheme: 'sigv2', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22' }) }), code: 'MissingParameter', message: MISSING_PEER_2011 },
  { name: 'a peer referenced by name outside the default VPC → You may not reference Amazon VPC security groups by name', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.db, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupName': 'app' }) }), code: 'InvalidParameterValue', message: "Invalid value 'app' for groupName. You may not reference Amazon VPC security groups by name. Please use the corresponding id for this operation." },
  { name: 'a prefix list that does not exist → InvalidPrefixListId.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'PrefixListIds.1.PrefixListId': 'pl-0123456789abcdef0' }) }), code: 'InvalidPrefixListId.NotFound', message: "The prefix list ID 'pl-0123456789abcdef0' does not exist" },

  { name: 'a malformed UserId in a group pair → InvalidUserID.Malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupId': f.app2, 'Groups.1.UserId': '12345' }) }), code: 'InvalidUserID.Malformed', message: 'Invalid user ID: "12345"' },
  { name: 'tcp FromPort > ToPort → Invalid TCP/UDP port range.', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '30', ToPort: '20', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'Invalid TCP/UDP port range.' },
  { name: 'list index 0 → InvalidParameterValue', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(0, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: /IpPermissions\.0\b/ },

  // The flat (legacy) form (spec/api.md §5.4).
  { name: 'CidrIp together with IpPermissions → InvalidParameterCombination', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, CidrIp: '10.0.0.0/8', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterCombination', message: "The parameter 'cidrIp' cannot be used with the parameter 'ipPermissions'" },
  { name: 'SourceSecurityGroupOwnerId alone → Source group ID missing.', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, SourceSecurityGroupOwnerId: f.account }), code: 'MissingParameter', message: 'Source group ID missing.' },
  { name: 'flat CidrIp without a prefix → CIDR block … is malformed', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, IpProtocol: 'tcp', FromPort: '22', ToPort: '22', CidrIp: '10.0.0.0' }), code: 'InvalidParameterValue', message: 'CIDR block 10.0.0.0 is malformed' },

  // The same atomic rule twice in one request (spec/semantics.md §2.3): spelled differently too.
  { name: 'the same CIDR twice in one permission', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8', 'IpRanges.2.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'The same permission must not appear multiple times' },
  { name: 'the same rule in two permissions (6 vs tcp, host bits)', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }), ...permission(2, { IpProtocol: '6', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.9.9.9/8' }) }), code: 'InvalidParameterValue', message: 'The same permission must not appear multiple times' },

  // InvalidPermission.Duplicate against stored rules: the message names the canonical rule (errors.md §3.2).
  { name: 'a CIDR with host bits, re-added masked → duplicate naming the masked CIDR', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.5.0.0/16' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.5.0.0/16, TCP, from port: 80, to port: 80, ALLOW" already exists' },
  { name: 'the host-bits spelling again, with protocol 6 and a description → the same duplicate', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: '6', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.5.7.7/16', 'IpRanges.1.Description': 'other text' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.5.0.0/16, TCP, from port: 80, to port: 80, ALLOW" already exists' },
  { name: 'udp duplicate → UDP', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'UDP', FromPort: '53', ToPort: '53', 'IpRanges.1.CidrIp': '10.53.0.0/16' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.53.0.0/16, UDP, from port: 53, to port: 53, ALLOW" already exists' },
  { name: '-1 duplicate (default egress) → peer: X, ALL, ALLOW', params: (f) => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: f.web, ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists' },
  { name: '-1 duplicate with ports (ignored) → still peer: X, ALL, ALLOW', params: (f) => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: f.web, ...permission(1, { IpProtocol: '-1', FromPort: '8080', ToPort: '8080', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 0.0.0.0/0, ALL, ALLOW" already exists' },
  { name: '-1 self-reference of the default group → peer: sg-…, ALL, ALLOW', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.defaultGroupId, ...permission(1, { IpProtocol: '-1', 'Groups.1.GroupId': f.defaultGroupId }) }), code: 'InvalidPermission.Duplicate', message: (f) => `the specified rule "peer: ${f.defaultGroupId}, ALL, ALLOW" already exists` },
  { name: 'protocol 50 duplicate with different ports → peer: X, protocol: 50, ALLOW', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: '50', FromPort: '1', ToPort: '2', 'IpRanges.1.CidrIp': '10.50.0.0/16' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.50.0.0/16, protocol: 50, ALLOW" already exists' },
  { name: 'group peer duplicate → peer: sg-…', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '443', ToPort: '443', 'Groups.1.GroupId': f.app2 }) }), code: 'InvalidPermission.Duplicate', message: (f) => `the specified rule "peer: ${f.app2}, TCP, from port: 443, to port: 443, ALLOW" already exists` },
  { name: 'group peer duplicate given by name → peer: sg-…', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'web', ...permission(1, { IpProtocol: 'tcp', FromPort: '443', ToPort: '443', 'Groups.1.GroupName': 'app2' }) }), code: 'InvalidPermission.Duplicate', message: (f) => `the specified rule "peer: ${f.app2}, TCP, from port: 443, to port: 443, ALLOW" already exists` },
  { name: 'icmp duplicate → the suggested ICMP form', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: '1', FromPort: '8', ToPort: '-1', 'IpRanges.1.CidrIp': '10.8.0.0/16' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.8.0.0/16, ICMP, type: 8, code: -1, ALLOW" already exists' },
  { name: 'one new and one duplicate permission → the duplicate (nothing added)', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '9000', ToPort: '9000', 'IpRanges.1.CidrIp': '10.90.0.0/16' }), ...permission(2, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.5.0.0/16' }) }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.5.0.0/16, TCP, from port: 80, to port: 80, ALLOW" already exists' },

  // Revoke (spec/api.md §5.6, §5.7).
  { name: 'revoke an unknown rule in a non-default VPC → InvalidPermission.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupIngress', GroupId: f.db, ...permission(1, { IpProtocol: 'tcp', FromPort: '1', ToPort: '1', 'IpRanges.1.CidrIp': '1.2.3.4/32' }) }), code: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.' },
  { name: 'revoke one known and one unknown rule in a non-default VPC → InvalidPermission.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupIngress', GroupId: f.db, ...permission(1, { IpProtocol: 'tcp', FromPort: '5432', ToPort: '5432', 'Groups.1.GroupId': f.app }), ...permission(2, { IpProtocol: 'tcp', FromPort: '1', ToPort: '1', 'IpRanges.1.CidrIp': '1.2.3.4/32' }) }), code: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.' },
  { name: 'revoke egress a narrower port range in a non-default VPC → InvalidPermission.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupEgress', GroupId: f.app, ...permission(1, { IpProtocol: 'tcp', FromPort: '0', ToPort: '65535', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.' },
  { name: 'revoke with a malformed CIDR is still an error', params: (f) => ({ Action: 'RevokeSecurityGroupIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0' }) }), code: 'InvalidParameterValue', message: 'CIDR block 10.0.0.0 is malformed' },
  { name: 'revoke egress on a default-VPC group with protocol all → Unknown protocol', params: (f) => ({ Action: 'RevokeSecurityGroupEgress', GroupId: f.web, ...permission(1, { IpProtocol: 'all', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidParameterValue', message: "Invalid value 'all' for IP protocol. Unknown protocol." },

  // Rule IDs (spec/errors.md §3.2, api.md §5.6, §5.8).
  { name: 'DescribeSecurityGroupRules rule-1 → InvalidSecurityGroupRuleId.Malformed', params: () => ({ Action: 'DescribeSecurityGroupRules', 'SecurityGroupRuleId.1': 'rule-1' }), code: 'InvalidSecurityGroupRuleId.Malformed', message: 'Invalid id: "rule-1" (expecting "sgr-...")' },
  { name: 'DescribeSecurityGroupRules unknown sgr- → InvalidSecurityGroupRuleId.NotFound', params: () => ({ Action: 'DescribeSecurityGroupRules', 'SecurityGroupRuleId.1': 'sgr-0000000000000000f' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" },
  { name: 'revoke ingress by an unknown rule ID → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupIngress', GroupId: f.app, 'SecurityGroupRuleId.1': 'sgr-0000000000000000f' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" },
  { name: 'revoke ingress by an egress rule ID → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupIngress', GroupId: f.app, 'SecurityGroupRuleId.1': f.appEgressRuleId }), code: 'InvalidSecurityGroupRuleId.NotFound', message: (f) => `The security group rule ID '${f.appEgressRuleId}' does not exist` },
  { name: 'revoke egress by a rule ID of another group → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'RevokeSecurityGroupEgress', GroupId: f.db, 'SecurityGroupRuleId.1': f.appEgressRuleId }), code: 'InvalidSecurityGroupRuleId.NotFound', message: (f) => `The security group rule ID '${f.appEgressRuleId}' does not exist` },
  { name: 'revoke egress by a malformed rule ID → InvalidSecurityGroupRuleId.Malformed', params: (f) => ({ Action: 'RevokeSecurityGroupEgress', GroupId: f.app, 'SecurityGroupRuleId.1': 'sg-1234' }), code: 'InvalidSecurityGroupRuleId.Malformed', message: 'Invalid id: "sg-1234" (expecting "sgr-...")' },

  // ModifySecurityGroupRules (spec/api.md §5.9).
  { name: 'Modify an unknown rule ID → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': 'sgr-0000000000000000f', 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': 'tcp', 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '1', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '1', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '10.0.0.0/8' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" },
  { name: 'Modify a rule of another group → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': f.appEgressRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': '-1', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '10.0.0.0/8' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: (f) => `The security group rule ID '${f.appEgressRuleId}' does not exist` },
  { name: 'Modify to -1 with ports → You may not specify all protocols and specific ports', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.app, 'SecurityGroupRule.1.SecurityGroupRuleId': f.appEgressRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': '-1', 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '80', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '80', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '0.0.0.0/0' }), code: 'InvalidParameterValue', message: 'You may not specify all protocols and specific ports. Please specify each protocol and port range combination individually, or all protocols and no port range.' },
  { name: 'Modify with two peers → InvalidParameterCombination', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': f.webUdpRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': 'udp', 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '53', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '53', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '10.53.0.0/16', 'SecurityGroupRule.1.SecurityGroupRule.ReferencedGroupId': f.app2 }), code: 'InvalidParameterCombination', message: 'Only one of cidrIp, cidrIpv6, prefixListId, or referencedGroupId can be specified' },
  // spec/api.md §5.9: "Exactly one peer field (none → MissingParameter …)"; the wording is not given.
  { name: 'Modify with no peer → MissingParameter', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': f.webUdpRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': 'udp', 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '53', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '53' }), code: 'MissingParameter', message: /./ },
  { name: 'Modify without protocol → VPC rules must specify protocols', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': f.webUdpRuleId, 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '53', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '53', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '10.53.0.0/16' }), code: 'InvalidParameterValue', message: "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly." },
  { name: 'Modify into a copy of another rule → InvalidPermission.Duplicate', params: (f) => ({ Action: 'ModifySecurityGroupRules', GroupId: f.web, 'SecurityGroupRule.1.SecurityGroupRuleId': f.webUdpRuleId, 'SecurityGroupRule.1.SecurityGroupRule.IpProtocol': 'tcp', 'SecurityGroupRule.1.SecurityGroupRule.FromPort': '80', 'SecurityGroupRule.1.SecurityGroupRule.ToPort': '80', 'SecurityGroupRule.1.SecurityGroupRule.CidrIpv4': '10.5.0.0/16' }), code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.5.0.0/16, TCP, from port: 80, to port: 80, ALLOW" already exists' },

  // UpdateSecurityGroupRuleDescriptions* (spec/api.md §5.10).
  { name: 'update the description of an unknown rule → InvalidPermission.NotFound', params: (f) => ({ Action: 'UpdateSecurityGroupRuleDescriptionsIngress', GroupId: f.web, ...permission(1, { IpProtocol: 'tcp', FromPort: '1', ToPort: '1', 'IpRanges.1.CidrIp': '10.0.0.0/8', 'IpRanges.1.Description': 'x' }) }), code: 'InvalidPermission.NotFound', message: 'The specified rule does not exist in this security group.' },
  { name: 'update the description of an unknown rule ID → InvalidSecurityGroupRuleId.NotFound', params: (f) => ({ Action: 'UpdateSecurityGroupRuleDescriptionsEgress', GroupId: f.app, 'SecurityGroupRuleDescription.1.SecurityGroupRuleId': 'sgr-0000000000000000f', 'SecurityGroupRuleDescription.1.Description': 'x' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" },

  // Tags (spec/api.md §5.12).
  { name: 'CreateTags on an unknown group → InvalidGroup.NotFound', params: () => ({ Action: 'CreateTags', 'ResourceId.1': 'sg-0000000f', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' }), code: 'InvalidGroup.NotFound', message: "The security group 'sg-0000000f' does not exist" },
  { name: 'CreateTags on an unknown rule → InvalidSecurityGroupRuleId.NotFound', params: () => ({ Action: 'CreateTags', 'ResourceId.1': 'sgr-0000000000000000f', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' }), code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" },
  { name: 'CreateTags on an ami- ID → InvalidID', params: () => ({ Action: 'CreateTags', 'ResourceId.1': 'ami-12345678', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' }), code: 'InvalidID', message: "The ID 'ami-12345678' is not valid" },

  // Filters and pagination (spec/api.md §5.3).
  { name: 'an unknown filter name → The filter … is invalid', params: () => ({ Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'bogus', 'Filter.1.Value.1': 'x' }), code: 'InvalidParameterValue', message: "The filter 'bogus' is invalid" },
  { name: 'a garbled NextToken → InvalidPaginationToken', params: () => ({ Action: 'DescribeSecurityGroups', MaxResults: '5', NextToken: 'garbage' }), code: 'InvalidPaginationToken', message: 'Invalid pagination token' },

  // MaxResults (spec/api.md §5.3, errors.md §3.3).
  { name: 'DescribeSecurityGroups MaxResults 1', params: () => ({ Action: 'DescribeSecurityGroups', MaxResults: '1' }), code: 'InvalidParameterValue', message: 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.' },
  { name: 'DescribeSecurityGroups MaxResults 4', params: () => ({ Action: 'DescribeSecurityGroups', MaxResults: '4' }), code: 'InvalidParameterValue', message: 'Value ( 4 ) for parameter maxResults is invalid. Expecting a value greater than 5.' },
  { name: 'DescribeSecurityGroupRules MaxResults 1', params: () => ({ Action: 'DescribeSecurityGroupRules', MaxResults: '1' }), code: 'InvalidParameterValue', message: 'Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.' },

  // VPCs (spec/api.md §5.13).
  { name: 'CreateVpc 10.0.0.0/8 → InvalidVpc.Range', params: () => ({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/8' }), code: 'InvalidVpc.Range', message: "The CIDR '10.0.0.0/8' is invalid." },
  { name: 'CreateVpc 10.0.0.0/29 → InvalidVpc.Range', params: () => ({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/29' }), code: 'InvalidVpc.Range', message: "The CIDR '10.0.0.0/29' is invalid." },
  { name: 'DescribeVpcs an unknown VPC → InvalidVpcID.NotFound', params: () => ({ Action: 'DescribeVpcs', 'VpcId.1': 'vpc-0000000f' }), code: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-0000000f' does not exist" },
  { name: 'DeleteVpc vpcx → InvalidVpcID.Malformed', params: () => ({ Action: 'DeleteVpc', VpcId: 'vpcx' }), code: 'InvalidVpcID.Malformed', message: 'Invalid id: "vpcx" (expecting "vpc-...")' },
  { name: 'DeleteVpc with groups left → DependencyViolation', params: (f) => ({ Action: 'DeleteVpc', VpcId: f.vpcId }), code: 'DependencyViolation', message: (f) => `The vpc '${f.vpcId}' has dependencies and cannot be deleted.` },
  { name: 'CreateVpc banana → not a valid CIDR block', params: () => ({ Action: 'CreateVpc', CidrBlock: 'banana' }), code: 'InvalidParameterValue', message: 'Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.' },
];

describe('semantic errors, vpc-only account', () => {
  let server: RunningStockade;
  let fixture: VpcOnlyFixture;
  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'vpc-only' } });
    const attributes = await ok(server, { Action: 'DescribeAccountAttributes', 'AttributeName.1': 'default-vpc' });
    const defaultVpcId = /<attributeValue>(vpc-[0-9a-f]+)<\/attributeValue>/.exec(attributes)?.[1] ?? '';
    const defaults = await ok(server, { Action: 'DescribeSecurityGroups', 'GroupName.1': 'default' });
    const defaultGroupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(defaults)?.[1] ?? '';
    const web = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'web', GroupDescription: 'web tier' }));
    const app2 = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'app2', GroupDescription: 'peer of web' }));
    const webRules = await ok(server, {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: web,
      ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.5.0.1/16' }),
      ...permission(2, { IpProtocol: '50', 'IpRanges.1.CidrIp': '10.50.0.0/16' }),
      ...permission(3, { IpProtocol: 'udp', FromPort: '53', ToPort: '53', 'IpRanges.1.CidrIp': '10.53.0.0/16' }),
      ...permission(4, { IpProtocol: 'icmp', FromPort: '8', ToPort: '-1', 'IpRanges.1.CidrIp': '10.8.0.0/16' }),
      ...permission(5, { IpProtocol: 'tcp', FromPort: '443', ToPort: '443', 'Groups.1.GroupId': app2 }),
    });
    const vpc = await ok(server, { Action: 'CreateVpc', CidrBlock: '10.1.0.0/16' });
    const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(vpc)?.[1] ?? '';
    const vpcDefaults = await ok(server, { Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': vpcId, 'Filter.2.Name': 'group-name', 'Filter.2.Value.1': 'default' });
    const vpcDefaultGroupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(vpcDefaults)?.[1] ?? '';
    const app = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'app', GroupDescription: 'app tier', VpcId: vpcId }));
    const db = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'db', GroupDescription: 'db tier', VpcId: vpcId }));
    await ok(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: db, ...permission(1, { IpProtocol: 'tcp', FromPort: '5432', ToPort: '5432', 'Groups.1.GroupId': app }) });
    const appRules = await ok(server, { Action: 'DescribeSecurityGroupRules', 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': app });
    const appEgressRuleId = /<securityGroupRuleId>(sgr-[0-9a-f]+)<\/securityGroupRuleId>/.exec(appRules)?.[1] ?? '';
    // Rule items come back in request order (spec/api.md §5.4): the third is udp 53.
    const webUdpRuleId = [...webRules.matchAll(/<securityGroupRuleId>(sgr-[0-9a-f]+)<\/securityGroupRuleId>/g)][2]?.[1] ?? '';
    assert.ok(webRules.includes(`<securityGroupRuleId>${webUdpRuleId}</securityGroupRuleId><groupId>${web}</groupId><groupOwnerId>${server.bootstrap.accountId}</groupOwnerId><isEgress>false</isEgress><ipProtocol>udp</ipProtocol>`), webRules);
    fixture = { account: server.bootstrap.accountId, defaultVpcId, defaultGroupId, web, app2, vpcId, vpcDefaultGroupId, app, db, appEgressRuleId, webUdpRuleId };
    for (const [name, value] of Object.entries(fixture)) assert.match(value, /^(sg|vpc|sgr)-[0-9a-f]+$|^\d{12}$/, name);
  });
  after(() => server.stop());

  runRows(VPC_ONLY_ROWS, () => server, () => fixture);
});

// ---------------------------------------------------------------------------------------------
// Semantic errors in a classic account (spec/semantics.md §1: EC2-Classic plus non-default VPCs)

interface ClassicFixture {
  readonly classicDefaultId: string;
  /** Classic `websrv`: ingress tcp 22 from Classic `ref`. */
  readonly websrv: string;
  readonly ref: string;
  /** A VPC made with CreateVpc, holding `vpcweb`. */
  readonly vpcId: string;
  readonly vpcweb: string;
}

const CLASSIC_ROWS: readonly ErrorRow<ClassicFixture>[] = [
  // Lookups by name among Classic groups (spec/errors.md §3.2, api.md §4 step 3).
  { name: 'Describe GroupName.1 unknown → The security group \'x\' does not exist', params: () => ({ Action: 'DescribeSecurityGroups', 'GroupName.1': 'x' }), code: 'InvalidGroup.NotFound', message: "The security group 'x' does not exist" },
  { name: 'Authorize by an unknown GroupName (2011 SigV2)', scheme: 'sigv2', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'x', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidGroup.NotFound', message: "The security group 'x' does not exist" },
  { name: 'Delete by an unknown GroupName', params: () => ({ Action: 'DeleteSecurityGroup', GroupName: 'x' }), code: 'InvalidGroup.NotFound', message: "The security group 'x' does not exist" },
  { name: 'a VPC group named as the target → You may not reference Amazon VPC security groups by name', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'vpcweb', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: "Invalid value 'vpcweb' for groupName. You may not reference Amazon VPC security groups by name. Please use the corresponding id for this operation." },
  { name: 'a VPC group named as a peer of a VPC group → You may not reference … by name', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.vpcweb, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupName': 'vpcweb' }) }), code: 'InvalidParameterValue', message: "Invalid value 'vpcweb' for groupName. You may not reference Amazon VPC security groups by name. Please use the corresponding id for this operation." },

  { name: 'another account\'s unknown group by name and UserId → InvalidGroup.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Groups.1.GroupName': 'nosuch', 'Groups.1.UserId': '999988887777' }) }), code: 'InvalidGroup.NotFound', message: "The security group 'nosuch' does not exist" },
  { name: 'a Classic rule cannot reference a VPC group → InvalidGroup.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Groups.1.GroupId': f.vpcweb }) }), code: 'InvalidGroup.NotFound', message: (f) => `The security group '${f.vpcweb}' does not exist` },
  { name: 'a VPC rule cannot reference a Classic group → InvalidGroup.NotFound', params: (f) => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: f.vpcweb, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Groups.1.GroupId': f.websrv }) }), code: 'InvalidGroup.NotFound', message: (f) => `The security group '${f.websrv}' does not exist` },
  // IPv6 peers are VPC-only; the wording is UNCONFIRMED (spec/semantics.md §4.2).
  { name: 'an IPv6 peer on a Classic group → InvalidParameterValue', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Ipv6Ranges.1.CidrIpv6': '::/0' }) }), code: 'InvalidParameterValue', message: /VPC/ },

  // Duplicate and reserved names (spec/errors.md §3.2).
  { name: 'create websrv again → Classic duplicate wording', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'websrv', GroupDescription: 'again' }), code: 'InvalidGroup.Duplicate', message: "The security group 'websrv' already exists" },
  { name: 'create websrv again with SigV2 2011-12-15 → the same', scheme: 'sigv2', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'websrv', GroupDescription: 'again' }), code: 'InvalidGroup.Duplicate', message: "The security group 'websrv' already exists" },
  { name: 'create vpcweb again in its VPC → VPC duplicate wording', params: (f) => ({ Action: 'CreateSecurityGroup', GroupName: 'vpcweb', GroupDescription: 'again', VpcId: f.vpcId }), code: 'InvalidGroup.Duplicate', message: (f) => `The security group 'vpcweb' already exists for VPC '${f.vpcId}'` },
  { name: 'create `default` in Classic → InvalidGroup.Reserved', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'default', GroupDescription: 'mine' }), code: 'InvalidGroup.Reserved', message: "The security group 'default' is reserved" },
  { name: 'delete the Classic default by name → InvalidGroup.Reserved', params: () => ({ Action: 'DeleteSecurityGroup', GroupName: 'default' }), code: 'InvalidGroup.Reserved', message: "The security group 'default' is reserved" },
  { name: 'delete the Classic default by ID → InvalidGroup.Reserved', params: (f) => ({ Action: 'DeleteSecurityGroup', GroupId: f.classicDefaultId }), code: 'InvalidGroup.Reserved', message: "The security group 'default' is reserved" },
  { name: 'delete a Classic group another group references → InvalidGroup.InUse', params: (f) => ({ Action: 'DeleteSecurityGroup', GroupId: f.ref }), code: 'InvalidGroup.InUse', message: (f) => `Group ${f.ref} is used by security groups in other accounts.` },
  { name: 'GroupName sg-123 in Classic → Group names may not be in the format sg-*', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'sg-123', GroupDescription: 'looks like an id' }), code: 'InvalidParameterValue', message: 'Value (sg-123) for parameter GroupName is invalid. Group names may not be in the format sg-*.' },
  { name: 'no VpcId in a classic account still checks a given bogus one', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'tf', GroupDescription: 'terraform', VpcId: 'aws_vpc.x.id' }), code: 'InvalidVpcID.NotFound', message: "The vpc ID 'aws_vpc.x.id' does not exist" },

  // Classic protocols and ports (spec/semantics.md §3.1, §3.2).
  { name: 'Classic -1 → Unsupported IP protocol "-1" with two spaces', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'Unsupported IP protocol "-1"  - supported: [tcp, udp, icmp]' },
  { name: 'Classic -1 by name over SigV2 → the same', scheme: 'sigv2', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'websrv', ...permission(1, { IpProtocol: '-1', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), code: 'InvalidPermission.Malformed', message: 'Unsupported IP protocol "-1"  - supported: [tcp, udp, icmp]' },
  { name: 'Classic protocol 50 → Unsupported IP protocol "50"', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: '50', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'Unsupported IP protocol "50"  - supported: [tcp, udp, icmp]' },
  { name: 'Classic icmpv6 → Unsupported IP protocol "icmpv6"', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'icmpv6', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'Unsupported IP protocol "icmpv6"  - supported: [tcp, udp, icmp]' },
  { name: 'Classic tcp without ports → TCP/UDP port (-1) out of range', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'TCP/UDP port (-1) out of range' },
  { name: 'Classic tcp FromPort only over SigV2 → TCP/UDP port (-1) out of range', scheme: 'sigv2', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'websrv', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidPermission.Malformed', message: 'TCP/UDP port (-1) out of range' },
  { name: 'Classic permission with no peer (2011-12-15) → Missing source specification', scheme: 'sigv2', params: () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'websrv', ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22' }) }), code: 'MissingParameter', message: MISSING_PEER_2011 },
  { name: 'Classic permission with no peer (2016-11-15) → missing mandatory parameter', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22' }) }), code: 'InvalidParameterValue', message: MISSING_PEER_2016 },
  { name: 'Classic duplicate of a group rule → peer: sg-…', params: (f) => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupName': 'ref' }) }), code: 'InvalidPermission.Duplicate', message: (f) => `the specified rule "peer: ${f.ref}, TCP, from port: 22, to port: 22, ALLOW" already exists` },

  // Egress exists only for VPC groups (spec/api.md §5.5, §5.7).
  { name: 'Authorize egress on a Classic group → Only Amazon VPC security groups', params: (f) => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'Only Amazon VPC security groups may be used with this operation.' },
  { name: 'Revoke egress on a Classic group → Only Amazon VPC security groups', params: (f) => ({ Action: 'RevokeSecurityGroupEgress', GroupId: f.websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'InvalidParameterValue', message: 'Only Amazon VPC security groups may be used with this operation.' },
  { name: 'Authorize egress with no GroupId (legacy ec2-authorize --egress websrv)', scheme: 'sigv2', params: () => ({ Action: 'AuthorizeSecurityGroupEgress', ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'MissingParameter', message: 'The request must contain the parameter groupId' },
  { name: 'Revoke egress with no GroupId (legacy ec2-revoke --egress websrv)', scheme: 'sigv2', params: () => ({ Action: 'RevokeSecurityGroupEgress', ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), code: 'MissingParameter', message: 'The request must contain the parameter groupId' },
  { name: 'CreateSecurityGroup without description (2011 SigV2)', scheme: 'sigv2', params: () => ({ Action: 'CreateSecurityGroup', GroupName: 'nodesc' }), code: 'MissingParameter', message: 'The request must contain the parameter GroupDescription' },
];

describe('semantic errors, classic account', () => {
  let server: RunningStockade;
  let fixture: ClassicFixture;
  before(async () => {
    server = await startStockade({ env: { STOCKADE_BOOTSTRAP_PLATFORM: 'classic' } });
    const defaults = await ok(server, { Action: 'DescribeSecurityGroups', 'GroupName.1': 'default' });
    const classicDefaultId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(defaults)?.[1] ?? '';
    const websrv = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'websrv', GroupDescription: 'Web Servers' }));
    const ref = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'ref', GroupDescription: 'referenced' }));
    await ok(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: websrv, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'Groups.1.GroupId': ref }) });
    const vpc = await ok(server, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' });
    const vpcId = /<vpcId>(vpc-[0-9a-f]+)<\/vpcId>/.exec(vpc)?.[1] ?? '';
    const vpcweb = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'vpcweb', GroupDescription: 'VPC web', VpcId: vpcId }));
    fixture = { classicDefaultId, websrv, ref, vpcId, vpcweb };
    for (const [name, value] of Object.entries(fixture)) assert.match(value, /^(sg|vpc)-[0-9a-f]+$/, name);
  });
  after(() => server.stop());

  runRows(CLASSIC_ROWS, () => server, () => fixture);
});

// ---------------------------------------------------------------------------------------------
// Account isolation and all-or-nothing failures (spec/api.md §4, spec/errors.md §2)

describe('account isolation and failed requests', () => {
  let server: RunningStockade;
  let other: AccountCredentials;
  let groupA: string;
  let ruleA: string;
  before(async () => {
    server = await startStockade();
    other = await server.createAccount({ accountId: '444455556666', platform: 'vpc-only' });
    groupA = createdGroupId(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'private', GroupDescription: 'account A only' }));
    const rules = await ok(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: groupA, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) });
    ruleA = /<securityGroupRuleId>(sgr-[0-9a-f]+)<\/securityGroupRuleId>/.exec(rules)?.[1] ?? '';
    assert.match(ruleA, /^sgr-/);
  });
  after(() => server.stop());

  const notFound = (id: string) => ({ status: 400, code: 'InvalidGroup.NotFound', message: `The security group '${id}' does not exist` });
  const asOther: readonly [string, () => Record<string, string>, () => { status: number; code: string; message: string }][] = [
    ['describe', () => ({ Action: 'DescribeSecurityGroups', 'GroupId.1': groupA }), () => notFound(groupA)],
    ['authorize', () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupId: groupA, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), () => notFound(groupA)],
    ['authorize egress', () => ({ Action: 'AuthorizeSecurityGroupEgress', GroupId: groupA, ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'IpRanges.1.CidrIp': '0.0.0.0/0' }) }), () => notFound(groupA)],
    ['revoke', () => ({ Action: 'RevokeSecurityGroupIngress', GroupId: groupA, ...permission(1, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.0.0.0/8' }) }), () => notFound(groupA)],
    ['delete', () => ({ Action: 'DeleteSecurityGroup', GroupId: groupA }), () => notFound(groupA)],
    ['tag', () => ({ Action: 'CreateTags', 'ResourceId.1': groupA, 'Tag.1.Key': 'owner', 'Tag.1.Value': 'B' }), () => notFound(groupA)],
    ['describe A\'s rule by ID', () => ({ Action: 'DescribeSecurityGroupRules', 'SecurityGroupRuleId.1': ruleA }), () => ({ status: 400, code: 'InvalidSecurityGroupRuleId.NotFound', message: `The security group rule ID '${ruleA}' does not exist` })],
    ['use A\'s group as a peer', () => ({ Action: 'AuthorizeSecurityGroupIngress', GroupName: 'default', ...permission(1, { IpProtocol: 'tcp', FromPort: '80', ToPort: '80', 'Groups.1.GroupId': groupA }) }), () => notFound(groupA)],
  ];
  for (const [name, params, expected] of asOther) {
    test(`account B cannot ${name} account A's group`, async () => {
      assertError(await query(server, params(), { credentials: other }), expected());
    });
  }

  test("account B's group list does not show A's group, and A's group is unchanged", async () => {
    const before = await ok(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': groupA });
    const theirs = await ok(server, { Action: 'DescribeSecurityGroups' }, other);
    assert.ok(!theirs.includes(groupA), theirs);
    assert.ok(!theirs.includes(server.bootstrap.accountId), theirs);
    await query(server, { Action: 'DeleteSecurityGroup', GroupId: groupA }, { credentials: other });
    assert.equal(withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': groupA })), withoutRequestId(before));
  });

  test('a failed authorize changes nothing (one good permission, one duplicate)', async () => {
    const before = withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroupRules', 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': groupA }));
    const response = await query(server, {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: groupA,
      ...permission(1, { IpProtocol: 'tcp', FromPort: '443', ToPort: '443', 'IpRanges.1.CidrIp': '0.0.0.0/0' }),
      ...permission(2, { IpProtocol: 'tcp', FromPort: '22', ToPort: '22', 'IpRanges.1.CidrIp': '10.1.2.3/8' }),
    });
    assertError(response, { status: 400, code: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW" already exists' });
    assert.equal(withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroupRules', 'Filter.1.Name': 'group-id', 'Filter.1.Value.1': groupA })), before);
  });

  test('a failed revoke by rule IDs (one unknown) revokes nothing', async () => {
    const before = withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': groupA }));
    const response = await query(server, { Action: 'RevokeSecurityGroupIngress', GroupId: groupA, 'SecurityGroupRuleId.1': ruleA, 'SecurityGroupRuleId.2': 'sgr-0000000000000000f' });
    assertError(response, { status: 400, code: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0000000000000000f' does not exist" });
    assert.equal(withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroups', 'GroupId.1': groupA })), before);
  });

  test('a failed CreateSecurityGroup, CreateTags or DryRun creates nothing', async () => {
    const before = withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroups' }));
    const tagsBefore = withoutRequestId(await ok(server, { Action: 'DescribeTags' }));
    assertError(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'sg-new', GroupDescription: 'bad name' }), {
      status: 400,
      code: 'InvalidParameterValue',
      message: 'Value (sg-new) for parameter GroupName is invalid. Group names may not be in the format sg-*.',
    });
    assertError(await query(server, { Action: 'CreateSecurityGroup', GroupName: 'dry', GroupDescription: 'dry run', DryRun: 'true' }), {
      status: 412,
      code: 'DryRunOperation',
      message: 'Request would have succeeded, but DryRun flag is set.',
    });
    // All-or-nothing across resources (spec/api.md §5.12): one unknown ID tags nothing.
    assertError(await query(server, { Action: 'CreateTags', 'ResourceId.1': groupA, 'ResourceId.2': 'sg-0000000f', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' }), notFound('sg-0000000f'));
    assert.equal(withoutRequestId(await ok(server, { Action: 'DescribeSecurityGroups' })), before);
    assert.equal(withoutRequestId(await ok(server, { Action: 'DescribeTags' })), tagsBefore);
  });
});
