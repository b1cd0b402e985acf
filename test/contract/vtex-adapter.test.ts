/**
 * The VTEX OMS adapter against the VTEX simulator: VTEX refunds return invoices by itself, so
 * moneygraph never does — it reconciles VTEX Payments' refunds against the return invoices and
 * raises a return VTEX did not refund (the field report of an Input invoice with no "Refund
 * Payment") as an exception. Also: the Orders Hook's authentication and ping, the notification
 * stored before the answer and applied after it, the Feed v3 backup, and throttling.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { refreshExceptions } from '../../src/reconciliation/exceptions.service';
import { UpstreamError } from '../../src/shared/http-client';
import { pullVtexFeed, VtexOmsAdapter } from '../../src/systems/oms';
import { EXCEPTIONS_QUERY } from '../support/recon';
import { orderView, pspRefunds, refundInvoice, rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startVtex, until, VTEX_HOOK_HEADER, VTEX_HOOK_SECRET, type VtexHarness } from './oms-fixtures';

let h: VtexHarness;
before(async () => {
  // A return invoice is due at once (no grace), so the reconciliation sees a forgotten refund immediately.
  // The OMS copy of invoiceData may lag for 1 s only: VTEX keeps none, so none may ever be reported as drifting.
  h = await startVtex({ INPUT_INVOICE_REFUND_GRACE_SECONDS: '0', INVOICE_DATA_DRIFT_WINDOW_SECONDS: '1', UPSTREAM_BREAKER_THRESHOLD: '2' });
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

const hook = (body: unknown, headers: Record<string, string> = { [VTEX_HOOK_HEADER]: VTEX_HOOK_SECRET }) =>
  fetch(`${h.t.url}/webhooks/oms/vtex`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const notification = (orderId: string, over: Record<string, unknown> = {}) => ({
  Domain: 'Fulfillment',
  OrderId: orderId,
  State: 'invoiced',
  LastState: 'handling',
  LastChange: '2026-12-01T10:00:00.0000000+00:00',
  CurrentChange: `2026-12-01T10:00:0${Math.floor(Math.random() * 10)}.${String(Math.random()).slice(2, 9)}+00:00`,
  Origin: { Account: h.vtex.account, Key: h.vtex.appKey },
  ...over,
});
const refundRows = (orderId: string) => rows(h.t, 'SELECT origin, status, amount_minor, invoice_id, psp_refund_id FROM refund WHERE order_id = ? ORDER BY created_at', [orderId]);

test('a VTEX return invoice is refunded by VTEX and never by moneygraph: the ledger records VTEX’s refund against the invoice', async () => {
  const orderId = await h.createOrder(10_000);
  const ret = await h.returnInvoice(orderId, 3_000);
  const [vtexRefund] = h.vtex.refundsOf(orderId);
  assert.ok(vtexRefund, 'VTEX Payments refunded the Input invoice by itself');
  const recorded = await until('VTEX’s refund in the ledger, against the invoice', async () => (await refundRows(orderId)).find((r) => r.status === 'SUCCEEDED' && r.invoice_id));
  assert.deepEqual([recorded.origin, String(recorded.amount_minor), recorded.invoice_id, recorded.psp_refund_id], ['PSP', '3000', ret, vtexRefund.id]);

  // Nothing moneygraph would pay with: no automatic refund queued, nothing sent to a PSP.
  assert.deepEqual(await rows(h.t, "SELECT id FROM outbox_message WHERE topic = 'refund.auto' AND order_id = ?", [orderId]), []);
  assert.equal(pspRefunds(h.t, orderId).length, 0);

  // An admin's refund of the same invoice is refused with a typed error that says why.
  const r = (await refundInvoice(h.t, { orderId, invoiceId: ret })).data.refundInvoice;
  assert.equal(r.refund, null);
  assert.equal(r.userErrors[0]?.code, 'OMS_REFUNDS_ITSELF');
  assert.match(r.userErrors[0]?.message, /refunds return invoices by itself/);
  assert.equal((await refundRows(orderId)).length, 1, 'still only VTEX’s refund');
  assert.equal(h.vtex.refundsOf(orderId).length, 1, 'VTEX refunded once');

  // VTEX keeps no invoiceData: the OMS copy is absent and never claimed in sync.
  const view = await h.t.gql(
    'SUPPORT',
    `query($id: ID!) { order(id: $id) { invoiceData { omsKeepsCopy inSync entries { invoiceId inSync refunded { amount } omsRefunded { amount } } } } }`,
    {
      id: orderId,
    },
  );
  const d = view.data.order.invoiceData;
  assert.equal(d.omsKeepsCopy, false);
  assert.equal(d.inSync, null);
  const entry = d.entries.find((e: any) => e.invoiceId === ret);
  assert.deepEqual([entry.refunded.amount, entry.omsRefunded, entry.inSync], ['30.00', null, null]);
});

test('a return invoice VTEX "forgot" to refund raises the return-not-refunded exception, money as decimal strings, and moneygraph pays nothing', async () => {
  const orderId = await h.createOrder(20_000);
  const paid = await h.returnInvoice(orderId, 2_000);
  h.vtex.faults.forgetRefundNext = 1;
  const forgotten = await h.returnInvoice(orderId, 5_000);
  assert.equal(h.vtex.refundsOf(orderId).length, 1, 'VTEX refunded the first return only');
  await until('both return invoices', async () => (await rows(h.t, "SELECT id FROM oms_invoice WHERE order_id = ? AND kind = 'INPUT'", [orderId])).length === 2);
  await until('VTEX’s refund of the first', async () => (await refundRows(orderId)).some((r) => r.invoice_id === paid));

  await new Promise((r) => setTimeout(r, 1100)); // past the drift window of the OMS copy VTEX does not keep
  await refreshExceptions(RequestContext.system(h.t.app.services), { force: true });
  const drift = await h.t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { orderId, kinds: ['INVOICE_DATA_DRIFT'] }, first: 10 });
  assert.deepEqual(drift.data.moneyExceptions.edges, [], 'no invoiceData drift: VTEX keeps no copy to drift');
  const listed = await h.t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { orderId, kinds: ['INPUT_INVOICE_NOT_REFUNDED'] }, first: 10 });
  const nodes = listed.data.moneyExceptions.edges.map((e: any) => e.node);
  assert.equal(nodes.length, 1, 'one exception: the forgotten return, not the refunded one');
  assert.equal(nodes[0].evidence.invoiceReference, forgotten);
  assert.deepEqual(nodes[0].evidence.amount, { amount: '50.00', currencyCode: 'EUR' });
  assert.match(nodes[0].detail, /50\.00 EUR/);
  assert.equal(pspRefunds(h.t, orderId).length, 0, 'reconciled, not paid');
  assert.equal((await orderView(h.t, orderId)).refunds.length, 1);
});

test('the Orders Hook is authenticated by its configured header and Origin, and answers the configuration ping', async () => {
  const orderId = await h.createOrder(1_000);
  const before = await rows(h.t, "SELECT COUNT(*) n FROM webhook_event WHERE source = 'OMS'");
  assert.equal((await hook(notification(orderId), {})).status, 401, 'no header');
  assert.equal((await hook(notification(orderId), { [VTEX_HOOK_HEADER]: 'wrong-secret-0123456789abcdef' })).status, 401, 'wrong header');
  assert.equal((await hook(notification(orderId, { Origin: { Account: 'another-store', Key: h.vtex.appKey } }))).status, 401, 'another account');
  assert.equal((await hook(notification(orderId, { Origin: { Account: h.vtex.account, Key: 'vtexappkey-someone-else' } }))).status, 401, 'another AppKey');
  assert.equal((await hook({ hookConfig: 'ping' }, {})).status, 401, 'a ping without the header');
  assert.deepEqual(await rows(h.t, "SELECT COUNT(*) n FROM webhook_event WHERE source = 'OMS'"), before, 'nothing refused was stored');

  const ping = await hook({ hookConfig: 'ping' });
  assert.equal(ping.status, 200);
  assert.deepEqual(await ping.json(), { hookConfig: 'pong' });
  assert.equal(await h.vtex.hook.ping(), 200, 'the simulator’s configuration ping, with its headers, is answered');
});

test('a notification is stored before it is answered and applied after; a redelivery is a duplicate; VTEX’s retries deliver what was refused', async () => {
  const orderId = await h.createOrder(4_000);
  const n = notification(orderId);
  const res = await hook(n);
  const body: any = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.result, 'waiting', 'answered once stored; the order is read back after the answer');
  assert.equal(body.eventId, `vtex:${orderId}:${n.CurrentChange}`);
  await until('the notification applied', async () => (await rows(h.t, 'SELECT status FROM webhook_event WHERE event_id = ?', [body.eventId]))[0]?.status === 'PROCESSED');
  const again: any = await (await hook(n)).json();
  assert.equal(again.duplicate, true);

  // The hook's header is wrong for a while (a secret rotated on one side only): VTEX retries, nothing is lost.
  h.vtex.hook.configure({ headers: { [VTEX_HOOK_HEADER]: 'stale-secret-0123456789abcdef' } });
  const late = await h.createOrder(6_000);
  assert.equal(h.vtex.hook.deliveries.at(-1)?.status, 401);
  assert.deepEqual(await rows(h.t, 'SELECT id FROM oms_order WHERE id = ?', [late]), []);
  h.vtex.hook.configure({ headers: { [VTEX_HOOK_HEADER]: VTEX_HOOK_SECRET } });
  assert.ok((await h.vtex.hook.retry()) >= 1);
  await until('the retried order', async () => (await rows(h.t, 'SELECT id FROM oms_order WHERE id = ?', [late]))[0]);
});

test('the Feed v3 backs the hook up: items are stored, committed by handle, and dedupe with the hook', async () => {
  await pullVtexFeed(h.t.app.services); // what earlier tests left in the feed
  while ((await pullVtexFeed(h.t.app.services)).read > 0);
  h.vtex.hook.hold = true;
  const orderId = await h.createOrder(7_000);
  const ret = await h.returnInvoice(orderId, 1_500);
  const round = await pullVtexFeed(h.t.app.services);
  assert.deepEqual([round.read, round.stored, round.committed], [3, 3, 3]);
  assert.equal(h.vtex.hook.feedSize, 0, 'committed items left the feed');
  await until('the order from the feed', async () => (await rows(h.t, "SELECT id FROM oms_invoice WHERE id = ? AND kind = 'INPUT'", [ret]))[0]);
  // The held hook deliveries arrive late: the same changes, so duplicates, applied once.
  h.vtex.hook.hold = false;
  assert.equal(await h.vtex.hook.flush(), 3);
  const events = await rows(h.t, 'SELECT replay_count FROM webhook_event WHERE event_id LIKE ?', [`vtex:${orderId}:%`]);
  assert.deepEqual(
    events.map((e) => Number(e.replay_count)),
    [1, 1, 1],
  );
});

test('a 429 is waited out (Retry-After) and never opens the circuit breaker; past the wait budget it fails as throttled, still not counted', async () => {
  const orderId = await h.createOrder(2_000);
  const vtex = h.port as VtexOmsAdapter;
  h.vtex.faults.throttleLimit = 1;
  h.vtex.faults.throttleWindowMs = 1000;
  try {
    for (let i = 0; i < 2; i++) assert.equal((await vtex.getOrder(h.ctx, orderId))?.order.id, orderId);
    const throttled = h.vtex.calls.filter((c) => c.status === 429).length;
    assert.ok(throttled >= 2, `VTEX answered 429 ${throttled} times`);
    assert.equal(vtex.http.circuitState, 'closed', 'more 429s than the breaker threshold (2), circuit closed');

    const impatient = new VtexOmsAdapter({ ...vtex.config, maxThrottleWaitMs: 0 }, 1000, { breakerThreshold: 1, retries: 0 });
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++)
      errors.push(
        await impatient.getOrder(h.ctx, orderId).then(
          () => null,
          (e: unknown) => e,
        ),
      );
    const refused = errors.filter((e): e is UpstreamError => e instanceof UpstreamError);
    assert.ok(refused.length >= 2, `throttled past the budget: ${refused.length} of 3 calls failed`);
    for (const e of refused) assert.deepEqual([e.status, e.outcomeUnknown], [429, false], 'a 429 is a known outcome: VTEX did nothing');
    assert.equal(impatient.http.circuitState, 'closed');
  } finally {
    h.vtex.faults.throttleLimit = 0;
  }
});
