import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder, returnInvoice } from '../support/drive';
import { key } from '../support/refunds';

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
  const logger = t.dataSource.logger as { logQuery(q: string): void };
  const original = logger.logQuery;
  const seen: string[] = [];
  logger.logQuery = function (q: string) {
    seen.push(q);
    return original.call(this, q);
  };
  try {
    await fn();
  } finally {
    logger.logQuery = original;
  }
  return seen;
}

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
  const writing = txs.filter((tx) => tx.some((s) => /^(INSERT INTO|UPDATE) `refund`/.test(s)));
  assert.ok(writing.length >= 2, 'the intent and the outcome transactions');
  for (const tx of writing) {
    const lock = tx.findIndex((s) => /FROM `?oms_order`?.*FOR UPDATE$/s.test(s));
    const write = tx.findIndex((s) => /^(INSERT|UPDATE)/.test(s));
    assert.ok(lock >= 0 && lock < write, tx.join('\n'));
  }
  const outside = sent.filter((s) => /FROM `oms_order`/.test(s) && !/FOR UPDATE$/.test(s));
  assert.deepEqual(outside, [], 'the payload selects no order');
});

test('every pooled connection reads committed', async () => {
  const runners = await Promise.all(Array.from({ length: 5 }, async () => {
    const qr = t.dataSource.createQueryRunner();
    await qr.connect();
    return qr;
  }));
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
