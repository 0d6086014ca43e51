import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ACTION_NAMES } from '../../src/api/action-table.js';
import { permissionMembers } from '../../src/api/actions/authorize-permissions.js';
import { tagSpecificationShape } from '../../src/api/actions/shared-shapes.js';
import { decodeParameters, list, struct, type Shape } from '../../src/api/query-shape.js';
import { isEc2Error } from '../../src/domain/ec2-error.js';
import { EC2_ERROR_CODES, EC2_ERROR_STATUS, type Ec2ErrorCode } from '../../src/domain/ec2-errors.js';
import { errorCode, errorMessage, query, send, type RawResponse } from '../harness/query-client.js';
import { changesSince, currentRevision, signedFetch } from '../harness/signed-fetch.js';
import { startStockade, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

// Property tests of the request decoder: first the pure `decodeParameters` against the Authorize
// shape, then arbitrary signed requests and raw garbage against the running server. Whatever comes
// in, the answer is the EC2 success or error envelope (spec/api.md §1.3, spec/errors.md §1), never
// a 5xx, and a refused request changes nothing.

/** The Authorize{Ingress,Egress} shape, as authorize-permissions.ts builds it. */
const AUTHORIZE_SHAPE = struct({ ...permissionMembers, TagSpecification: list(tagSpecificationShape) });

/** Characters XML 1.0 forbids in a document (§2.2 `Char`); a body holding one is not XML. */
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const KNOWN_CODES: ReadonlySet<string> = new Set(EC2_ERROR_CODES);

// ---- the wire vocabulary ---------------------------------------------------------------------

/** List indices: mostly valid, some that must be refused (0, signs, leading zeros, letters, empty). */
const indexArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3') },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '01', '1.5', 'a', '', ' 1', '999999999', '1000000000', '4294967297') },
);

/** Wire names of every action here, with `N`/`M` standing for list indices. */
const WIRE_NAME_TEMPLATES = [
  'GroupId', 'GroupName', 'GroupDescription', 'Description', 'VpcId', 'DryRun', 'MaxResults', 'NextToken',
  'IpProtocol', 'FromPort', 'ToPort', 'CidrIp', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId',
  'CidrBlock', 'InstanceTenancy', 'AmazonProvidedIpv6CidrBlock', 'PrefixListName', 'PrefixListId', 'MaxEntries',
  'AddressFamily', 'ClientToken', 'Version',
  'GroupId.N', 'GroupName.N', 'VpcId.N', 'PrefixListId.N', 'SecurityGroupRuleId.N', 'ResourceId.N', 'AttributeName.N',
  'IpPermissions.N.IpProtocol', 'IpPermissions.N.FromPort', 'IpPermissions.N.ToPort',
  'IpPermissions.N.IpRanges.M.CidrIp', 'IpPermissions.N.IpRanges.M.Description',
  'IpPermissions.N.Ipv6Ranges.M.CidrIpv6', 'IpPermissions.N.Ipv6Ranges.M.Description',
  'IpPermissions.N.Groups.M.GroupId', 'IpPermissions.N.Groups.M.GroupName', 'IpPermissions.N.Groups.M.UserId',
  'IpPermissions.N.PrefixListIds.M.PrefixListId',
  'Filter.N.Name', 'Filter.N.Value.M', 'Tag.N.Key', 'Tag.N.Value',
  'TagSpecification.N.ResourceType', 'TagSpecification.N.Tag.M.Key', 'TagSpecification.N.Tag.M.Value',
  'Entry.N.Cidr', 'Entry.N.Description',
  'SecurityGroupRule.N.SecurityGroupRuleId', 'SecurityGroupRule.N.SecurityGroupRule.IpProtocol',
  'SecurityGroupRule.N.SecurityGroupRule.FromPort', 'SecurityGroupRule.N.SecurityGroupRule.ToPort',
  'SecurityGroupRule.N.SecurityGroupRule.CidrIpv4', 'SecurityGroupRule.N.SecurityGroupRule.CidrIpv6',
  'SecurityGroupRule.N.SecurityGroupRule.ReferencedGroupId', 'SecurityGroupRule.N.SecurityGroupRule.Description',
  'SecurityGroupRuleDescription.N.SecurityGroupRuleId', 'SecurityGroupRuleDescription.N.Description',
] as const;

const realNameArb = fc
  .tuple(fc.constantFrom(...WIRE_NAME_TEMPLATES), indexArb, indexArb)
  .map(([template, n, m]) => template.replace('N', n).replace('M', m));

/** Names no shape has: near misses of real ones, prototype keys, dots in odd places, anything. */
const garbageNameArb = fc.oneof(
  fc.constantFrom(
    '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'IpPermissions.__proto__', 'IpPermissions.1.__proto__',
    'groupId', 'GROUPID', 'GroupId.', '.GroupId', 'GroupId..1', 'IpPermissions', 'IpPermissions.1', 'IpPermissions.1.IpRanges',
    'IpPermissions.1.IpRanges.1', 'IpPermissions.1.IpProtocol.1', 'IpPermissions.member.1.IpProtocol', 'Filter.1.Values.1',
    '', '.', '..', 'GroupId\u0000', 'Gr\u00f6upId', 'x'.repeat(300),
  ),
  fc.string({ maxLength: 24 }),
  fc.array(fc.constantFrom('IpPermissions', 'IpRanges', '1', 'CidrIp', 'Groups', ''), { minLength: 1, maxLength: 8 }).map((s) => s.join('.')),
);

const nameArb = fc.oneof({ weight: 5, arbitrary: realNameArb }, { weight: 1, arbitrary: garbageNameArb });

/** Values: real ones, numbers that are not integers, unicode and control characters, huge and empty. */
function valueArb(groupIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        ...groupIds, 'tcp', 'udp', 'icmp', 'icmpv6', '-1', '6', '17', '58', '0', '22', '80', '443', '65535', '65536', '-2',
        '0.0.0.0/0', '10.0.0.0/8', '192.0.2.1/32', '203.0.113.7/24', '::/0', '2001:db8::/32', '10.0.0.0/33', '300.1.1.1/8',
        'default', 'sg-12345678', 'sg-', 'sg-0123456789abcdef0', 'vpc-12345678', 'sgr-0123456789abcdef0', 'pl-12345678',
        'true', 'false', 'TRUE', 'group-id', 'group-name', 'ip-permission.cidr', 'vpc-id', 'tag:Name', 'tag-key', '*', '?',
        'security-group', 'security-group-rule', 'IPv4', '111122223333', 'amazon-elb', 'Name', 'web',
        '2016-11-15', '2011-12-15', '2014-10-01',
        // Keys every plain object inherits: a lookup table indexed by them must still say "unknown".
        'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '', ' ', '1e3', '0x10', '-0', '+5', '99999999999999999999', '1234567890123456', 'NaN', 'Infinity', '1.5',
        ' 1', '1 ', '\uff11', '٣', '5\u0000', '2016-11-15T00:00:00Z',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '\u00fc', '\u{1F600}', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\uFFFE', '\uFFFF', '\u200B', 'a\u0301',
        '\u202Eevil', '<Code>InternalError</Code>', ']]>', '&amp;', '"\'<>&', '%ZZ', '%', '+', 'a=b&c=d',
      ),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(256), 'b'.repeat(4096), 'c'.repeat(70_000), '\u20ac'.repeat(20_000)) },
  );
}

// ---- (a) the pure decoder --------------------------------------------------------------------

/** Reports whether `value` is what decoding `shape` may yield (lists always present, spec/api.md §1.2). */
function conforms(shape: Shape, value: unknown): boolean {
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'list':
      return Array.isArray(value) && value.every((item) => conforms(shape.member, item));
    case 'struct': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const members = new Map(Object.entries(shape.members).map(([wire, member]) => [wire.charAt(0).toLowerCase() + wire.slice(1), member]));
      for (const key of Object.keys(record)) if (!members.has(key)) return false;
      for (const [key, member] of members) {
        if (member.kind === 'list' && !Object.hasOwn(record, key)) return false;
        if (Object.hasOwn(record, key) && !conforms(member, record[key])) return false;
      }
      return true;
    }
  }
}

/** A permission as the round-trip property builds it: required protocol, optional ports, ranges. */
interface GeneratedPermission {
  readonly index: number;
  readonly ipProtocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  readonly ipRanges: readonly { readonly index: number; readonly cidrIp: string; readonly description: string | null }[];
}

const sparseIndexArb = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 999_999_999 }));

const permissionArb: fc.Arbitrary<GeneratedPermission> = fc.record({
  index: sparseIndexArb,
  ipProtocol: fc.string({ maxLength: 8 }),
  fromPort: fc.option(fc.integer({ min: -99_999_999, max: 99_999_999 })),
  toPort: fc.option(fc.integer({ min: -1, max: 70_000 })),
  ipRanges: fc.uniqueArray(
    fc.record({ index: sparseIndexArb, cidrIp: fc.string({ maxLength: 20 }), description: fc.option(fc.string({ maxLength: 20 })) }),
    { selector: (r) => r.index, maxLength: 4 },
  ),
});

describe('decodeParameters against the Authorize shape (pure)', () => {
  test('any parameters: returns a value of the shape, or throws UnknownParameter / InvalidParameterValue', () => {
    const paramsArb = fc.array(fc.tuple(nameArb, valueArb(['sg-0a1b2c3d'])), { maxLength: 16 });
    fc.assert(
      fc.property(paramsArb, (params) => {
        let decoded: unknown;
        try {
          decoded = decodeParameters(AUTHORIZE_SHAPE, params);
        } catch (error) {
          assert.ok(isEc2Error(error), `threw a non-EC2 error: ${String(error)}`);
          assert.ok(['UnknownParameter', 'InvalidParameterValue'].includes(error.code), error.code);
          assert.equal(error.httpStatus, 400);
          return;
        }
        assert.ok(conforms(AUTHORIZE_SHAPE, decoded), JSON.stringify(decoded));
      }),
      { numRuns: 2000 },
    );
  });

  test('well-formed IpPermissions with sparse indices decode to the same list, ordered by index', () => {
    const permissionsArb = fc.uniqueArray(permissionArb, { selector: (p) => p.index, maxLength: 5 });
    fc.assert(
      fc.property(permissionsArb, fc.boolean(), (permissions, reverse) => {
        const params: [string, string][] = [];
        for (const p of permissions) {
          const prefix = `IpPermissions.${p.index}`;
          params.push([`${prefix}.IpProtocol`, p.ipProtocol]);
          if (p.fromPort !== null) params.push([`${prefix}.FromPort`, String(p.fromPort)]);
          if (p.toPort !== null) params.push([`${prefix}.ToPort`, String(p.toPort)]);
          for (const r of p.ipRanges) {
            params.push([`${prefix}.IpRanges.${r.index}.CidrIp`, r.cidrIp]);
            if (r.description !== null) params.push([`${prefix}.IpRanges.${r.index}.Description`, r.description]);
          }
        }
        // Parameter order on the wire carries no meaning (spec/api.md §1.2).
        if (reverse) params.reverse();
        const decoded = decodeParameters(AUTHORIZE_SHAPE, params);
        const expected = [...permissions]
          .sort((a, b) => a.index - b.index)
          .map((p) => ({
            ipProtocol: p.ipProtocol,
            ...(p.fromPort === null ? {} : { fromPort: p.fromPort }),
            ...(p.toPort === null ? {} : { toPort: p.toPort }),
            groups: [],
            ipRanges: [...p.ipRanges]
              .sort((a, b) => a.index - b.index)
              .map((r) => ({ cidrIp: r.cidrIp, ...(r.description === null ? {} : { description: r.description }) })),
            ipv6Ranges: [],
            prefixListIds: [],
          }));
        assert.deepEqual(decoded.ipPermissions, expected);
        assert.deepEqual(decoded.tagSpecification, []);
        assert.equal(decoded.groupId, undefined);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- (b) the running server ------------------------------------------------------------------

const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

/**
 * Asserts that `response` is a well-formed EC2 answer to `action`: never 5xx; XML (no character
 * XML forbids); a 200 is `<{Action}Response>` with the request ID of the header; anything else is
 * the error envelope with a catalogued code, the code's status and the header's request ID.
 */
function assertEc2Answer(response: RawResponse, action: string): void {
  assert.ok(response.status < 500, `status ${response.status}: ${response.body.slice(0, 500)}`);
  const invalidChar = NOT_XML_CHAR.exec(response.body);
  assert.equal(invalidChar, null, `body holds U+${invalidChar?.[0]?.codePointAt(0)?.toString(16).padStart(4, '0')}, which XML forbids: ${response.body.slice(0, 500)}`);
  const valid = XMLValidator.validate(response.body);
  assert.equal(valid, true, `not XML (${JSON.stringify(valid)}): ${response.body.slice(0, 500)}`);
  const requestId = response.headers.get('x-amzn-requestid');
  const document = xml.parse(response.body) as Record<string, Record<string, unknown> | undefined>;
  if (response.status === 200) {
    const root = document[`${action}Response`];
    assert.ok(root !== undefined, `a 200 must be <${action}Response>: ${response.body.slice(0, 300)}`);
    assert.equal(root.requestId, requestId);
    return;
  }
  const envelope = document.Response as { Errors?: { Error?: { Code?: unknown; Message?: unknown } }; RequestID?: unknown } | undefined;
  const code = envelope?.Errors?.Error?.Code;
  assert.ok(typeof code === 'string' && KNOWN_CODES.has(code), `not the EC2 error envelope: ${response.body.slice(0, 500)}`);
  assert.equal(response.status, EC2_ERROR_STATUS[code as Ec2ErrorCode], `status of ${code}`);
  assert.equal(typeof envelope?.Errors?.Error?.Message, 'string');
  assert.equal(envelope?.RequestID, requestId);
}

/** A fuzzed request: action, parameters, how it is carried and signed. */
interface FuzzRequest {
  readonly action: string;
  readonly params: readonly [string, string][];
  readonly transport: 'post-sigv4' | 'post-sigv2' | 'get-sigv4';
}

const actionArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ACTION_NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'RunInstances', 'describeSecurityGroups', 'DESCRIBESECURITYGROUPS', 'GetCallerIdentity', '', ' ', 'CreateSecurityGroup ',
      'AuthorizeSecurityGroupIngress\u0000', 'Describe\u00dfSecurityGroups', '__proto__', 'constructor', 'toString',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);

const AUTH_SCHEME_ERRORS: ReadonlySet<string> = new Set(['AuthFailure', 'SignatureDoesNotMatch', 'IncompleteSignature', 'RequestExpired']);

function sendFuzzRequest(server: RunningStockade, request: FuzzRequest): Promise<RawResponse> {
  const params: Record<string, string> = { Action: request.action };
  for (const [name, value] of request.params) params[name] = value;
  switch (request.transport) {
    case 'post-sigv4':
      return query(server, params);
    case 'post-sigv2':
      return query(server, params, { scheme: 'sigv2' });
    case 'get-sigv4':
      return signedFetch(server, { method: 'GET', path: '/', query: { Version: '2016-11-15', ...params } });
  }
}

describe('arbitrary signed requests against the running server', () => {
  let server: RunningStockade;
  let other: AccountCredentials;
  const groupIds: string[] = [];
  before(async () => {
    server = await startStockade();
    other = await server.createAccount({ accountId: '999988887777', platform: 'vpc-only' });
    // Create the region (default VPC and group) first: it is written on first use, even by a
    // request that then fails, and the state check below needs a refused request to write nothing.
    const first = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'fuzz-target', GroupDescription: 'fuzz' });
    assert.equal(first.status, 200, first.body);
    groupIds.push(/<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(first.body)?.[1] ?? '');
    const rule = await query(server, {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: groupIds[0] ?? '',
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '22',
      'IpPermissions.1.ToPort': '22',
      'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8',
    });
    assert.equal(rule.status, 200, rule.body);
    const theirs = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'theirs', GroupDescription: 'other account' }, { credentials: other });
    assert.equal(theirs.status, 200, theirs.body);
    groupIds.push(/<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(theirs.body)?.[1] ?? '');
  });
  after(() => server.stop());

  test('never 5xx, always the EC2 envelope, never an auth refusal; a refused or read request writes nothing', { timeout: 120_000 }, async () => {
    const requestArb: fc.Arbitrary<FuzzRequest> = fc
      .record({
        action: actionArb,
        params: fc.array(fc.tuple(nameArb, valueArb(groupIds)), { maxLength: 12 }),
        transport: fc.constantFrom('post-sigv4', 'post-sigv4', 'post-sigv2', 'get-sigv4'),
      })
      // Node refuses request lines over 16 KiB before Stockade sees them: keep GETs short.
      .map((r) => (r.transport === 'get-sigv4' && JSON.stringify(r.params).length > 4000 ? { ...r, transport: 'post-sigv4' as const } : r));
    await fc.assert(
      fc.asyncProperty(requestArb, async (request) => {
        const revisionBefore = await currentRevision(server);
        const response = await sendFuzzRequest(server, request);
        const revisionAfter = await currentRevision(server);
        assertEc2Answer(response, request.action);
        const code = errorCode(response.body);
        // Every request here is signed correctly by a known key, so authentication must pass.
        assert.ok(code === undefined || !AUTH_SCHEME_ERRORS.has(code), `refused by authentication: ${response.body}`);
        if (response.status !== 200) assert.equal(revisionAfter, revisionBefore, `${code} changed the state`);
        if (request.action.startsWith('Describe')) assert.equal(revisionAfter, revisionBefore, 'a Describe changed the state');
      }),
      // Bounded for 2 shared cores: each run is three HTTP round trips; a hung one fails the run.
      { numRuns: 300, timeout: 10_000 },
    );
  });

  test('afterwards the change log is gapless and ends at the view revision', async () => {
    const records = await changesSince(server, 0);
    assert.deepEqual(
      records.map((r) => r.revision),
      records.map((_, i) => i + 1),
    );
    assert.equal(records[records.length - 1]?.revision, await currentRevision(server));
  });
});

// ---- raw garbage -----------------------------------------------------------------------------

/** POSTs `totalBytes` of `a=aaaa…` with chunked transfer encoding (no Content-Length). */
function sendChunked(server: RunningStockade, totalBytes: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') headers.set(name, value);
          resolve({ status: res.statusCode ?? 0, body, headers });
        });
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    req.write('a=');
    let written = 2;
    const writeMore = (): void => {
      while (written < totalBytes) {
        written += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

describe('raw garbage bodies and headers', () => {
  let server: RunningStockade;
  let member: AccountCredentials;
  before(async () => {
    server = await startStockade();
    member = await server.createAccount({ accountId: '999988887777', platform: 'vpc-only' });
    // The account was written by another process; its first request makes the server catch up
    // (handle-query.ts), which the revision checks below must not mistake for a write.
    const first = await query(server, { Action: 'NoSuchAction' }, { credentials: member });
    assert.equal(errorCode(first.body), 'InvalidAction');
  });
  after(() => server.stop());

  // One row per kind of garbage: what is sent, and the exact status and code that must come back.
  const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const rows: { name: string; send: (s: RunningStockade) => Promise<RawResponse>; status: number; code: string }[] = [
    // Undecodable bodies are refused before authentication (spec/errors.md §2 step 1).
    { name: 'invalid UTF-8 bytes', send: (s) => send(s, Buffer.from([0x41, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3d, 0xff, 0xfe, 0xc3]), FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'a %ZZ escape', send: (s) => send(s, 'Action=DescribeSecurityGroups&GroupName.1=%ZZ', FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'a lone %', send: (s) => send(s, 'Action=%', FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'percent-escaped invalid UTF-8', send: (s) => send(s, 'Action=%FF%FE', FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'a truncated UTF-8 escape', send: (s) => send(s, 'GroupName=%E2%82', FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'an escaped lone surrogate', send: (s) => send(s, 'GroupName=%ED%A0%80', FORM), status: 404, code: 'MalformedQueryString' },
    { name: 'a repeated parameter name', send: (s) => send(s, 'Action=DescribeSecurityGroups&Action=DescribeSecurityGroups', FORM), status: 400, code: 'InvalidParameterValue' },
    { name: 'a name repeated in two spellings', send: (s) => send(s, 'GroupName=a&Group%4Eame=b', FORM), status: 400, code: 'InvalidParameterValue' },
    { name: 'a 2 MiB body with Content-Length', send: (s) => send(s, `a=${'a'.repeat(2 * 1024 * 1024)}`, FORM), status: 400, code: 'InvalidParameterValue' },
    { name: 'a 2 MiB chunked body', send: (s) => sendChunked(s, 2 * 1024 * 1024), status: 400, code: 'InvalidParameterValue' },
    // Decodable but unsigned: refused by authentication.
    { name: 'an empty body', send: (s) => send(s, '', FORM), status: 401, code: 'AuthFailure' },
    { name: 'a NUL byte and control characters', send: (s) => send(s, 'Action=%00%01&\u0007=\u001b', FORM), status: 401, code: 'AuthFailure' },
    { name: 'JSON sent as application/json', send: (s) => send(s, '{"Action":"DescribeSecurityGroups","Version":"2016-11-15"}', { 'content-type': 'application/json' }), status: 401, code: 'AuthFailure' },
    { name: 'XML sent as text/xml', send: (s) => send(s, '<?xml version="1.0"?><Action>DescribeSecurityGroups</Action>', { 'content-type': 'text/xml' }), status: 401, code: 'AuthFailure' },
    { name: 'no content-type at all', send: (s) => send(s, 'Action=DescribeSecurityGroups&Version=2016-11-15', { 'content-type': '' }), status: 401, code: 'AuthFailure' },
    // Signed correctly, but the body is JSON: no Action parameter comes out of it.
    {
      name: 'signed JSON sent as application/json',
      send: (s) => signedFetch(s, { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{"Action":"DescribeSecurityGroups","Version":"2016-11-15"}' }),
      status: 400,
      code: 'InvalidAction',
    },
    // The change feed: admin only, and `since` must be a non-negative integer.
    { name: 'GET /changes unsigned', send: (s) => fetch(`${s.url}/changes?since=0`).then(async (r) => ({ status: r.status, body: await r.text(), headers: r.headers })), status: 401, code: 'AuthFailure' },
    { name: 'GET /changes by a non-admin account', send: (s) => signedFetch(s, { method: 'GET', path: '/changes', query: { since: '0' } }, { credentials: member }), status: 403, code: 'UnauthorizedOperation' },
    { name: 'GET /changes?since=abc', send: (s) => signedFetch(s, { method: 'GET', path: '/changes', query: { since: 'abc' } }), status: 404, code: 'MalformedQueryString' },
    { name: 'GET /changes?since=-1', send: (s) => signedFetch(s, { method: 'GET', path: '/changes', query: { since: '-1' } }), status: 404, code: 'MalformedQueryString' },
  ];

  for (const row of rows) {
    test(`${row.name} → ${row.status} ${row.code}`, async () => {
      const revisionBefore = await currentRevision(server);
      const response = await row.send(server);
      assert.deepEqual([response.status, errorCode(response.body)], [row.status, row.code], response.body.slice(0, 500));
      assertEc2Answer(response, '');
      assert.equal(await currentRevision(server), revisionBefore);
    });
  }

  test('the server still answers a well-formed request afterwards', async () => {
    const response = await query(server, { Action: 'DescribeSecurityGroups' });
    assert.equal(response.status, 200, response.body);
  });
});

// ---- regressions ---------------------------------------------------------------------------

describe('inherited object keys as values are unknown names, not table entries', () => {
  let server: RunningStockade;
  let classic: AccountCredentials;
  let vpcGroupId: string;
  let classicGroupId: string;
  before(async () => {
    server = await startStockade();
    classic = await server.createAccount({ accountId: '444455556666', platform: 'classic' });
    const vpcGroup = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'proto', GroupDescription: 'proto' });
    vpcGroupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(vpcGroup.body)?.[1] ?? '';
    const classicGroup = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'proto', GroupDescription: 'proto' }, { credentials: classic });
    classicGroupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(classicGroup.body)?.[1] ?? '';
  });
  after(() => server.stop());

  const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

  for (const key of INHERITED) {
    test(`IpProtocol=${key} is an unknown protocol (VPC: InvalidParameterValue, Classic: InvalidPermission.Malformed)`, async () => {
      const permission = { 'IpPermissions.1.IpProtocol': key, 'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8' };
      const vpc = await query(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: vpcGroupId, ...permission });
      assertEc2Answer(vpc, 'AuthorizeSecurityGroupIngress');
      assert.deepEqual([vpc.status, errorCode(vpc.body), errorMessage(vpc.body)], [400, 'InvalidParameterValue', `Invalid value '${key}' for IP protocol. Unknown protocol.`]);
      const old = await query(server, { Action: 'AuthorizeSecurityGroupIngress', GroupId: classicGroupId, ...permission }, { credentials: classic });
      assertEc2Answer(old, 'AuthorizeSecurityGroupIngress');
      assert.deepEqual(
        [old.status, errorCode(old.body), errorMessage(old.body)],
        [400, 'InvalidPermission.Malformed', `Unsupported IP protocol "${key}"  - supported: [tcp, udp, icmp]`],
      );
    });

    test(`Filter.1.Name=${key} is an invalid filter on every Describe`, async () => {
      for (const action of ['DescribeSecurityGroups', 'DescribeSecurityGroupRules', 'DescribeVpcs', 'DescribeManagedPrefixLists']) {
        const response = await query(server, { Action: action, 'Filter.1.Name': key, 'Filter.1.Value.1': '*' });
        assertEc2Answer(response, action);
        assert.deepEqual([action, response.status, errorCode(response.body), errorMessage(response.body)], [action, 400, 'InvalidParameterValue', `The filter '${key}' is invalid`]);
      }
    });

    test(`AttributeName.1=${key} is answered like any unknown attribute name`, async () => {
      const unknown = await query(server, { Action: 'DescribeAccountAttributes', 'AttributeName.1': 'no-such-attribute' });
      const response = await query(server, { Action: 'DescribeAccountAttributes', 'AttributeName.1': key });
      assertEc2Answer(response, 'DescribeAccountAttributes');
      const withoutId = (r: RawResponse) => [r.status, r.body.replace(/<(requestId|RequestID)>[^<]*</g, '<$1><')];
      assert.deepEqual(withoutId(response), withoutId(unknown));
    });
  }
});

describe('characters XML 1.0 cannot carry never reach a response body', () => {
  let server: RunningStockade;
  let groupId: string;
  before(async () => {
    server = await startStockade();
    const created = await query(server, { Action: 'CreateSecurityGroup', GroupName: 'chars', GroupDescription: 'chars' });
    groupId = /<groupId>(sg-[0-9a-f]+)<\/groupId>/.exec(created.body)?.[1] ?? '';
  });
  after(() => server.stop());

  // Errors that quote what the client sent: the code stays, the body stays XML.
  const rows: { name: string; params: Record<string, string>; status: number; code: string }[] = [
    { name: 'an action name with a NUL', params: { Action: 'DescribeSecurityGroups\u0000' }, status: 400, code: 'InvalidAction' },
    { name: 'a boolean that is U+FFFE', params: { Action: 'CreateSecurityGroup', GroupName: 'x', GroupDescription: 'x', DryRun: '\uFFFE' }, status: 400, code: 'InvalidParameterValue' },
    { name: 'a group name with U+0001', params: { Action: 'DescribeSecurityGroups', 'GroupName.1': 'no\u0001such' }, status: 400, code: 'InvalidGroup.NotFound' },
    { name: 'a parameter name with an escape character', params: { Action: 'DescribeSecurityGroups', 'Group\u001bName.1': 'x' }, status: 400, code: 'UnknownParameter' },
  ];
  for (const row of rows) {
    test(`${row.name} → ${row.status} ${row.code}, as well-formed XML`, async () => {
      const response = await query(server, row.params);
      assert.deepEqual([response.status, errorCode(response.body)], [row.status, row.code]);
      assertEc2Answer(response, row.params.Action ?? '');
    });
  }

  test('a tag value with U+0001 does not make every later DescribeSecurityGroups unparseable', async () => {
    const tagged = await query(server, { Action: 'CreateTags', 'ResourceId.1': groupId, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v\u0001w' });
    assertEc2Answer(tagged, 'CreateTags');
    const described = await query(server, { Action: 'DescribeSecurityGroups' });
    assert.equal(described.status, 200);
    assertEc2Answer(described, 'DescribeSecurityGroups');
  });
});
