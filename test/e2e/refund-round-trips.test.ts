import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { packetsSent } from '../support/packets';
import { paidOrder, returnInvoice } from '../support/drive';
import { flushPsp, key, pspFaults } from '../support/refunds';

const MUTATION = 'mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id status } userErrors { code } } }';

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

/** Every statement the service sends while `fn` runs, transaction control included. */
async function statements(fn: () => Promise<unknown>): Promise<string[]> {
  return (await packets(fn)).flat();
}

/** What the service sends while `fn` runs, one entry per round trip: its statements. */
const packets = (fn: () => Promise<unknown>) => packetsSent(t.dataSource, fn);

test('a refund: no isolation-level round trips, the order locked before every write, no order read the payload does not ask for', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  const inv = await returnInvoice(t.sims, o.orderId, '2500');
  const sent = await statements(async () => {
    const r = await t.gql('ADMIN', MUTATION, { input: { orderId: o.orderId, invoiceId: inv, reason: 'RETURN', idempotencyKey: key() } });
    assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
  });
  assert.equal(sent.filter((s) => /^SET (SESSION )?TRANSACTION/i.test(s)).length, 0);
  // Split into transactions; each one that writes a refund row has locked the order row first.
  const txs: string[][] = [];
  let open: string[] | null = null;
  for (const s of sent) {
    if (/^START TRANSACTION/i.test(s)) txs.push((open = []));
    else if (/^(COMMIT|ROLLBACK)/i.test(s)) open = null;
    else open?.push(s);
  }
  const writing = txs.filter((tx) => tx.some((s) => /^(INSERT INTO|UPDATE) `?refund`?\b/.test(s)));
  assert.ok(writing.length >= 2, 'the intent and the outcome transactions');
  for (const tx of writing) {
    // The lock is a write of the order row (certified across the nodes of a Galera cluster).
    const lock = tx.findIndex((s) => /^UPDATE `?oms_order`? SET lock_seq = lock_seq \+ 1/.test(s));
    const write = tx.findIndex((s) => /^(INSERT|UPDATE)/.test(s) && !/^UPDATE `?oms_order`?/.test(s));
    assert.ok(lock >= 0 && lock < write, tx.join('\n'));
  }
  const outside = sent.filter((s) => /FROM `oms_order`/.test(s) && !/FOR UPDATE$/.test(s));
  assert.deepEqual(outside, [], 'the payload selects no order');
});

test('the answer path: intent in 5 statements, SUBMITTED in 1, outcome in 7 (plus transaction control), in 7 round trips', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  const inv = await returnInvoice(t.sims, o.orderId, '2500');
  // The PSP's webhook waits, so the synchronous answer records the outcome.
  await pspFaults(t, { webhooks: { mode: 'hold' } });
  try {
    const trips = await packets(async () => {
      const r = await t.gql('ADMIN', MUTATION, { input: { orderId: o.orderId, invoiceId: inv, reason: 'RETURN', idempotencyKey: key() } });
      assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
    });
    const sent = trips.flat();
    const shape = sent.map((s) => {
      const m = /^(START TRANSACTION|COMMIT|ROLLBACK|SELECT|INSERT IGNORE INTO|INSERT INTO|UPDATE)\s+`?(\w+)?/.exec(s);
      if (!m) return s.slice(0, 40);
      const verb = m[1]!; // the pattern's first group is not optional
      if (verb === 'SELECT') return /FOR UPDATE$/.test(s) ? `SELECT FOR UPDATE ${/FROM `?(\w+)/.exec(s)![1]}` : 'SELECT';
      return m[2] && !/^(START|COMMIT|ROLLBACK)/.test(verb) ? `${verb} ${m[2]}` : verb;
    });
    assert.deepEqual(
      shape,
      [
        'INSERT INTO graphql_budget', // the caller's cost budget, taken before anything executes, outside any transaction
        'START TRANSACTION',
        'UPDATE oms_order', // the lock, first
        'SELECT', // the order's currency, key, hold, invoice, refunds, payments, captures: one round trip
        'INSERT INTO idempotency_key', // first: a key taken meanwhile is heard of here
        'INSERT INTO refund',
        'INSERT INTO audit_log',
        'COMMIT',
        'UPDATE refund', // SUBMITTED, outside any transaction; then the PSP call
        'START TRANSACTION',
        'UPDATE oms_order',
        'SELECT FOR UPDATE refund', // with the invoice's other SUCCEEDED refunds
        'UPDATE refund', // and the idempotency key, DONE
        'INSERT INTO oms_invoice_data',
        'INSERT IGNORE INTO oms_interaction',
        'INSERT IGNORE INTO outbox_message',
        'INSERT INTO audit_log',
        'COMMIT',
      ],
      sent.join('\n'),
    );
    // Statements nobody reads the answer of travel with the next one (src/db/pipeline.ts): the
    // transaction's start with its first statement, the lock with the read after it, the writes with COMMIT.
    assert.deepEqual(
      trips.map((p) => p.length),
      [1, 3, 1, 3, 1, 3, 6],
      trips.map((p) => p.map((s) => s.slice(0, 40)).join(' | ')).join('\n'),
    );
    assert.deepEqual(trips[3]!.at(-1), 'COMMIT');
    assert.deepEqual(trips[6]!.at(-1), 'COMMIT');
    // What those statements wrote adds up: invoiceData from the ledger, the key done, three effects owed.
    const [d] = await t.dataSource.query("SELECT refunded_minor, refund_ids FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH'", [o.orderId]);
    const refunds: { id: string }[] = await t.dataSource.query("SELECT id FROM refund WHERE order_id = ? AND status = 'SUCCEEDED'", [o.orderId]);
    assert.equal(String(d.refunded_minor), '2500');
    assert.deepEqual(
      JSON.parse(d.refund_ids),
      refunds.map((r) => r.id),
    );
    const [first] = refunds;
    assert.ok(first, 'a succeeded refund');
    const [k] = await t.dataSource.query('SELECT status FROM idempotency_key WHERE refund_id = ?', [first.id]);
    assert.equal(k.status, 'DONE');
    const topics: { topic: string }[] = await t.dataSource.query('SELECT topic FROM outbox_message WHERE order_id = ? ORDER BY topic', [o.orderId]);
    assert.deepEqual(
      topics.map((x) => x.topic),
      ['erp.post', 'oms.interaction', 'oms.invoiceData'],
    );
  } finally {
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await flushPsp(t);
  }
});

test('a second refund of the invoice: invoiceData lists both, oldest first, from the ledger', async () => {
  const o = await paidOrder(t.sims, { total: '10000' });
  const inv = await returnInvoice(t.sims, o.orderId, '2500');
  await pspFaults(t, { webhooks: { mode: 'hold' } });
  try {
    for (const amount of ['10.00', '15.00']) {
      const r = await t.gql('ADMIN', MUTATION, { input: { orderId: o.orderId, invoiceId: inv, amount, reason: 'RETURN', idempotencyKey: key() } });
      assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
    }
    const refunds: { id: string }[] = await t.dataSource.query("SELECT id FROM refund WHERE order_id = ? AND status = 'SUCCEEDED' ORDER BY created_at, id", [o.orderId]);
    assert.equal(refunds.length, 2);
    const [d] = await t.dataSource.query("SELECT refunded_minor, refund_ids FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH'", [o.orderId]);
    assert.equal(String(d.refunded_minor), '2500');
    assert.deepEqual(
      JSON.parse(d.refund_ids),
      refunds.map((r) => r.id),
    );
  } finally {
    await pspFaults(t, { webhooks: { mode: 'immediate' } });
    await flushPsp(t);
  }
});

test('every pooled connection reads committed', async () => {
  const runners = await Promise.all(
    Array.from({ length: 5 }, async () => {
      const qr = t.dataSource.createQueryRunner();
      await qr.connect();
      return qr;
    }),
  );
  try {
    for (const qr of runners) {
      const [row] = await qr.query('SELECT @@tx_isolation AS level');
      assert.equal(row.level, 'READ-COMMITTED');
    }
  } finally {
    await Promise.all(runners.map((qr) => qr.release()));
  }
  await t.dataSource.transaction(async (em) => {
    const [row] = await em.query('SELECT @@tx_isolation AS level');
    assert.equal(row.level, 'READ-COMMITTED');
  });
});
