import { Ec2Error } from './ec2-error.js';

/**
 * The only catalogue of EC2 error codes, statuses and messages (spec/errors.md §3). Every message
 * an EC2 client can see is written here and nowhere else; a drift test compares this file with
 * the spec's tables.
 */
export const EC2_ERROR_CODES = [
  // spec/errors.md §3.1: authentication, authorization, protocol
  'AuthFailure',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'RequestExpired',
  'UnauthorizedOperation',
  'DryRunOperation',
  'InvalidAction',
  'NoSuchVersion',
  'MissingParameter',
  'UnknownParameter',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MalformedQueryString',
  'RequestLimitExceeded',
  'InternalError',
  'Unavailable',
  'InvalidPaginationToken',
  'FilterLimitExceeded',
  // spec/errors.md §3.2: security groups
  'InvalidGroup.NotFound',
  'InvalidGroupId.Malformed',
  'InvalidGroup.Duplicate',
  'InvalidGroup.Reserved',
  'CannotDelete',
  'InvalidGroup.InUse',
  'DependencyViolation',
  'InvalidPermission.Duplicate',
  'InvalidPermission.Malformed',
  'InvalidPermission.NotFound',
  'RulesPerSecurityGroupLimitExceeded',
  'SecurityGroupLimitExceeded',
  'SecurityGroupsPerInstanceLimitExceeded',
  'SecurityGroupsPerInterfaceLimitExceeded',
  'InvalidSecurityGroupRuleId.NotFound',
  'InvalidSecurityGroupRuleId.Malformed',
  'InvalidUserID.Malformed',
  'InvalidPrefixListId.NotFound',
  // The managed-prefix-list actions' own code, upper-case ID (issue 13 corrects the spec).
  'InvalidPrefixListID.NotFound',
  // DescribeRouteTables and DescribeNetworkAcls (issue 13, beyond the spec).
  'InvalidRouteTableID.NotFound',
  'InvalidNetworkAclID.NotFound',
  'InvalidPrefixListId.Malformed',
  // ModifyManagedPrefixList (issue 13, beyond the spec).
  'PrefixListVersionMismatch',
  'InvalidRequest',
  'VPCIdNotSpecified',
  'InvalidVpcID.NotFound',
  'InvalidVpcID.Malformed',
  'InvalidVpc.Range',
  'VpcLimitExceeded',
  // AssociateVpcCidrBlock and DisassociateVpcCidrBlock (issue 13; OperationNotPermitted is named in
  // spec/errors.md §3.5, the other two are beyond the spec).
  'CidrLimitExceeded',
  'OperationNotPermitted',
  'InvalidVpcCidrBlockAssociationID.NotFound',
  'InvalidSubnetID.NotFound',
  // CreateSubnet's blocks (spec/errors.md §3.5 names InvalidSubnet.Range; the others are beyond
  // the spec: IPv6 subnets and their associations, issue 13's Terraform suite).
  'InvalidSubnet.Range',
  'InvalidSubnet.Conflict',
  'InvalidSubnetCidrBlockAssociationID.NotFound',
  'InvalidCidrBlock.InUse',
  // RunInstances with an address another instance holds (beyond the spec).
  'InvalidIPAddress.InUse',
  'InvalidInstanceID.NotFound',
  'InvalidInstanceID.Malformed',
  'InvalidNetworkInterfaceID.NotFound',
  'InvalidNetworkInterfaceID.Malformed',
  'TagLimitExceeded',
  'InvalidTagKey.Malformed',
  'InvalidID',
  // Instances as Terraform creates them (issue 13, beyond the spec).
  'OperationNotPermitted',
  'IncorrectInstanceState',
  'UnsupportedOperation',
  'InvalidAMIID.Malformed',
  'InvalidAMIID.NotFound',
  'InvalidInstanceType',
  // A request whose body ended early or whose chunked framing is broken (issue 13).
  'IncompleteBody',
  // Stockade's own feed endpoints (issue 10), not EC2's.
  'RevisionCompacted',
] as const;

/** One EC2 error code. */
export type Ec2ErrorCode = (typeof EC2_ERROR_CODES)[number];

/** HTTP status per code: 400 unless spec/errors.md §3 says otherwise. */
export const EC2_ERROR_STATUS: Record<Ec2ErrorCode, number> = {
  AuthFailure: 401,
  // Kubernetes' answer to a watch from a compacted revision: 410 Gone, then re-list.
  RevisionCompacted: 410,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 400,
  RequestExpired: 400,
  UnauthorizedOperation: 403,
  DryRunOperation: 412,
  InvalidAction: 400,
  NoSuchVersion: 400,
  MissingParameter: 400,
  UnknownParameter: 400,
  InvalidParameterValue: 400,
  InvalidParameterCombination: 400,
  // AWS-wide status for an undecodable query (spec/errors.md §3.1, UNCONFIRMED for EC2).
  MalformedQueryString: 404,
  // 503 so that botocore and the JS SDK retry it as throttling (spec/errors.md §1).
  RequestLimitExceeded: 503,
  InternalError: 500,
  Unavailable: 503,
  InvalidPaginationToken: 400,
  FilterLimitExceeded: 400,
  'InvalidGroup.NotFound': 400,
  'InvalidGroupId.Malformed': 400,
  'InvalidGroup.Duplicate': 400,
  'InvalidGroup.Reserved': 400,
  CannotDelete: 400,
  'InvalidGroup.InUse': 400,
  DependencyViolation: 400,
  'InvalidPermission.Duplicate': 400,
  'InvalidPermission.Malformed': 400,
  'InvalidPermission.NotFound': 400,
  RulesPerSecurityGroupLimitExceeded: 400,
  SecurityGroupLimitExceeded: 400,
  SecurityGroupsPerInstanceLimitExceeded: 400,
  SecurityGroupsPerInterfaceLimitExceeded: 400,
  'InvalidSecurityGroupRuleId.NotFound': 400,
  'InvalidSecurityGroupRuleId.Malformed': 400,
  'InvalidUserID.Malformed': 400,
  'InvalidPrefixListId.NotFound': 400,
  'InvalidPrefixListID.NotFound': 400,
  'InvalidRouteTableID.NotFound': 400,
  'InvalidNetworkAclID.NotFound': 400,
  'InvalidPrefixListId.Malformed': 400,
  PrefixListVersionMismatch: 400,
  InvalidRequest: 400,
  VPCIdNotSpecified: 400,
  'InvalidVpcID.NotFound': 400,
  'InvalidVpcID.Malformed': 400,
  'InvalidVpc.Range': 400,
  VpcLimitExceeded: 400,
  CidrLimitExceeded: 400,
  OperationNotPermitted: 400,
  'InvalidVpcCidrBlockAssociationID.NotFound': 400,
  'InvalidSubnetID.NotFound': 400,
  'InvalidSubnet.Range': 400,
  'InvalidSubnet.Conflict': 400,
  'InvalidSubnetCidrBlockAssociationID.NotFound': 400,
  'InvalidCidrBlock.InUse': 400,
  'InvalidIPAddress.InUse': 400,
  'InvalidInstanceID.NotFound': 400,
  'InvalidInstanceID.Malformed': 400,
  'InvalidNetworkInterfaceID.NotFound': 400,
  'InvalidNetworkInterfaceID.Malformed': 400,
  TagLimitExceeded: 400,
  'InvalidTagKey.Malformed': 400,
  InvalidID: 400,
  IncorrectInstanceState: 400,
  UnsupportedOperation: 400,
  'InvalidAMIID.Malformed': 400,
  'InvalidAMIID.NotFound': 400,
  InvalidInstanceType: 400,
  IncompleteBody: 400,
};

function make(code: Ec2ErrorCode, message: string): Ec2Error {
  return new Ec2Error(code, EC2_ERROR_STATUS[code], message);
}

// ---- spec/errors.md §3.1 -------------------------------------------------------------------

export const authFailure = (): Ec2Error =>
  make('AuthFailure', 'AWS was not able to validate the provided access credentials');
export const signatureDoesNotMatch = (): Ec2Error =>
  make(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
export const requestExpired = (): Ec2Error => make('RequestExpired', 'Request has expired.');
export const unauthorizedOperation = (): Ec2Error =>
  make('UnauthorizedOperation', 'You are not authorized to perform this operation.');
export const dryRunOperation = (): Ec2Error =>
  make('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
export const invalidAction = (action: string): Ec2Error =>
  make('InvalidAction', `The action ${action} is not valid for this web service.`);
export const noSuchVersion = (version: string): Ec2Error =>
  make('NoSuchVersion', `The requested version (${version}) of service AmazonEC2 does not exist`);
/** `name` is spelled as AWS spells it internally (`GroupDescription`, `groupId`). */
export const missingParameter = (name: string): Ec2Error =>
  make('MissingParameter', `The request must contain the parameter ${name}`);
export const unknownParameter = (name: string): Ec2Error =>
  make('UnknownParameter', `The parameter ${name} is not recognized`);
export const malformedQueryString = (): Ec2Error =>
  make('MalformedQueryString', 'The query string contains a syntax error.');
// UNCONFIRMED: EC2's answer to an oversized request; we refuse it before reading further.
export const requestTooLarge = (limitBytes: number): Ec2Error =>
  make('InvalidParameterValue', `The request exceeds the maximum allowed size of ${limitBytes} bytes`);
// UNCONFIRMED wording: a parameter given twice, or a list index that is not a positive integer.
export const parameterRepeated = (name: string): Ec2Error =>
  make('InvalidParameterValue', `The parameter ${name} was specified more than once`);
export const invalidListIndex = (name: string): Ec2Error =>
  make('InvalidParameterValue', `The parameter ${name} has an invalid list index`);
export const requestLimitExceeded = (): Ec2Error => make('RequestLimitExceeded', 'Request limit exceeded.');
/** A feed or log reader asked for records that compaction removed (issue 10; etcd's ErrCompacted). */
export const revisionCompacted = (since: number, oldest: number): Ec2Error =>
  make(
    'RevisionCompacted',
    `The change log no longer holds the records after revision ${since}: it starts at revision ${oldest}. Read a snapshot (GET /feed/snapshot) and follow from its revision.`,
  );
export const internalError = (): Ec2Error => make('InternalError', 'An internal error has occurred');
export const unavailable = (): Ec2Error =>
  make('Unavailable', "The server is overloaded and can't handle the request.");
// Wording UNCONFIRMED (spec/errors.md §3.5 suggests this sentence).
export const invalidPaginationToken = (): Ec2Error => make('InvalidPaginationToken', 'Invalid pagination token');
// Limits UNCONFIRMED (spec/errors.md §3.5): more than 50 filters or 200 values.
export const filterLimitExceeded = (): Ec2Error =>
  make('FilterLimitExceeded', 'The maximum number of filter values specified on a single call is 200');

// ---- spec/auth.md: request-signature details -------------------------------------------------
// IncompleteSignature sentences are AWS-wide wording (spec/errors.md §3.1: field, other AWS query
// services; UNCONFIRMED for EC2 specifically). Sentences not quoted in errors.md are marked.

/** A part a SigV4 `Authorization` header needs (spec/auth.md §4.1); `Date` is the X-Amz-Date/Date header. */
export type AuthorizationHeaderPart = 'Credential' | 'Signature' | 'SignedHeaders' | 'Date';
/** `Authorization header requires 'Credential' parameter. … Authorization=<header>`, one sentence per missing part. */
export const authorizationHeaderIncomplete = (missing: readonly AuthorizationHeaderPart[], header: string): Ec2Error =>
  make(
    'IncompleteSignature',
    [
      ...missing.map((part) =>
        part === 'Date'
          ? "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
          : `Authorization header requires '${part}' parameter.`,
      ),
      `Authorization=${header}`,
    ].join(' '),
  );
export const authorizationPairMalformed = (token: string, header: string): Ec2Error =>
  make('IncompleteSignature', `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
export const credentialMalformed = (credential: string): Ec2Error =>
  make(
    'IncompleteSignature',
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  );
// UNCONFIRMED wording (AWS-wide, spec/auth.md §4.1).
export const credentialTerminatorInvalid = (terminator: string): Ec2Error =>
  make('IncompleteSignature', `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
// UNCONFIRMED code and wording (spec/auth.md §4.4).
export const credentialServiceInvalid = (): Ec2Error =>
  make('IncompleteSignature', "Credential should be scoped to correct service: 'ec2'.");
// UNCONFIRMED wording (spec/auth.md §4.2).
export const hostHeaderNotSigned = (): Ec2Error =>
  make('IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
// UNCONFIRMED strictness and wording (spec/auth.md §4.2).
export const dateHeaderNotSigned = (header: 'X-Amz-Date' | 'Date'): Ec2Error =>
  make('IncompleteSignature', `'${header}' must be a 'SignedHeader' in the AWS Authorization.`);
// UNCONFIRMED wording (AWS-wide).
export const amzDateMalformed = (value: string): Ec2Error =>
  make(
    'IncompleteSignature',
    `X-Amz-Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );
// UNCONFIRMED wording.
export const httpDateMalformed = (value: string): Ec2Error =>
  make('IncompleteSignature', `Date must be in RFC 1123 format. Got '${value}'.`);
/** A parameter a SigV4 presigned URL needs (spec/auth.md §5). */
export type PresignedParameter =
  | 'X-Amz-Algorithm'
  | 'X-Amz-Credential'
  | 'X-Amz-Signature'
  | 'X-Amz-SignedHeaders'
  | 'X-Amz-Date'
  | 'X-Amz-Expires';
/** `AWS query-string parameters must include '<p>'. … Re-examine the query-string parameters.` */
export const presignedQueryIncomplete = (missing: readonly PresignedParameter[]): Ec2Error =>
  make(
    'IncompleteSignature',
    [...missing.map((p) => `AWS query-string parameters must include '${p}'.`), 'Re-examine the query-string parameters.'].join(
      ' ',
    ),
  );
// UNCONFIRMED wording (AWS-wide).
export const presignedAlgorithmUnsupported = (): Ec2Error =>
  make('IncompleteSignature', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
// UNCONFIRMED wording (spec/auth.md §5: 1–604800 seconds).
export const presignedExpiresInvalid = (value: string): Ec2Error =>
  make('IncompleteSignature', `X-Amz-Expires must be a number of seconds from 1 to 604800, got '${value}'.`);
/** Signature versions 0/1, S3-style `Authorization: AWS …` and other schemes (spec/auth.md §2, UNCONFIRMED code). */
export const signatureUnsupported = (): Ec2Error =>
  make('IncompleteSignature', 'The request signature does not conform to AWS standards.');
/** A SigV2 auth parameter that must be present (spec/auth.md §3.1). UNCONFIRMED wording. */
export const sigV2ParameterMissing = (name: 'SignatureVersion' | 'SignatureMethod' | 'Signature' | 'Timestamp'): Ec2Error =>
  make('IncompleteSignature', `The request must contain the parameter ${name}`);
// UNCONFIRMED code and wording (spec/auth.md §3.1).
export const signatureMethodUnsupported = (method: string): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Value (${method}) for parameter SignatureMethod is invalid. Supported values are HmacSHA256 and HmacSHA1.`,
  );
// UNCONFIRMED code and wording (spec/auth.md §3.4).
export const requestDateInvalid = (name: 'Timestamp' | 'Expires', value: string): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Value (${value}) for parameter ${name} is invalid. Expected an ISO 8601 date and time such as 2011-12-15T17:34:52Z.`,
  );

// ---- spec/errors.md §3.3: InvalidParameterValue cases ----------------------------------------

/** An InvalidParameterValue whose whole message is given by the caller of this factory. */
export const invalidParameterValue = (message: string): Ec2Error => make('InvalidParameterValue', message);
/** `Value (<v>) for parameter <name> is invalid.` — a value outside the parameter's set or range. */
export const parameterValueInvalid = (name: string, value: string | number): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid.`);
/** `Value (<v>) for parameter <name> is invalid. <why>` — the house form for type and range errors. */
export const invalidParameterValueFor = (name: string, value: string, why: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid. ${why}`);
export const unknownProtocol = (protocol: string): Ec2Error =>
  make('InvalidParameterValue', `Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
export const vpcProtocolRequired = (): Ec2Error =>
  make(
    'InvalidParameterValue',
    "Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.",
  );
export const icmpPortsRequired = (): Ec2Error =>
  make('InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with ICMP.');
export const icmpOutOfRange = (what: 'type' | 'code', value: number): Ec2Error =>
  make('InvalidParameterValue', `ICMP ${what} (${value}) out of range`);
// Message UNCONFIRMED (spec/semantics.md §3.2; the peer's wording).
export const invalidPortRange = (): Ec2Error => make('InvalidParameterValue', 'Invalid TCP/UDP port range.');
export const allProtocolsWithPorts = (): Ec2Error =>
  make(
    'InvalidParameterValue',
    'You may not specify all protocols and specific ports. Please specify each protocol and port range combination individually, or all protocols and no port range.',
  );
export const cidrMalformed = (value: string): Ec2Error =>
  make('InvalidParameterValue', `CIDR block ${value} is malformed`);
export const invalidRuleDescription = (): Ec2Error =>
  make(
    'InvalidParameterValue',
    'Invalid rule description. Valid descriptions are strings less than 256 characters from the following set:  a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*',
  );
export const invalidGroupNameOrDescription = (parameter: 'GroupName' | 'GroupDescription', value: string, why: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter ${parameter} is invalid. ${why}`);
// UNCONFIRMED message (spec/semantics.md §4.2): IPv6 and prefix-list peers are VPC-only.
export const vpcOnlyPeer = (what: string): Ec2Error =>
  make('InvalidParameterValue', `${what} may only be used with Amazon VPC security groups.`);
export const samePermissionTwice = (): Ec2Error =>
  make('InvalidParameterValue', 'The same permission must not appear multiple times');
export const missingPeer2016 = (): Ec2Error =>
  make(
    'InvalidParameterValue',
    'missing mandatory parameter: exactly one of remote-security-group, remote-ip-range, remote-ipv6-range, or prefix-list-id must be present',
  );
export const missingPeerLegacy = (): Ec2Error =>
  make('MissingParameter', 'Missing source specification: include source security group or CIDR information');
export const groupNameLooksLikeId = (name: string): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Value (${name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.`,
  );
export const vpcGroupByName = (name: string): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Invalid value '${name}' for groupName. You may not reference Amazon VPC security groups by name. Please use the corresponding id for this operation.`,
  );
export const vpcGroupsOnly = (): Ec2Error =>
  make('InvalidParameterValue', 'Only Amazon VPC security groups may be used with this operation.');
/** Below the minimum, AWS's wording (field); above the maximum, the same form (UNCONFIRMED). */
export const maxResultsOutOfRange = (value: number, min: number, max: number): Ec2Error =>
  make(
    'InvalidParameterValue',
    value < min
      ? `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value greater than ${min}.`
      : `Value ( ${value} ) for parameter maxResults is invalid. Expecting a value less than or equal to ${max}.`,
  );
export const emptyGroupIdInList = (): Ec2Error =>
  make('InvalidParameterValue', 'Value () for parameter groupId is invalid. The value cannot be empty');
export const invalidVpcCidr = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
/** A flow given to the evaluator (Stockade's own endpoint) is not well-formed; `why` is safe to show. */
export const invalidFlow = (why: string): Ec2Error => make('InvalidParameterValue', why);
// UNCONFIRMED (spec/errors.md §3.3).
export const invalidFilter = (name: string): Ec2Error => make('InvalidParameterValue', `The filter '${name}' is invalid`);

// ---- spec/errors.md §3.4: combinations -------------------------------------------------------

/** An InvalidParameterCombination whose whole message is given. */
export const invalidParameterCombination = (message: string): Ec2Error =>
  make('InvalidParameterCombination', message);
// UNCONFIRMED wording (spec/errors.md §3.4).
export const parametersCannotBeCombined = (a: string, b: string): Ec2Error =>
  make('InvalidParameterCombination', `The parameter '${a}' cannot be used with the parameter '${b}'`);
// ModifySecurityGroupRules entry with no peer (spec/api.md §5.9: "none → MissingParameter";
// wording from issue 13, field).
export const modifyPeerMissing = (): Ec2Error =>
  make('MissingParameter', 'The request must contain exactly one of: cidrIp, cidrIpv6, prefixListId, or referencedGroupId');
export const onePeerOnly = (): Ec2Error =>
  make('InvalidParameterCombination', 'Only one of cidrIp, cidrIpv6, prefixListId, or referencedGroupId can be specified');
export const vpcGroupInClassicLaunch = (): Ec2Error =>
  make('InvalidParameterCombination', 'VPC security groups may not be used for a non-VPC launch');
export const groupNameWithSubnet = (): Ec2Error =>
  make('InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet');
export const sourceGroupIdMissing = (): Ec2Error => make('MissingParameter', 'Source group ID missing.');

// ---- spec/errors.md §3.2: security groups ----------------------------------------------------

export const groupIdNotFound = (groupId: string): Ec2Error =>
  make('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
export const groupNameNotFound = (name: string): Ec2Error =>
  make('InvalidGroup.NotFound', `The security group '${name}' does not exist`);
/** `vpcId` is the default VPC's ID, or `none` when the account has none. */
export const groupNameNotFoundInDefaultVpc = (name: string, vpcId: string): Ec2Error =>
  make('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpcId}'`);
export const groupNotFoundInVpc = (group: string, vpcId: string): Ec2Error =>
  make('InvalidGroup.NotFound', `The security group '${group}' does not exist in VPC '${vpcId}'`);
export const groupIdMalformed = (value: string): Ec2Error =>
  value === ''
    ? make('InvalidGroupId.Malformed', "The security-group ID '' is malformed")
    : make('InvalidGroupId.Malformed', `Invalid id: "${value}" (expecting "sg-...")`);
// DescribeSecurityGroupRules' `group-id` filter value that is no group ID, empty included (issue
// 13: an independent suite run against AWS).
export const groupIdFilterMalformed = (value: string): Ec2Error =>
  make('InvalidGroupId.Malformed', `The security group ID '${value}' is malformed`);
// A peer group in another VPC that is not peered with the rule's (issue 13, field).
export const groupInOtherNetwork = (): Ec2Error =>
  make('InvalidGroup.NotFound', 'You have specified two resources that belong to different networks.');
// ModifySecurityGroupRules: a tcp or udp rule without both ports (issue 13, field).
export const tcpUdpPortsRequired = (): Ec2Error =>
  make('InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
export const groupDuplicateInVpc = (name: string, vpcId: string): Ec2Error =>
  make('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
export const groupDuplicateClassic = (name: string): Ec2Error =>
  make('InvalidGroup.Duplicate', `The security group '${name}' already exists`);
export const groupReserved = (): Ec2Error => make('InvalidGroup.Reserved', "The security group 'default' is reserved");
export const cannotDeleteDefault = (groupId: string): Ec2Error =>
  make('CannotDelete', `the specified group: "${groupId}" name: "default" cannot be deleted by a user`);
// UNCONFIRMED wording (spec/errors.md §3.2 recommends these two sentences).
export const groupInUseByInstances = (name: string): Ec2Error =>
  make('InvalidGroup.InUse', `There are active instances using security group '${name}'`);
export const groupInUseByGroups = (groupId: string): Ec2Error =>
  make('InvalidGroup.InUse', `Group ${groupId} is used by security groups in other accounts.`);
export const dependencyViolation = (resourceId: string): Ec2Error =>
  make('DependencyViolation', `resource ${resourceId} has a dependent object`);
// UNCONFIRMED wording (spec/errors.md §3.2).
export const vpcHasDependencies = (vpcId: string): Ec2Error =>
  make('DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
/** `rule` is the spec's description, e.g. `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export const permissionDuplicate = (rule: string): Ec2Error =>
  make('InvalidPermission.Duplicate', `the specified rule "${rule}" already exists`);
export const unsupportedClassicProtocol = (protocol: string): Ec2Error =>
  // Two spaces before the dash, as AWS sends it (spec/errors.md §3.2, field).
  make('InvalidPermission.Malformed', `Unsupported IP protocol "${protocol}"  - supported: [tcp, udp, icmp]`);
export const portOutOfRange = (port: number): Ec2Error =>
  make('InvalidPermission.Malformed', `TCP/UDP port (${port}) out of range`);
export const permissionNotFound = (): Ec2Error =>
  make('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
export const rulesPerGroupLimitExceeded = (): Ec2Error =>
  make('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
// UNCONFIRMED wording (spec/errors.md §3.2).
export const securityGroupLimitExceeded = (): Ec2Error =>
  make('SecurityGroupLimitExceeded', 'You have reached the maximum number of security groups.');
export const securityGroupsPerInterfaceLimitExceeded = (): Ec2Error =>
  make(
    'SecurityGroupsPerInterfaceLimitExceeded',
    'You have exceeded the maximum number of security groups allowed per network interface.',
  );
export const securityGroupsPerInstanceLimitExceeded = (): Ec2Error =>
  make(
    'SecurityGroupsPerInstanceLimitExceeded',
    'You have exceeded the maximum number of security groups allowed per instance.',
  );
export const ruleIdNotFound = (ruleId: string): Ec2Error =>
  make('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${ruleId}' does not exist`);
export const ruleIdMalformed = (value: string): Ec2Error =>
  make('InvalidSecurityGroupRuleId.Malformed', `Invalid id: "${value}" (expecting "sgr-...")`);
export const userIdMalformed = (value: string): Ec2Error =>
  make('InvalidUserID.Malformed', `Invalid user ID: "${value}"`);
export const prefixListNotFound = (id: string): Ec2Error =>
  make('InvalidPrefixListId.NotFound', `The prefix list ID '${id}' does not exist`);
// DescribeManagedPrefixLists, DeleteManagedPrefixList and the other managed-prefix-list actions
// answer an unknown list with an upper-case "ID" (issue 13; Terraform's aws provider treats any
// other code as a hard error). Message as for rule peers (UNCONFIRMED).
// Wording UNCONFIRMED, in the form of EC2's other NotFound messages.
export const routeTableNotFound = (id: string): Ec2Error => make('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
export const networkAclNotFound = (id: string): Ec2Error => make('InvalidNetworkAclID.NotFound', `The networkAcl ID '${id}' does not exist`);
export const managedPrefixListNotFound = (id: string): Ec2Error =>
  make('InvalidPrefixListID.NotFound', `The prefix list ID '${id}' does not exist`);
// ModifyManagedPrefixList with a stale CurrentVersion (field: Terraform's aws provider matches
// "prefix list has the incorrect version number" in this code's message).
export const prefixListVersionMismatch = (): Ec2Error =>
  make('PrefixListVersionMismatch', 'The prefix list has the incorrect version number.');
// One CIDR in both AddEntry and RemoveEntry (field: Terraform's aws provider quotes this answer
// and splits description-only changes into two calls because of it).
export const prefixListEntryInAddAndRemove = (): Ec2Error => make('InvalidRequest', 'The request received was invalid.');
// The sentence is the model's documentation of MaxEntries; the code is UNCONFIRMED.
export const prefixListEntriesAndSize = (): Ec2Error =>
  make(
    'InvalidParameterCombination',
    'You cannot modify the entries of a prefix list and modify the size of a prefix list at the same time.',
  );
// UNCONFIRMED wording (issue 13): RemoveEntry of a CIDR the list lacks, AddEntry of one it has.
export const prefixListEntryAbsent = (cidr: string, prefixListId: string): Ec2Error =>
  make('InvalidParameterValue', `The prefix list ${prefixListId} has no entry for CIDR ${cidr}.`);
export const prefixListEntryPresent = (cidr: string, prefixListId: string): Ec2Error =>
  make('InvalidParameterValue', `The prefix list ${prefixListId} already has an entry for CIDR ${cidr}.`);
// UNCONFIRMED wording: more entries than MaxEntries (CreateManagedPrefixList, ModifyManagedPrefixList).
export const prefixListTooManyEntries = (): Ec2Error =>
  make('InvalidParameterValue', 'The number of entries exceeds the maximum number of entries for the prefix list.');
// UNCONFIRMED wording: ModifyManagedPrefixList's MaxEntries below the entries the list holds.
export const prefixListMaxEntriesBelowEntries = (maxEntries: number, entries: number): Ec2Error =>
  make('InvalidParameterValue', `The maximum number of entries (${maxEntries}) cannot be lower than the number of entries in the prefix list (${entries}).`);
// UNCONFIRMED wording: TargetVersion names a version the list never had.
export const prefixListVersionNotFound = (prefixListId: string, version: number): Ec2Error =>
  make('InvalidParameterValue', `The prefix list ${prefixListId} has no version ${version}.`);
export const prefixListMalformed = (value: string): Ec2Error =>
  make('InvalidPrefixListId.Malformed', `Invalid id: "${value}" (expecting "pl-...")`);
export const noDefaultVpc = (): Ec2Error => make('VPCIdNotSpecified', 'No default VPC for this user');
export const vpcNotFound = (vpcId: string): Ec2Error =>
  make('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
export const vpcIdMalformed = (value: string): Ec2Error =>
  make('InvalidVpcID.Malformed', `Invalid id: "${value}" (expecting "vpc-...")`);
export const vpcRange = (cidr: string): Ec2Error => make('InvalidVpc.Range', `The CIDR '${cidr}' is invalid.`);
// UNCONFIRMED wording.
export const vpcLimitExceeded = (): Ec2Error =>
  make('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
// AssociateVpcCidrBlock past the blocks a VPC may have (wording: moto, which models EC2's).
export const cidrLimitExceeded = (vpcId: string, limit: number): Ec2Error =>
  make('CidrLimitExceeded', `This network ${vpcId} has met its maximum number of allowed CIDRs: ${limit}`);
// UNCONFIRMED code and wording: a secondary block that overlaps a block of the VPC.
export const vpcCidrConflict = (cidr: string, other: string): Ec2Error =>
  make('InvalidVpc.Range', `The CIDR '${cidr}' conflicts with the CIDR '${other}' of the VPC.`);
// UNCONFIRMED code and wording: neither a CIDR block nor an Amazon-provided IPv6 block asked for.
export const vpcCidrBlockRequired = (): Ec2Error =>
  make('MissingParameter', 'The request must contain the parameter cidrBlock or amazonProvidedIpv6CidrBlock');
// DisassociateVpcCidrBlock of the primary IPv4 block (wording: moto).
export const primaryVpcCidrBlock = (associationId: string): Ec2Error =>
  make(
    'OperationNotPermitted',
    `The vpc CIDR block with association ID ${associationId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`,
  );
// The code is EC2's (field: Terraform's aws provider and AWS SDK clients match it); wording UNCONFIRMED.
export const vpcCidrAssociationNotFound = (associationId: string): Ec2Error =>
  make('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${associationId}' does not exist`);
// UNCONFIRMED code and wording: a block that subnets of the VPC lie in.
export const vpcCidrBlockInUse = (associationId: string): Ec2Error =>
  make('DependencyViolation', `The vpc CIDR block with association ID ${associationId} may not be disassociated. It has subnets.`);
export const subnetNotFound = (id: string): Ec2Error =>
  make('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
// A subnet's IPv4 block outside the VPC's blocks or outside /16–/28 (code: spec/errors.md §3.5;
// wording: moto, in the form of InvalidVpc.Range's), and its IPv6 block outside the VPC's /56
// (field: "InvalidSubnet.Range: The IPv6 CIDR '2600:1f13:bbc:9501::/64' is invalid.", a Terraform
// apply quoted in aws-samples/aws-network-hub-for-terraform#24).
export const subnetRange = (cidr: string): Ec2Error => make('InvalidSubnet.Range', `The CIDR '${cidr}' is invalid.`);
export const subnetIpv6Range = (cidr: string): Ec2Error => make('InvalidSubnet.Range', `The IPv6 CIDR '${cidr}' is invalid.`);
// A block overlapping another subnet's in the VPC (field: Terraform applies quoted in
// hashicorp/terraform#33470, IPv4, and telia-oss/terraform-aws-vpc#33, IPv6).
export const subnetConflict = (cidr: string): Ec2Error => make('InvalidSubnet.Conflict', `The CIDR '${cidr}' conflicts with another subnet`);
export const subnetIpv6Conflict = (cidr: string): Ec2Error =>
  make('InvalidSubnet.Conflict', `The IPv6 CIDR '${cidr}' conflicts with another subnet`);
// An IPv6 subnet block that is not an IPv6 CIDR or not a /64 (field: "invalid value for parameter
// ipv6-cidr-block: 2600:1f16:c6:ff10::/60", hashicorp/terraform-provider-aws#28775).
export const subnetIpv6CidrInvalid = (value: string): Ec2Error =>
  make('InvalidParameterValue', `invalid value for parameter ipv6-cidr-block: ${value}`);
// CreateSubnet with Ipv6Native and an IPv4 block, or without an IPv6 block (wording: moto, whose
// tests of these two were run against AWS, getmoto/moto#9359).
export const ipv6NativeWithIpv4 = (): Ec2Error =>
  make('InvalidParameterCombination', 'When specifying ipv4 parameters, cidrBlock or ipv4IpamPoolId, you cannot set ipv6Native to true.');
export const ipv6NativeWithoutBlock = (): Ec2Error => make('MissingParameter', "Either 'ipv6CidrBlock' or 'ipv6IpamPoolId' should be provided.");
// Stockade's own refusal: an IPv6-only subnet would hold instances without an IPv4 address, which
// the rest of the model (instances, the data plane) does not have yet.
export const ipv6OnlySubnetUnsupported = (): Ec2Error =>
  make('InvalidParameterValue', 'IPv6-only subnets (ipv6Native) are not supported by this server.');
// The code and the first sentence's form are moto's; UNCONFIRMED wording.
export const subnetCidrAssociationNotFound = (associationId: string): Ec2Error =>
  make('InvalidSubnetCidrBlockAssociationID.NotFound', `The subnet CIDR block with association ID '${associationId}' does not exist`);
// DisassociateSubnetCidrBlock while new instances would get addresses from the block (field:
// hashicorp/terraform-provider-aws#1519 and #46017 quote it).
export const subnetIpv6BlockAssignsOnCreation = (associationId: string): Ec2Error =>
  make(
    'InvalidCidrBlock.InUse',
    `The subnet IPv6 CIDR block with association ID ${associationId} may not be disassociated, because its subnet has assign-ipv6-address-on-creation set to true.`,
  );
// UNCONFIRMED wording, in the form of the one above: instances hold addresses from the block.
export const subnetIpv6BlockHasAddresses = (associationId: string): Ec2Error =>
  make('InvalidCidrBlock.InUse', `The subnet IPv6 CIDR block with association ID ${associationId} may not be disassociated, because IPv6 addresses from it are in use.`);
// ModifySubnetAttribute AssignIpv6AddressOnCreation=true on a subnet without an IPv6 block (field:
// terraform-aws-modules/terraform-aws-vpc#735 quotes it).
export const assignIpv6WithoutBlock = (subnetId: string): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Invalid value 'true' for assign-ipv6-address-on-creation. Cannot set assign-ipv6-address-on-creation to true unless the subnet (${subnetId}) has an IPv6 CIDR block associated with it.`,
  );
// ModifySubnetAttribute changes one attribute per call (EC2 API reference, ModifySubnetAttribute:
// "You can only modify one attribute at a time"); code and wording UNCONFIRMED.
export const oneSubnetAttributeAtATime = (): Ec2Error =>
  make('InvalidParameterCombination', 'Only one subnet attribute can be modified at a time.');
// RunInstances with both IPv6 forms (field: an EC2 answer quoted in ansible/ansible#40334).
export const ipv6AddressesAndCount = (): Ec2Error =>
  make('InvalidParameterCombination', 'IPv6 addresses and IPv6 address count may not be specified on the same request');
// UNCONFIRMED wording: IPv6 addresses asked for in a subnet without an IPv6 block.
export const subnetHasNoIpv6Block = (subnetId: string): Ec2Error =>
  make('InvalidParameterValue', `The subnet '${subnetId}' has no IPv6 CIDR block, so no IPv6 address can be assigned in it.`);
// UNCONFIRMED wording: an IPv6 address outside the subnet's block, or one of its reserved addresses.
export const ipv6AddressNotInSubnet = (address: string, subnetId: string): Ec2Error =>
  make('InvalidParameterValue', `The IPv6 address ${address} is not a valid address in the IPv6 CIDR block of subnet '${subnetId}'.`);
// An address another instance holds. The code is the one EC2 gives a private IPv4 address in use;
// for IPv6, code and wording UNCONFIRMED.
export const ipAddressInUse = (address: string): Ec2Error => make('InvalidIPAddress.InUse', `Address ${address} is in use.`);
// UNCONFIRMED wording: the model says specific IPv6 addresses cannot be given with a minimum count.
export const ipv6AddressesForOneInstance = (): Ec2Error =>
  make('InvalidParameterValue', 'Specific IPv6 addresses can only be given for a launch of one instance.');
export const instanceNotFound = (id: string): Ec2Error =>
  make('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
export const instanceIdMalformed = (value: string): Ec2Error =>
  make('InvalidInstanceID.Malformed', `Invalid id: "${value}"`);
// DescribeNetworkInterfaces is not in the spec; wording UNCONFIRMED, modelled on the VPC and
// prefix-list messages above.
export const networkInterfaceNotFound = (id: string): Ec2Error =>
  make('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
export const networkInterfaceIdMalformed = (value: string): Ec2Error =>
  make('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${value}" (expecting "eni-...")`);
// UNCONFIRMED wording (spec/errors.md §3.2).
export const tagLimitExceeded = (): Ec2Error =>
  make('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.');
export const tagKeyMalformed = (): Ec2Error =>
  make('InvalidTagKey.Malformed', "Tag keys starting with 'aws:' are reserved for internal use");
export const invalidId = (id: string): Ec2Error => make('InvalidID', `The ID '${id}' is not valid`);

// ---- Instances as Terraform creates them (issue 13, beyond the spec) ----------------------------
// EC2's wording as its API returns it (field, AWS documentation of the codes); the ones marked
// UNCONFIRMED were chosen here in the same form.

/** TerminateInstances on an instance whose `disableApiTermination` attribute is set. */
export const terminationProtected = (instanceId: string): Ec2Error =>
  make(
    'OperationNotPermitted',
    `The instance '${instanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`,
  );
// UNCONFIRMED message (spec/api.md §5.14): a terminated instance's attributes and groups are final.
export const instanceNotModifiable = (instanceId: string): Ec2Error =>
  make('InvalidParameterValue', `The instance '${instanceId}' is not in a state from which it can be modified`);
/** ModifyInstanceAttribute of an attribute that can change only while the instance is stopped. */
export const instanceNotStopped = (instanceId: string): Ec2Error =>
  make('IncorrectInstanceState', `The instance '${instanceId}' is not in the 'stopped' state.`);
// UNCONFIRMED wording: credit specifications exist only for burstable (T-family) instances.
export const creditSpecificationUnsupported = (instanceId: string): Ec2Error =>
  make('UnsupportedOperation', `The instance ID '${instanceId}' is not supported. The only supported instance type families are T2, T3, T3a and T4g.`);
export const imageIdMalformed = (value: string): Ec2Error =>
  make('InvalidAMIID.Malformed', `Invalid id: "${value}" (expecting "ami-...")`);
export const imageNotFound = (imageId: string): Ec2Error =>
  make('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
/** DescribeInstanceTypes naming a type outside the catalogue. */
export const instanceTypesNotFound = (types: readonly string[]): Ec2Error =>
  make('InvalidInstanceType', `The following supplied instance types do not exist: [${types.join(', ')}]`);
export const invalidInstanceType = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Invalid value '${value}' for InstanceType.`);
// UNCONFIRMED wording; EC2 lists the attribute names it knows.
export const unknownInstanceAttribute = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter attribute is invalid. Unknown attribute.`);
/** ModifyInstanceAttribute naming more than one attribute in one call (Terraform changes one at a time). */
export const multipleInstanceAttributes = (names: readonly string[]): Ec2Error =>
  make('InvalidParameterCombination', `Fields for multiple attribute types specified: ${names.join(', ')}`);
export const invalidShutdownBehavior = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.`);
export const invalidCpuCredits = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${value}) for parameter cpuCredits is invalid. Valid values are standard and unlimited.`);
// UNCONFIRMED wording for the zone checks, in EC2's "Value (…) for parameter …" form.
export const invalidAvailabilityZone = (value: string, zones: readonly string[]): Ec2Error =>
  make(
    'InvalidParameterValue',
    `Value (${value}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`,
  );
export const unknownAvailabilityZone = (value: string): Ec2Error =>
  make('InvalidParameterValue', `Invalid availability zone: [${value}]`);
export const placementZoneMismatch = (zone: string, subnetId: string): Ec2Error =>
  make('InvalidParameterValue', `Value (${zone}) for parameter availabilityZone is invalid. The subnet '${subnetId}' is in another availability zone.`);

// ---- The HTTP layer ----------------------------------------------------------------------------

/**
 * A request body that stopped short of its Content-Length, or chunked framing that does not parse
 * (issue 13). EC2's code for it is not documented (UNCONFIRMED): a client error, 400, never the
 * InternalError it used to be counted as.
 */
export const incompleteBody = (): Ec2Error =>
  make('IncompleteBody', 'The request body ended before the length its headers announced, or its chunked encoding is malformed.');
