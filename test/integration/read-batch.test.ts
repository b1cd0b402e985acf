/**
 * A request's reads sent together (src/db/read-batch.ts): the statements its loaders send in one
 * turn travel in one packet; each still gets its own rows, a failed one its own error; inside a
 * transaction nothing is batched.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { PACKET_KEYS, readTogether } from '../../src/db/read-batch';
import { withTransaction } from '../../src/db/transaction';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder, returnInvoice } from '../support/drive';
import { packetsSent } from '../support/packets';

let t: TestApp;
before(async () => {
  t = await createTestApp({ workers: false });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const packets = (fn: () => Promise<unknown>) => packetsSent(t.dataSource, fn);

test('reads of one turn travel in one packet, each with its own rows, in the order sent', async () => {
  const ctx = RequestContext.system(t.app.services);
  let answers: unknown[] = [];
  const trips = await packets(async () => {
    answers = await Promise.all([readTogether(ctx, 'SELECT ? AS a', [1]), readTogether(ctx, 'SELECT ? AS b, ? AS c', [2, 3]), readTogether(ctx, 'SELECT ? AS d', ['x;y'])]);
  });
  assert.deepEqual(JSON.parse(JSON.stringify(answers)), [[{ a: 1 }], [{ b: 2, c: 3 }], [{ d: 'x;y' }]]);
  assert.deepEqual(trips, [['SELECT ? AS a', 'SELECT ? AS b, ? AS c', 'SELECT ? AS d']]);
  // Two requests' reads never share a packet; a read of a later turn goes in a packet of its own.
  const other = RequestContext.system(t.app.services);
  const apart = await packets(async () => {
    await Promise.all([readTogether(ctx, 'SELECT 1 AS a', []), readTogether(other, 'SELECT 2 AS a', [])]);
    await readTogether(ctx, 'SELECT 3 AS a', []);
  });
  assert.deepEqual(
    apart
      .slice(0, 2)
      .map((p) => p.join(' + '))
      .sort(),
    ['SELECT 1 AS a', 'SELECT 2 AS a'],
  );
  assert.deepEqual(apart[2], ['SELECT 3 AS a']);
  assert.equal(apart.length, 3);
});

test('a statement that fails fails alone: the others of its packet still get their rows', async () => {
  const ctx = RequestContext.system(t.app.services);
  const [a, bad, c] = await Promise.allSettled([
    readTogether(ctx, 'SELECT 1 AS a', []),
    readTogether(ctx, 'SELECT * FROM no_such_table_here', []),
    readTogether(ctx, 'SELECT 3 AS c', []),
  ]);
  assert.deepEqual(a.status === 'fulfilled' && JSON.parse(JSON.stringify(a.value)), [{ a: 1 }]);
  assert.equal(bad.status, 'rejected');
  assert.match(String((bad as PromiseRejectedResult).reason?.message), /no_such_table_here/);
  assert.deepEqual(c.status === 'fulfilled' && JSON.parse(JSON.stringify(c.value)), [{ c: 3 }]);
});

test('inside a transaction each read goes alone on the transaction connection', async () => {
  const ctx = RequestContext.system(t.app.services);
  const trips = await packets(() =>
    withTransaction(ctx, async (tx) => {
      await Promise.all([readTogether(tx, 'SELECT 1 AS a', []), readTogether(tx, 'SELECT 2 AS b', [])]);
    }),
  );
  const reads = trips.filter((p) => p.some((s) => s.startsWith('SELECT')));
  for (const p of reads) assert.equal(p.filter((s) => s.startsWith('SELECT')).length, 1, JSON.stringify(trips));
  assert.equal(reads.length, 2);
});

test("an order's lists, read by its fields, reach the database in one packet", async () => {
  const o = await paidOrder(t.sims, { total: '4000' });
  await returnInvoice(t.sims, o.orderId, '1000');
  const query = `query($id: ID!) { order(id: $id) { id invoices { id } payments { id } captures { id } refunds { id }
    settlementLines { id } erpPostings { id } interactions { id } pendingRefunds { totalPending { amount } } } }`;
  await t.gql('ADMIN', query, { id: o.orderId }); // syncs the order in
  let answer: any;
  const trips = await packets(async () => {
    answer = await t.gql('ADMIN', query, { id: o.orderId });
  });
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  assert.equal(answer.data.order.pendingRefunds.totalPending.amount, '10.00');
  const lists = trips.filter((p) => p.some((s) => / WHERE `order_id` IN \(\?\)/.test(s)));
  assert.equal(lists.length, 1, JSON.stringify(trips));
  assert.ok(lists[0]!.length >= 8, `the eight lists together: ${JSON.stringify(lists[0])}`);
});

test('statements that ask for many keys go in packets of their own, and run side by side', async () => {
  const ctx = RequestContext.system(t.app.services);
  const trips = await packets(async () => {
    await Promise.all([
      readTogether(ctx, 'SELECT 1 AS a', [], PACKET_KEYS - 1),
      readTogether(ctx, 'SELECT 2 AS a', [], 1),
      readTogether(ctx, 'SELECT 3 AS a', [], 1),
      readTogether(ctx, 'SELECT 4 AS a', [], PACKET_KEYS + 10),
      readTogether(ctx, 'SELECT 5 AS a', [], 1),
    ]);
  });
  // The packets go out side by side, each on a connection of its own: in any order.
  assert.deepEqual(trips.map((p) => p.join(' + ')).sort(), ['SELECT 1 AS a + SELECT 2 AS a', 'SELECT 3 AS a', 'SELECT 4 AS a', 'SELECT 5 AS a']);
});
