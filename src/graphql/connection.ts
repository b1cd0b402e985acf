/** Relay connections with opaque keyset cursors: pages stay stable while rows are inserted. */
import { ClassType, Directive, Field, ObjectType } from 'type-graphql';
import * as cursors from '../shared/cursor';
import { type CursorKey, encodeCursor } from '../shared/cursor';
import { badInput, rethrowAsGraphQL } from './errors';

export { type CursorKey };

// A value type: other subgraphs may define it too (federation @shareable).
@Directive('@shareable')
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

/** decodeCursor of src/shared/cursor.ts for resolvers: a cursor this API did not return is BAD_USER_INPUT. */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  try {
    return cursors.decodeCursor(cursor, arity);
  } catch (err) {
    return rethrowAsGraphQL(err);
  }
}

/** decodeTimeCursor of src/shared/cursor.ts for resolvers: a cursor this API did not return is BAD_USER_INPUT. */
export function decodeTimeCursor(cursor: string, idPattern?: RegExp): { at: Date; id: string } {
  try {
    return cursors.decodeTimeCursor(cursor, idPattern);
  } catch (err) {
    return rethrowAsGraphQL(err);
  }
}

export function pageSize(first: number | null | undefined, max: number, dflt = 20): number {
  if (first === null || first === undefined) return Math.min(dflt, max);
  if (!Number.isInteger(first) || first < 0) throw badInput('`first` must be a non-negative integer', 'first');
  if (first > max) throw badInput(`\`first\` must be at most ${max}`, 'first');
  return first;
}

/**
 * Builds a connection from up to `size + 1` rows fetched in cursor order. The edges, each with its
 * cursor, are built when a query first asks for them: a page read through `nodes` needs only the
 * page's first and last cursors.
 */
export function toConnection<R, T>(rows: R[], size: number, keyOf: (r: R) => CursorKey, map: (r: R) => T, hasPrevious: boolean): ConnectionShape<T> {
  const page = rows.slice(0, size);
  const nodes = page.map(map);
  const cursorOf = (r: R) => encodeCursor(keyOf(r));
  let edges: { node: T; cursor: string }[] | undefined;
  return {
    get edges() {
      return (edges ??= page.map((r, i) => ({ node: nodes[i]!, cursor: cursorOf(r) })));
    },
    nodes,
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasPrevious,
      startCursor: page.length > 0 ? cursorOf(page[0]!) : null,
      endCursor: page.length > 0 ? cursorOf(page[page.length - 1]!) : null,
    }),
  };
}
