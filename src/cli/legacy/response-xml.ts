import { XMLParser } from 'fast-xml-parser';

/**
 * Reading the endpoint's XML. Like the Java tools we accept any namespace and ignore elements we
 * do not print (spec/cli.md §3), but insist on the elements we do print.
 */

/** A `groups/item` of an `ipPermissions` item (api.md §3.2). */
export interface UserIdGroupPairItem {
  readonly userId: string;
  readonly groupId: string;
  /** Present for Classic pairs only. */
  readonly groupName: string;
}

/** An `ipPermissions`/`ipPermissionsEgress` item; IPv6 ranges and prefix lists are not kept (spec/cli.md §5.3). */
export interface IpPermissionItem {
  readonly ipProtocol: string;
  /** Empty when the element is absent (protocols without ports). */
  readonly fromPort: string;
  readonly toPort: string;
  readonly cidrIps: readonly string[];
  readonly groups: readonly UserIdGroupPairItem[];
}

/** A `tagSet/item`. */
export interface TagItem {
  readonly key: string;
  readonly value: string;
}

/** A `securityGroupInfo/item` (api.md §3.3); `vpcId` is empty for Classic groups. */
export interface SecurityGroupItem {
  readonly ownerId: string;
  readonly groupId: string;
  readonly groupName: string;
  readonly groupDescription: string;
  readonly vpcId: string;
  readonly ipPermissions: readonly IpPermissionItem[];
  readonly ipPermissionsEgress: readonly IpPermissionItem[];
  readonly tagSet: readonly TagItem[];
}

/** The `Errors/Error` of an error envelope (errors.md §1). */
export interface ErrorItem {
  readonly code: string;
  readonly message: string;
}

/** The body is not XML, or lacks an element the command needs. */
export class ResponseFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResponseFormatError';
  }
}

type XmlNode = string | { readonly [name: string]: XmlNode | readonly XmlNode[] };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  // Descriptions and names may start or end with spaces; keep them as sent.
  trimValues: false,
  processEntities: true,
  // Decodes numeric character references (&#233;) besides the five XML entities.
  htmlEntities: true,
  isArray: (name) => name === 'item',
});

/** Returns the error envelope's first error. Throws `ResponseFormatError` when the body is not one. */
export function errorFromResponseBody(body: string): ErrorItem {
  const root = child(parseDocument(body), 'Response');
  const error = child(child(root, 'Errors'), 'Error');
  const code = text(error, 'Code');
  if (code === '') throw new ResponseFormatError('no Errors/Error/Code element');
  return { code, message: text(error, 'Message') };
}

/** Returns the groups of a DescribeSecurityGroups response, in response order. Throws `ResponseFormatError`. */
export function securityGroupsFromDescribeResponse(body: string): SecurityGroupItem[] {
  const root = child(parseDocument(body), 'DescribeSecurityGroupsResponse');
  if (root === undefined) throw new ResponseFormatError('no DescribeSecurityGroupsResponse element');
  return items(child(root, 'securityGroupInfo')).map((group) => ({
    ownerId: text(group, 'ownerId'),
    groupId: text(group, 'groupId'),
    groupName: text(group, 'groupName'),
    groupDescription: text(group, 'groupDescription'),
    vpcId: text(group, 'vpcId'),
    ipPermissions: items(child(group, 'ipPermissions')).map(ipPermissionFromItem),
    ipPermissionsEgress: items(child(group, 'ipPermissionsEgress')).map(ipPermissionFromItem),
    tagSet: items(child(group, 'tagSet')).map((tag) => ({ key: text(tag, 'key'), value: text(tag, 'value') })),
  }));
}

/** Returns the `groupId` of a CreateSecurityGroup response. Throws `ResponseFormatError` when it is missing. */
export function groupIdFromCreateResponse(body: string): string {
  const groupId = text(child(parseDocument(body), 'CreateSecurityGroupResponse'), 'groupId');
  if (groupId === '') throw new ResponseFormatError('no CreateSecurityGroupResponse/groupId element');
  return groupId;
}

function ipPermissionFromItem(item: XmlNode): IpPermissionItem {
  return {
    ipProtocol: text(item, 'ipProtocol'),
    fromPort: text(item, 'fromPort'),
    toPort: text(item, 'toPort'),
    cidrIps: items(child(item, 'ipRanges')).map((range) => text(range, 'cidrIp')),
    groups: items(child(item, 'groups')).map((pair) => ({
      userId: text(pair, 'userId'),
      groupId: text(pair, 'groupId'),
      groupName: text(pair, 'groupName'),
    })),
  };
}

function parseDocument(body: string): XmlNode {
  try {
    return parser.parse(body, true) as XmlNode;
  } catch (error) {
    throw new ResponseFormatError(error instanceof Error ? error.message : String(error));
  }
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  if (value === undefined) return undefined;
  return isNodeList(value) ? value[0] : value;
}

function items(wrapper: XmlNode | undefined): readonly XmlNode[] {
  if (wrapper === undefined || typeof wrapper === 'string') return [];
  const value = wrapper['item'];
  if (value === undefined) return [];
  return isNodeList(value) ? value : [value];
}

function text(node: XmlNode | undefined, name: string): string {
  const value = child(node, name);
  return typeof value === 'string' ? value : '';
}

function isNodeList(value: XmlNode | readonly XmlNode[]): value is readonly XmlNode[] {
  return Array.isArray(value);
}
