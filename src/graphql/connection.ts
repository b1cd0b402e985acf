/** Relay connections with opaque keyset cursors: pages stay stable while rows are inserted. */
import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import { badInput } from './errors';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field() hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
}

export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node) node: T;
    @Field() cursor: string;
  }
  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => [node], { description: 'The nodes of `edges`, for clients that do not need cursors.' }) nodes: T[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return Connection;
}

export type CursorKey = (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorKey {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string' || typeof k === 'number')) {
      throw new Error('shape');
    }
    return key;
  } catch {
    throw badInput('Invalid cursor: pass back a cursor this API returned', 'after');
  }
}

/** A cursor of a list ordered by (time DESC, id DESC): the row's time and id. */
export function decodeTimeCursor(cursor: string, idPattern = /^[^\s]{1,64}$/): { at: Date; id: string } {
  const [t, id] = decodeCursor(cursor, 2);
  const at = new Date(String(t));
  if (Number.isNaN(at.getTime()) || !idPattern.test(String(id))) throw badInput('Invalid cursor: pass back a cursor this API returned', 'after');
  return { at, id: String(id) };
}

export function pageSize(first: number | null | undefined, max: number, dflt = 20): number {
  if (first === null || first === undefined) return Math.min(dflt, max);
  if (!Number.isInteger(first) || first < 0) throw badInput('`first` must be a non-negative integer', 'first');
  if (first > max) throw badInput(`\`first\` must be at most ${max}`, 'first');
  return first;
}

/** Builds a connection from up to `size + 1` rows fetched in cursor order. */
export function toConnection<R, T>(rows: R[], size: number, keyOf: (r: R) => CursorKey, map: (r: R) => T, hasPrevious: boolean): ConnectionShape<T> {
  const page = rows.slice(0, size);
  const edges = page.map((r) => ({ node: map(r), cursor: encodeCursor(keyOf(r)) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    }),
  };
}

export { Int };
