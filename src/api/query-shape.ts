import {
  invalidListIndex,
  invalidParameterValueFor,
  unknownParameter,
} from '../domain/ec2-errors.js';

/**
 * The shape of an action's parameters in the EC2 query protocol (spec/api.md §1.2): scalars,
 * structures (`Name.Member`) and flattened lists (`Name.1`, `Name.2`, …, 1-based, ordered by
 * index). Member keys are the wire names; decoding yields the same names with a lower-case first
 * letter, so decoding the wire into the domain stays mechanical.
 */
export type Shape = ScalarShape | ListShape | StructShape;
export type ScalarShape = { readonly kind: 'string' } | { readonly kind: 'integer' } | { readonly kind: 'boolean' };
export interface ListShape {
  readonly kind: 'list';
  readonly member: Shape;
}
export interface StructShape {
  readonly kind: 'struct';
  readonly members: Readonly<Record<string, Shape>>;
}

export const string = { kind: 'string' } as const;
export const integer = { kind: 'integer' } as const;
export const boolean = { kind: 'boolean' } as const;
export const list = <M extends Shape>(member: M) => ({ kind: 'list', member }) as const;
export const struct = <M extends Record<string, Shape>>(members: M) => ({ kind: 'struct', members }) as const;

/** The decoded value of a shape: lists are always present (absent = empty, spec/api.md §1.2). */
export type Decoded<S> = S extends { readonly kind: 'string' }
  ? string
  : S extends { readonly kind: 'integer' }
    ? number
    : S extends { readonly kind: 'boolean' }
      ? boolean
      : S extends { readonly kind: 'list'; readonly member: infer M }
        ? Decoded<M>[]
        : S extends { readonly kind: 'struct'; readonly members: infer M }
          ? DecodedStruct<M>
          : never;

type DecodedStruct<M> = {
  readonly [K in keyof M as M[K] extends { readonly kind: 'list' } ? Uncapitalize<K & string> : never]: Decoded<M[K]>;
} & {
  readonly [K in keyof M as M[K] extends { readonly kind: 'list' } ? never : Uncapitalize<K & string>]?: Decoded<M[K]>;
};

/**
 * A node of the parameter tree built from dotted names before typing. Most nodes are leaves, so
 * `children` exists only once a node has one, and the full wire name is built only for an error
 * message (`wireName`): decoding runs on every request.
 */
interface Node {
  value?: string;
  /** The enclosing node; undefined for the root. */
  readonly parent: Node | undefined;
  /** This node's own segment of the wire name (`IpRanges`, `1`). */
  readonly segment: string;
  children?: Map<string, Node>;
}

/**
 * Decodes flat query parameters into the typed value of `shape`. Unknown names → UnknownParameter
 * (spec/errors.md §3.1); malformed integers/booleans → InvalidParameterValue; list indices that are
 * not positive integers → InvalidParameterValue (UNCONFIRMED, spec/api.md §1.2).
 */
export function decodeParameters<S extends StructShape>(shape: S, params: Iterable<[string, string]>): Decoded<S> {
  const root: Node = { parent: undefined, segment: '' };
  for (const [name, value] of params) {
    let node = root;
    for (const segment of name.split('.')) {
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { parent: node, segment };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  return decodeStruct(shape, root) as Decoded<S>;
}

/** The full wire name of a node (`IpPermissions.1.IpRanges`), for error messages. */
function wireName(node: Node): string {
  return node.parent === undefined || node.parent.parent === undefined ? node.segment : `${wireName(node.parent)}.${node.segment}`;
}

function decodeNode(shape: Shape, node: Node): unknown {
  switch (shape.kind) {
    case 'struct':
      if (node.value !== undefined) throw unknownParameter(wireName(node));
      return decodeStruct(shape, node);
    case 'list':
      if (node.value !== undefined) throw unknownParameter(wireName(node));
      return decodeList(shape, node);
    default:
      if (node.children !== undefined) throw unknownParameter(wireName(first(node.children)));
      return decodeScalar(shape, node, node.value ?? '');
  }
}

/** A struct member as the decoder walks it: wire name, decoded key, shape. */
interface Member {
  readonly wire: string;
  readonly key: string;
  readonly shape: Shape;
}

/** Each struct shape's members, listed once: decoding runs on every request (no per-call allocation). */
const MEMBERS = new WeakMap<StructShape, readonly Member[]>();

function membersOf(shape: StructShape): readonly Member[] {
  let members = MEMBERS.get(shape);
  if (members === undefined) {
    members = Object.entries(shape.members).map(([wire, memberShape]) => ({ wire, key: wire.charAt(0).toLowerCase() + wire.slice(1), shape: memberShape }));
    MEMBERS.set(shape, members);
  }
  return members;
}

/** What a node without children iterates over. */
const NO_CHILDREN: ReadonlyMap<string, Node> = new Map();

function decodeStruct(shape: StructShape, node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = node.children ?? NO_CHILDREN;
  for (const member of membersOf(shape)) {
    const child = children.get(member.wire);
    if (child === undefined) {
      if (member.shape.kind === 'list') out[member.key] = [];
      continue;
    }
    out[member.key] = decodeNode(member.shape, child);
  }
  for (const [segment, child] of children) {
    if (!Object.hasOwn(shape.members, segment)) throw unknownParameter(wireName(child));
  }
  return out;
}

function decodeList(shape: ListShape, node: Node): unknown[] {
  const items: [number, unknown][] = [];
  for (const [segment, child] of node.children ?? NO_CHILDREN) {
    if (!/^[1-9][0-9]{0,8}$/.test(segment)) throw invalidListIndex(wireName(child));
    items.push([Number(segment), decodeNode(shape.member, child)]);
  }
  // Indices need not be contiguous; order by numeric index (spec/api.md §1.2, peer).
  items.sort((a, b) => a[0] - b[0]);
  return items.map(([, v]) => v);
}

function decodeScalar(shape: ScalarShape, node: Node, value: string): unknown {
  switch (shape.kind) {
    case 'string':
      return value;
    case 'integer': {
      // Integers: optional sign and digits (spec/api.md §1).
      if (!/^[+-]?[0-9]{1,15}$/.test(value)) throw invalidParameterValueFor(wireName(node), value, 'Expected an integer.');
      return Number(value);
    }
    case 'boolean': {
      const lower = value.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidParameterValueFor(wireName(node), value, 'Expected a boolean.');
      return lower === 'true';
    }
  }
}

function first(children: Map<string, Node>): Node {
  for (const child of children.values()) return child;
  throw new Error('no children');
}
