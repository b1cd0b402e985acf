/**
 * Relay connections (src/graphql/connection.ts): one row more than the page tells that a next page
 * exists; the edges, built when first asked for, carry the same nodes and the cursors pageInfo names.
 */
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toConnection } from '../../src/graphql/connection';
import { decodeCursor } from '../../src/shared/cursor';

const rows = [
  { at: '2026-12-01T10:00:00.000Z', id: 'c' },
  { at: '2026-12-01T09:00:00.000Z', id: 'b' },
  { at: '2026-12-01T08:00:00.000Z', id: 'a' },
];

test('a page of two from three rows: its nodes, its edges with their cursors, and pageInfo agree', () => {
  let mapped = 0;
  const c = toConnection(
    rows,
    2,
    (r) => [r.at, r.id],
    (r) => (mapped++, { id: r.id }),
    true,
  );
  assert.deepEqual(
    c.nodes.map((n) => n.id),
    ['c', 'b'],
  );
  assert.equal(mapped, 2, 'each row of the page mapped once, the extra row not at all');
  assert.deepEqual(
    c.edges.map((e) => decodeCursor(e.cursor, 2)),
    [
      [rows[0]!.at, 'c'],
      [rows[1]!.at, 'b'],
    ],
  );
  assert.equal(c.edges[0]!.node, c.nodes[0], 'the same node objects');
  assert.equal(c.edges, c.edges, 'built once');
  assert.equal(mapped, 2);
  assert.deepEqual({ ...c.pageInfo }, { hasNextPage: true, hasPreviousPage: true, startCursor: c.edges[0]!.cursor, endCursor: c.edges[1]!.cursor });
});

test('an empty page has no cursors and no next page', () => {
  const c = toConnection(
    [] as typeof rows,
    2,
    (r) => [r.at, r.id],
    (r) => r,
    false,
  );
  assert.deepEqual(c.edges, []);
  assert.deepEqual({ ...c.pageInfo }, { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
});
