/** The outbox: dedupe, claim with SKIP LOCKED, backoff, dead letters, expired claims, OMS acknowledgement. */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { drainOutbox, enqueue, registerOutboxHandler, runOutboxRound } from '../../src/outbox';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { refundInvoice, rows } from '../support/refunds';

let t: TestApp;
let ctx: RequestContext;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_MS: '60000' } });
  ctx = RequestContext.system(t.app.services);
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await drainOutbox(t.app.services);
  await t.dataSource.query("DELETE FROM outbox_message WHERE topic LIKE 'test.%'");
});

test('enqueue keeps the first message of a dedupe key and refuses to run outside a transaction', async () => {
  await withTransaction(ctx, async (tx) => {
    await enqueue(tx, 'test.noop', 'test:dedupe', null, { n: 1 });
    await enqueue(tx, 'test.noop', 'test:dedupe', null, { n: 2 });
  });
  assert.deepEqual(await rows(t, "SELECT payload FROM outbox_message WHERE dedupe_key = 'test:dedupe'"), [{ payload: '{"n":1}' }]);
  await assert.rejects(() => enqueue(ctx, 'test.noop', 'test:outside', null, {}), /inside the transaction/);
});

test('dedupe keys longer than 191 characters keep their uniqueness: two keys differing at the end are two messages', async () => {
  const base = `test:long:${'k'.repeat(200)}`;
  await withTransaction(ctx, async (tx) => {
    await enqueue(tx, 'test.noop', `${base}:a`, null, { n: 'a' });
    await enqueue(tx, 'test.noop', `${base}:b`, null, { n: 'b' });
    await enqueue(tx, 'test.noop', `${base}:a`, null, { n: 'a again' });
  });
  const got = await rows(t, "SELECT dedupe_key, payload FROM outbox_message WHERE topic = 'test.noop' AND dedupe_key LIKE 'sha256:%' ORDER BY payload");
  assert.deepEqual(
    got.map((r: any) => r.payload),
    ['{"n":"a"}', '{"n":"b"}'],
  );
  for (const r of got) assert.match(r.dedupe_key, /^sha256:[0-9a-f]{64}$/);
});

test('two workers claiming at once share the queue without overlap (FOR UPDATE SKIP LOCKED)', async () => {
  const seen: string[] = [];
  registerOutboxHandler(t.app.services, 'test.slow', async (_c, m) => {
    seen.push(m.dedupeKey);
    await new Promise((r) => setTimeout(r, 50));
  });
  await withTransaction(ctx, async (tx) => {
    for (let i = 0; i < 20; i++) await enqueue(tx, 'test.slow', `test:slow:${i}`, null, {});
  });
  const [x, y] = await Promise.all([runOutboxRound(t.app.services, { limit: 12 }), runOutboxRound(t.app.services, { limit: 12 })]);
  assert.ok(x.claimed > 0 && y.claimed > 0, 'both workers got messages');
  assert.equal(seen.length, x.claimed + y.claimed);
  // A row the other scan had just locked is skipped, not waited for: the next round takes it.
  await drainOutbox(t.app.services);
  assert.equal(new Set(seen).size, seen.length, 'no message ran twice');
  assert.equal(seen.length, 20);
});

test('a failing handler is retried with backoff, then dead-lettered after the configured attempts', async () => {
  let calls = 0;
  registerOutboxHandler(t.app.services, 'test.fail', async () => {
    calls++;
    throw new Error('upstream says no');
  });
  await withTransaction(ctx, (tx) => enqueue(tx, 'test.fail', 'test:fail', null, {}));
  const first = await runOutboxRound(t.app.services);
  assert.equal(first.retried, 1);
  const [m] = await rows(t, "SELECT status, attempts, last_error, next_attempt_at FROM outbox_message WHERE dedupe_key = 'test:fail'");
  assert.deepEqual([m.status, m.attempts, m.last_error], ['PENDING', 1, 'upstream says no']);
  assert.ok(new Date(m.next_attempt_at).getTime() > Date.now() + 10_000, 'rescheduled into the future');
  assert.equal((await runOutboxRound(t.app.services)).claimed, 0, 'not due yet');
  assert.equal((await drainOutbox(t.app.services)).retried, 1, 'a drain stops at a round that delivered nothing');
  await runOutboxRound(t.app.services, { ignoreSchedule: true });
  const [dead] = await rows(t, "SELECT status, attempts FROM outbox_message WHERE dedupe_key = 'test:fail'");
  assert.deepEqual([dead.status, dead.attempts, calls], ['DEAD', 3, 3]);
});

test('a claim whose worker died expires and the message is delivered by another', async () => {
  let calls = 0;
  registerOutboxHandler(t.app.services, 'test.ok', async () => void calls++);
  await withTransaction(ctx, (tx) => enqueue(tx, 'test.ok', 'test:orphan', null, {}));
  await t.dataSource.query("UPDATE outbox_message SET status = 'RUNNING', attempts = 1, locked_until = ? WHERE dedupe_key = 'test:orphan'", [new Date(Date.now() - 1000)]);
  await runOutboxRound(t.app.services);
  assert.equal(calls, 1);
  assert.deepEqual(await rows(t, "SELECT status FROM outbox_message WHERE dedupe_key = 'test:orphan'"), [{ status: 'DONE' }]);
});

test("the OMS invoiceData update is retried until the OMS acknowledges, and the OMS's copy is mirrored", async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '1200');
  const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  await call(t.sims.urls.oms, 'POST', '/_faults', { failNext: 4, failStatus: 503, webhooks: { dropNext: 10 } });
  await drainOutbox(t.app.services);
  await call(t.sims.urls.oms, 'POST', '/_faults', { failNext: 0, webhooks: { dropNext: 0 } });
  const [m] = await rows(t, "SELECT status, attempts FROM outbox_message WHERE order_id = ? AND topic = 'oms.invoiceData'", [o.orderId]);
  assert.equal(m.status, 'DONE');
  assert.deepEqual(t.sims.oms.state.invoiceData.get(o.orderId)!.entries, [{ invoiceNumber: inv, refunded: 1200n, refundIds: [p.refund.id] }]);
  // The OMS's webhooks were lost; the acknowledged answer alone updated moneygraph's view of the OMS copy.
  const [copy] = await rows(t, "SELECT refunded_minor FROM oms_invoice_data WHERE order_id = ? AND copy = 'OMS'", [o.orderId]);
  assert.equal(copy.refunded_minor, '1200');
});
