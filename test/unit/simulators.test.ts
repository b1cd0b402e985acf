import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { WebhookSender, listen, startSimulators, type Simulators } from '../../src/simulators';

const SECRETS = { OMS: 'test-oms-secret-0123456789', PSP: 'test-psp-secret-0123456789', ERP: 'test-erp-secret-0123456789' };
type Source = 'oms' | 'psp' | 'erp';

interface Received {
  source: Source;
  eventId: string;
  signatureValid: boolean;
  body: any;
}

/** Stands in for the service's webhook endpoint: verifies signatures on the raw bytes and records events. */
async function startReceiver() {
  const events: Received[] = [];
  const statuses: number[] = [];
  const app = express();
  app.post('/webhooks/:source', express.raw({ type: () => true }), (req, res) => {
    const source = String(req.params.source) as Source;
    const raw = req.body as Buffer;
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', SECRETS[source.toUpperCase() as 'OMS'])
        .update(raw)
        .digest('hex')}`,
    );
    const got = Buffer.from(String(req.get('X-Signature') ?? ''));
    const signatureValid = got.length === expected.length && timingSafeEqual(got, expected);
    const status = statuses.shift() ?? (signatureValid ? 200 : 401);
    if (status === 200) {
      assert.equal(req.get('Content-Type'), 'application/json');
      events.push({ source, eventId: String(req.get('X-Event-Id')), signatureValid, body: JSON.parse(raw.toString('utf8')) });
    }
    res.status(status).json({ ok: status === 200 });
  });
  const served = await listen(app);
  return { ...served, events, statuses, of: (s: Source) => events.filter((e) => e.source === s) };
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let rx: Awaited<ReturnType<typeof startReceiver>>;
let sims: Simulators;
let oms: string, psp: string, erp: string;
const types = (s: Source) => rx.of(s).map((e) => e.body.type ?? e.body.name);
const state = async (base: string) => (await call(base, 'GET', '/_state')).body;

before(async () => {
  rx = await startReceiver();
  sims = await startSimulators({ serviceUrl: rx.url, secrets: SECRETS });
  ({ oms, psp, erp } = sims.urls);
});
after(async () => {
  await sims.close();
  await rx.close();
});
beforeEach(async () => {
  for (const u of [oms, psp, erp]) assert.equal((await call(u, 'POST', '/_reset')).status, 200);
  rx.events.length = 0;
  rx.statuses.length = 0;
});
afterEach(() => {
  // Every test: all signatures valid, envelope ids match the header.
  for (const e of rx.events) {
    assert.ok(e.signatureValid, `signature of ${e.eventId}`);
    if (e.body.type) assert.equal(e.body.id, e.eventId);
  }
});

function assertUniqueIds() {
  const ids = rx.events.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length, 'event ids are unique');
  for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/);
}

// -------------------------------------------------------------------------------------------- OMS

describe('OMS simulator', () => {
  test('orders, status changes and invoices emit the contract events, in order', async () => {
    const created = await call(oms, 'POST', '/orders', { id: 'ord_1', currency: 'EUR', total: '12050', customerId: 'cus_1' });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['createdAt', 'currency', 'customerId', 'id', 'status', 'total', 'version']);
    assert.equal(created.body.status, 'CREATED');
    assert.equal(created.body.total, '12050');

    const patched = await call(oms, 'PATCH', '/orders/ord_1', { status: 'SHIPPED' });
    assert.equal(patched.body.version, 2);
    const inv = await call(oms, 'POST', '/orders/ord_1/invoices', { kind: 'OUTPUT', amount: 12050 });
    assert.equal(inv.status, 201);
    assert.equal(inv.body.currency, 'EUR');
    assert.equal(inv.body.amount, '12050');

    assert.deepEqual(types('oms'), ['order.upserted', 'order.upserted', 'interaction.created', 'invoice.created', 'interaction.created']);
    const [o1, o2, i1, invEv, i2] = rx.of('oms').map((e) => e.body);
    assert.deepEqual(o1.data.order, created.body);
    assert.equal(o2.data.order.status, 'SHIPPED');
    assert.equal(o2.data.order.version, 2);
    assert.equal(i1.data.interaction.kind, 'Order Status');
    assert.equal(i1.data.interaction.refundId, null);
    assert.deepEqual(invEv.data.invoice, inv.body);
    assert.equal(i2.data.interaction.kind, 'Invoice Notification');
    for (const e of rx.of('oms')) assert.match(e.body.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assertUniqueIds();

    const got = await call(oms, 'GET', '/orders/ord_1');
    assert.equal(got.body.order.version, 2);
    assert.equal(got.body.invoices.length, 1);
    assert.equal(got.body.interactions.length, 2);
    assert.deepEqual(got.body.invoiceData, { version: 1, entries: [] });
    assert.equal((await call(oms, 'GET', '/orders/nope')).status, 404);
  });

  test('invalid input is a 400 problem and emits nothing', async () => {
    for (const body of [
      { currency: 'EUR', total: '1.5' },
      { currency: 'XXX', total: '1' },
      { currency: 'EUR', total: 1.5 },
      { currency: 'EUR', total: '1', status: 'NOPE' },
    ]) {
      const r = await call(oms, 'POST', '/orders', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.status, 400);
      assert.equal(typeof r.body.title, 'string');
      assert.equal(typeof r.body.detail, 'string');
    }
    assert.equal(rx.events.length, 0);
  });

  test('interactions are idempotent on the caller id', async () => {
    await call(oms, 'POST', '/orders', { id: 'ord_2', currency: 'EUR', total: '100' });
    rx.events.length = 0;
    const body = { id: 'rf-key-1', kind: 'Refund Payment', message: 'Refunded 1.00 EUR', refundId: 'r1' };
    const a = await call(oms, 'POST', '/orders/ord_2/interactions', body);
    const b = await call(oms, 'POST', '/orders/ord_2/interactions', { ...body, message: 'changed' });
    assert.equal(a.status, 201);
    assert.equal(b.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.deepEqual(types('oms'), ['interaction.created']);
    assert.equal(rx.events[0]!.body.data.interaction.refundId, 'r1');
  });

  test('invoice-data PUT is idempotent per key and versioned', async () => {
    await call(oms, 'POST', '/orders', { id: 'ord_3', currency: 'EUR', total: '100' });
    await call(oms, 'POST', '/orders/ord_3/invoices', { number: 'INV-A', kind: 'OUTPUT', amount: '100' });
    rx.events.length = 0;
    const put = (key: string, body: unknown) => call(oms, 'PUT', '/orders/ord_3/invoice-data', body, { 'Idempotency-Key': key });
    const entries = [{ invoiceNumber: 'INV-A', refunded: '40', refundIds: ['r1'] }];
    const a = await put('k1', { version: 1, entries });
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, { orderId: 'ord_3', version: 2, entries });
    assert.deepEqual(await put('k1', { version: 1, entries }), a);
    assert.deepEqual(types('oms'), ['invoice_data.updated']);
    assert.deepEqual(rx.events[0]!.body.data, { orderId: 'ord_3', version: 2, entries });
    assert.equal((await put('k2', { version: 1, entries })).status, 409, 'stale version');
    assert.equal((await put('k3', { entries: [{ invoiceNumber: 'NOPE', refunded: '1', refundIds: [] }] })).status, 400);
    assert.equal((await call(oms, 'PUT', '/orders/ord_3/invoice-data', { entries })).status, 400, 'key required');
    assert.equal(rx.events.length, 1);
    assert.equal((await call(oms, 'GET', '/orders/ord_3')).body.invoiceData.version, 2);
  });

  test('rejectOrders makes new orders REJECTED', async () => {
    await call(oms, 'POST', '/_faults', { rejectOrders: true });
    const r = await call(oms, 'POST', '/orders', { currency: 'USD', total: '5' });
    assert.equal(r.body.status, 'REJECTED');
    assert.match(r.body.id, /^ord_/);
    assert.equal(rx.events[0]!.body.data.order.status, 'REJECTED');
  });
});

// -------------------------------------------------------------------------------------------- PSP

async function payment(o: { amount?: string; capture?: boolean; method?: string; pm?: string; orderId?: string; currency?: string } = {}) {
  const p = await call(psp, 'POST', '/payments', {
    amount: o.amount ?? '10000',
    currency: o.currency ?? 'EUR',
    orderId: o.orderId ?? 'ord_p',
    method: o.method,
    paymentMethodId: o.pm,
    customerId: 'cus_9',
  });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  if (o.capture ?? true) assert.equal((await call(psp, 'POST', `/payments/${p.body.id}/captures`, {})).status, 201);
  return p.body as { id: string; paymentMethodId: string };
}
const refund = (body: Record<string, unknown>) => call(psp, 'POST', '/refunds', { merchantTransactionId: randomUUID(), ...body });

describe('PSP simulator', () => {
  test('payments and captures', async () => {
    const p = await call(psp, 'POST', '/payments', { id: 'pay_1', orderId: 'ord_1', amount: '10000', currency: 'EUR' });
    assert.equal(p.body.status, 'AUTHORIZED');
    assert.equal(p.body.method, 'CARD');
    assert.equal(p.body.paymentMethodStatus, 'ACTIVE');
    assert.equal(p.body.disputed, false);
    const c1 = await call(psp, 'POST', '/payments/pay_1/captures', { amount: '4000' });
    assert.equal((await call(psp, 'POST', '/payments/pay_1/captures', { amount: '6001' })).status, 409, 'captures may not exceed the authorization');
    assert.equal(c1.body.payment.status, 'COMPLETED');
    const c2 = await call(psp, 'POST', '/payments/pay_1/captures', {});
    assert.equal(c2.body.capture.amount, '6000', 'defaults to the remaining authorized amount');
    assert.equal((await call(psp, 'POST', '/payments/pay_1/captures', { amount: '1' })).status, 409);
    assert.deepEqual(types('psp'), ['payment.upserted', 'capture.created', 'payment.upserted', 'capture.created']);
    const up = rx.of('psp')[2]!.body.data.payment;
    assert.deepEqual(Object.keys(up).sort(), [
      'authorized',
      'createdAt',
      'currency',
      'customerId',
      'disputed',
      'id',
      'method',
      'orderId',
      'paymentMethodId',
      'paymentMethodStatus',
      'status',
      'version',
    ]);
    assert.equal(up.version, 2);
    assert.deepEqual(rx.of('psp')[1]!.body.data.capture, {
      id: c1.body.capture.id,
      paymentId: 'pay_1',
      orderId: 'ord_1',
      amount: '4000',
      currency: 'EUR',
      capturedAt: c1.body.capture.capturedAt,
    });

    const m = await call(psp, 'PATCH', `/payment-methods/${p.body.paymentMethodId}`, { status: 'EXPIRED' });
    assert.equal(m.body.payments[0].paymentMethodStatus, 'EXPIRED');
    assert.equal(rx.events.at(-1)!.body.data.payment.version, 3);
    const a = await call(psp, 'POST', '/payments', { amount: '5', currency: 'EUR' });
    assert.equal((await call(psp, 'POST', `/payments/${a.body.id}/cancel`)).body.status, 'CANCELED');
    assert.equal((await call(psp, 'POST', `/payments/${a.body.id}/fail`)).status, 409);
    assertUniqueIds();
  });

  type Case = {
    name: string;
    setup: () => Promise<Record<string, unknown>>;
    title: string;
    detail: string;
    /** null: no webhook. Otherwise the REFUND_FAILED shape: code (undefined = missing), source, objects present. */
    webhook: null | { code: string | undefined; source: string; objects: string[]; description?: string };
  };
  const ALL = ['payment', 'paymentMethod', 'customer'];
  const cases: Case[] = [
    { name: 'neither id', setup: async () => ({ amount: '100' }), title: 'INVALID_REQUEST', detail: 'paymentId or paymentMethodId is required', webhook: null },
    {
      name: 'both ids',
      setup: async () => ({ paymentId: (await payment()).id, paymentMethodId: 'pm_x', amount: '100' }),
      title: 'INVALID_REQUEST',
      detail: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId',
      webhook: null,
    },
    {
      name: 'duplicate merchantTransactionId',
      setup: async () => {
        const p = await payment();
        const first = await refund({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-dup' });
        assert.equal(first.status, 201);
        rx.events.length = 0;
        return { paymentId: p.id, amount: '100', merchantTransactionId: 'mt-dup' };
      },
      title: 'INVALID_REQUEST',
      detail: 'Refund already exists for the given merchantTransactionId',
      webhook: null,
    },
    {
      name: 'unknown payment',
      setup: async () => ({ paymentId: 'pay_unknown', amount: '100' }),
      title: 'PAYMENT_ERROR',
      detail: 'Cannot issue refund for this payment',
      webhook: { code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
    },
    {
      name: 'failed payment',
      setup: async () => {
        const p = await payment({ capture: false });
        await call(psp, 'POST', `/payments/${p.id}/fail`);
        return { paymentId: p.id };
      },
      title: 'PAYMENT_ERROR',
      detail: 'Cannot issue refund for this payment',
      webhook: { code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
    },
    {
      name: 'disputed fraudulent payment',
      setup: async () => {
        const p = await payment();
        await call(psp, 'POST', `/payments/${p.id}/dispute`, { disputed: true, fraud: true });
        return { paymentId: p.id, amount: '100' };
      },
      title: 'INVALID_REQUEST',
      detail: 'Cannot issue refund for this payment',
      webhook: { code: 'charge_disputed', source: 'card-refund', objects: ALL },
    },
    {
      name: 'authorized only',
      setup: async () => ({ paymentId: (await payment({ capture: false })).id, amount: '100' }),
      title: 'INVALID_REQUEST',
      detail: 'Refunds can only be processed for captured payments',
      webhook: { code: undefined, source: 'vendor-portal', objects: ALL },
    },
    {
      name: 'in dispute',
      setup: async () => {
        const p = await payment();
        await call(psp, 'POST', `/payments/${p.id}/dispute`, { disputed: true });
        return { paymentId: p.id, amount: '100' };
      },
      title: 'INVALID_REQUEST',
      detail: 'Payment is in dispute and not available for refund',
      webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
    },
    {
      name: 'already refunded',
      setup: async () => {
        const p = await payment();
        assert.equal((await refund({ paymentId: p.id })).body.amount, '10000', 'linked amount defaults to the remaining amount');
        rx.events.length = 0;
        return { paymentId: p.id, amount: '1' };
      },
      title: 'INVALID_REQUEST',
      detail: 'This payment is already refunded',
      webhook: { code: 'charge_already_refunded', source: '', objects: ALL },
    },
    {
      name: 'more than un-refunded',
      setup: async () => {
        const p = await payment();
        await refund({ paymentId: p.id, amount: '5000' });
        rx.events.length = 0;
        return { paymentId: p.id, amount: '5001' };
      },
      title: 'INVALID_REQUEST',
      detail: 'Refund amount cannot be more than the un-refunded amount of the original payment',
      webhook: { code: undefined, source: '', objects: ALL, description: 'Refund amount cannot be more than the payment amount' },
    },
    {
      name: 'linked, payment method canceled',
      setup: async () => {
        const p = await payment();
        await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'CANCELED' });
        return { paymentId: p.id, amount: '100' };
      },
      title: 'INVALID_REQUEST',
      detail: 'Payment method is canceled by a customer or expired by the financial partner',
      webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
    },
    {
      name: 'unlinked, amount missing',
      setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, customer: { hsid: 'h1' } }),
      title: 'INVALID_REQUEST',
      detail: 'When paymentMethodId is present, amount is required',
      webhook: null,
    },
    {
      name: 'unlinked, customer without identifiers',
      setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, amount: '100', customer: {} }),
      title: 'INVALID_REQUEST',
      detail: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata',
      webhook: null,
    },
    {
      name: 'unlinked, unknown method',
      setup: async () => ({ paymentMethodId: 'pm_nope', amount: '100', customer: { hsid: 'h1' } }),
      title: 'INVALID_REQUEST',
      detail: 'Invalid paymentMethodId',
      webhook: { code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
    },
    {
      name: 'unlinked, deleted method',
      setup: async () => {
        const p = await payment();
        await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'DELETED' });
        return { paymentMethodId: p.paymentMethodId, amount: '100', customer: { enterpriseId: 'e1' } };
      },
      title: 'INVALID_REQUEST',
      detail: 'Invalid paymentMethodId',
      webhook: { code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
    },
    {
      name: 'unlinked, bank account',
      setup: async () => ({ paymentMethodId: (await payment({ method: 'BANK_ACCOUNT' })).paymentMethodId, amount: '100', customer: { hsid: 'h1' } }),
      title: 'INVALID_REQUEST',
      detail: 'Credit is not allowed for bank accounts.',
      webhook: { code: 'INVALID_REQUEST', source: '', objects: [] },
    },
    {
      name: 'unlinked, method expired',
      setup: async () => {
        const p = await payment();
        await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'EXPIRED' });
        return { paymentMethodId: p.paymentMethodId, amount: '100', customer: { metadata: { k: 'v' } } };
      },
      title: 'INVALID_REQUEST',
      detail: 'Payment method is canceled by a customer or expired by the financial partner',
      webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
    },
    {
      name: 'unlinked, over the credit limit',
      setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, amount: '100001', customer: { hsid: 'h1' } }),
      title: 'INVALID_REQUEST',
      detail: 'The amount given exceeds the allowed refund limit',
      webhook: { code: 'amount_too_large', source: '', objects: ['paymentMethod', 'customer'] },
    },
  ];

  test('covers all 15 distinct rejections of seed 004', () => {
    assert.equal(new Set(cases.map((c) => `${c.title}|${c.detail}`)).size, 15);
  });

  for (const c of cases) {
    test(`refund rejection: ${c.name}`, async () => {
      const body = await c.setup();
      const mtid = (body.merchantTransactionId as string | undefined) ?? randomUUID();
      const refundsBefore = (await call(psp, 'GET', '/refunds')).body.refunds.length;
      rx.events.length = 0;
      const r = await call(psp, 'POST', '/refunds', { ...body, merchantTransactionId: mtid });
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, { title: c.title, status: 400, detail: c.detail });
      const after = (await call(psp, 'GET', '/refunds')).body.refunds;
      if (!c.webhook) {
        assert.equal(rx.events.length, 0, 'validation failures send no webhook');
        assert.equal(after.length, refundsBefore, 'and create no refund');
        return;
      }
      assert.equal(rx.events.length, 1);
      const ev = rx.events[0]!.body;
      assert.equal(ev.name, 'REFUND_FAILED');
      assert.equal(ev.source, c.webhook.source);
      assert.equal(ev.id, undefined, 'refund events have no envelope');
      const p = ev.payload;
      assert.equal(p.merchantTransactionId, mtid);
      assert.equal(p.status, 'FAILED');
      assert.deepEqual(p.error, { ...(c.webhook.code ? { code: c.webhook.code } : {}), description: c.webhook.description ?? c.detail });
      assert.equal('code' in p.error, c.webhook.code !== undefined);
      for (const o of ALL) assert.equal(o in p, c.webhook.objects.includes(o), `${o} present?`);
      const stored = await call(psp, 'GET', `/refunds/${p.refundId}`);
      assert.equal(stored.body.status, 'FAILED');
      assert.equal(stored.body.merchantTransactionId, mtid);
      const again = await call(psp, 'POST', '/refunds', { ...body, merchantTransactionId: mtid });
      assert.equal(again.body.detail, 'Refund already exists for the given merchantTransactionId');
      assert.equal(rx.events.length, 1);
    });
  }

  test('credit limit is configurable', async () => {
    const pm = (await payment()).paymentMethodId;
    await call(psp, 'POST', '/_faults', { creditLimit: '500' });
    assert.equal((await refund({ paymentMethodId: pm, amount: '501', customer: { hsid: 'h' } })).body.detail, 'The amount given exceeds the allowed refund limit');
    assert.equal((await refund({ paymentMethodId: pm, amount: '500', customer: { hsid: 'h' } })).status, 201);
  });

  test('successful linked and unlinked refunds; lookups; merchantTransactionId idempotency', async () => {
    const p = await payment({ orderId: 'ord_r' });
    rx.events.length = 0;
    const r = await call(psp, 'POST', '/refunds', {
      paymentId: p.id,
      amount: 2500,
      merchantTransactionId: 'mt-1',
      reason: 'DUPLICATE',
      metadata: { orderId: 'ord_r', invoiceNumber: 'INV-1' },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.body).sort(), ['amount', 'createdAt', 'currency', 'merchantTransactionId', 'paymentId', 'paymentMethodId', 'refundId', 'status']);
    assert.equal(r.body.status, 'SUCCEEDED');
    assert.equal(r.body.amount, '2500');
    assert.equal(r.body.paymentMethodId, null);
    assert.deepEqual(
      rx.events.map((e) => e.body),
      [
        {
          name: 'REFUND_SUCCEEDED',
          source: '',
          payload: {
            refundId: r.body.refundId,
            merchantTransactionId: 'mt-1',
            status: 'SUCCEEDED',
            amount: '2500',
            currency: 'EUR',
            createdAt: r.body.createdAt,
            payment: { paymentId: p.id, orderId: 'ord_r' },
            metadata: { orderId: 'ord_r', invoiceNumber: 'INV-1' },
          },
        },
      ],
    );
    const dup = await call(psp, 'POST', '/refunds', { paymentId: p.id, amount: 2500, merchantTransactionId: 'mt-1' });
    assert.equal(dup.body.detail, 'Refund already exists for the given merchantTransactionId');
    assert.equal(rx.events.length, 1);
    const byMtid = await call(psp, 'GET', '/refunds?merchantTransactionId=mt-1');
    assert.equal(byMtid.body.refunds.length, 1);
    assert.equal(byMtid.body.refunds[0].refundId, r.body.refundId);
    assert.equal((await call(psp, 'GET', '/refunds?merchantTransactionId=none')).body.refunds.length, 0);
    assert.equal((await call(psp, 'GET', `/refunds/${r.body.refundId}`)).body.amount, '2500');

    const u = await call(psp, 'POST', '/refunds-direct', {
      paymentMethodId: p.paymentMethodId,
      amount: '700',
      merchantTransactionId: 'mt-2',
      customer: { hsid: 'h' },
      metadata: { orderId: 'ord_r' },
    });
    assert.equal(u.status, 201);
    assert.equal(u.body.paymentId, null);
    assert.equal(rx.events[1]!.body.payload.payment.paymentId, null);
    const byOrder = await call(psp, 'GET', '/orders/ord_r/payments');
    assert.equal(byOrder.body.payments.length, 1);
    assert.equal(byOrder.body.captures.length, 1);
    assert.deepEqual(byOrder.body.refunds.map((x: any) => x.merchantTransactionId).sort(), ['mt-1', 'mt-2']);
    assertUniqueIds();
  });

  test('lateFailNext: 201 SUCCEEDED, then REFUND_FAILED without a code; reverse emits REFUND_REVERSED', async () => {
    const p = await payment();
    await call(psp, 'POST', '/_faults', { lateFailNext: 1 });
    rx.events.length = 0;
    const late = await refund({ paymentId: p.id, amount: '100' });
    assert.equal(late.status, 201);
    assert.equal(late.body.status, 'SUCCEEDED');
    assert.equal(rx.events[0]!.body.name, 'REFUND_FAILED');
    assert.equal(rx.events[0]!.body.payload.refundId, late.body.refundId);
    assert.equal('code' in rx.events[0]!.body.payload.error, false);
    assert.equal((await call(psp, 'GET', `/refunds/${late.body.refundId}`)).body.status, 'FAILED');

    const ok = await refund({ paymentId: p.id, amount: '100' });
    assert.equal(rx.events[1]!.body.name, 'REFUND_SUCCEEDED');
    const rev = await call(psp, 'POST', `/refunds/${ok.body.refundId}/reverse`);
    assert.equal(rev.body.status, 'REVERSED');
    assert.equal(rev.body.version, 2);
    assert.equal(rx.events[2]!.body.name, 'REFUND_REVERSED');
    assert.equal(rx.events[2]!.body.payload.refundId, ok.body.refundId);
    assert.equal((await call(psp, 'POST', `/refunds/${ok.body.refundId}/reverse`)).status, 409);
    assert.equal((await call(psp, 'POST', `/refunds/${late.body.refundId}/reverse`)).status, 409);
  });

  test('settlements: one line per unsettled capture and succeeded refund, one batch per currency', async () => {
    const a = await payment({ amount: '10000', orderId: 'ord_s1' });
    await payment({ amount: '300', currency: 'USD', orderId: 'ord_s2' });
    const r = await refund({ paymentId: a.id, amount: '2500' });
    await call(psp, 'POST', '/_faults', { lateFailNext: 1 });
    await refund({ paymentId: a.id, amount: '10' }); // failed late: not settled
    rx.events.length = 0;
    const s = await call(psp, 'POST', '/settlements', {
      id: 'b1',
      extraLines: [
        { kind: 'FEE', pspReference: 'fee-1', orderId: null, gross: '-30', currency: 'EUR' },
        { kind: 'CHARGEBACK', pspReference: 'cb-1', orderId: 'ord_s1', gross: '-100', fee: '15', currency: 'EUR' },
      ],
    });
    assert.equal(s.status, 201);
    const eur = s.body.settlements.find((x: any) => x.currency === 'EUR');
    assert.equal(eur.id, 'b1-EUR');
    assert.deepEqual(
      eur.lines.map((l: any) => [l.kind, l.pspReference, l.gross, l.fee, l.net, l.orderId]),
      [
        ['CAPTURE', (await call(psp, 'GET', '/orders/ord_s1/payments')).body.captures[0].id, '10000', '0', '10000', 'ord_s1'],
        ['REFUND', r.body.refundId, '-2500', '0', '-2500', 'ord_s1'],
        ['FEE', 'fee-1', '-30', '0', '-30', null],
        ['CHARGEBACK', 'cb-1', '-100', '15', '-115', 'ord_s1'],
      ],
    );
    assert.deepEqual(types('psp'), ['settlement.closed', 'settlement.closed']);
    const usd = rx.events.map((e) => e.body.data.settlement).find((x) => x.currency === 'USD');
    assert.deepEqual(
      usd.lines.map((l: any) => [l.kind, l.gross, l.currency]),
      [['CAPTURE', '300', 'USD']],
    );
    assert.deepEqual(Object.keys(usd).sort(), ['currency', 'id', 'lines', 'settledAt']);
    assert.equal((await call(psp, 'POST', '/settlements', {})).status, 409, 'everything is already settled');
  });
});

// -------------------------------------------------------------------------------------------- ERP

describe('ERP simulator', () => {
  const post = (externalRef: string, extra: Record<string, unknown> = {}) =>
    call(erp, 'POST', '/journal-entries', { kind: 'REFUND', externalRef, orderId: 'ord_e', amount: '500', currency: 'EUR', ...extra }, { 'Idempotency-Key': externalRef });

  test('idempotent by default: the same externalRef returns the same document, no new event', async () => {
    const a = await post('ref-1');
    assert.equal(a.status, 201);
    assert.equal(a.body.status, 'POSTED');
    const b = await post('ref-1');
    assert.equal(b.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.deepEqual(types('erp'), ['posting.created']);
    assert.deepEqual(rx.events[0]!.body.data.posting, a.body);
    assert.equal((await call(erp, 'GET', '/journal-entries?externalRef=ref-1')).body.postings.length, 1);
  });

  test('non-idempotent mode double-posts', async () => {
    await call(erp, 'POST', '/_faults', { nonIdempotent: true });
    const a = await post('ref-2');
    const b = await post('ref-2');
    assert.equal(b.status, 201);
    assert.notEqual(a.body.documentId, b.body.documentId);
    assert.equal((await call(erp, 'GET', '/journal-entries?orderId=ord_e')).body.postings.length, 2);
    assert.deepEqual(types('erp'), ['posting.created', 'posting.created']);
  });

  test('rejectNext creates REJECTED documents; overwritePartials replaces the earlier refund', async () => {
    await call(erp, 'POST', '/_faults', { rejectNext: 1 });
    const rej = await post('ref-3', { orderId: 'ord_x' });
    assert.equal(rej.status, 201);
    assert.equal(rej.body.status, 'REJECTED');
    assert.equal(rej.body.reasonCode, 'UNMAPPED_REASON_CODE');
    assert.equal((await post('ref-4', { orderId: 'ord_x' })).body.status, 'POSTED');

    await call(erp, 'POST', '/_faults', { overwritePartials: true });
    const first = await post('ref-5', { amount: '300' });
    rx.events.length = 0;
    const second = await post('ref-6', { amount: '200' });
    assert.equal(second.body.documentId, first.body.documentId);
    assert.equal(second.body.amount, '200');
    assert.equal(second.body.version, 2);
    assert.equal(second.body.externalRef, 'ref-5');
    assert.equal(rx.events[0]!.body.data.posting.version, 2);
    assert.equal((await call(erp, 'GET', '/journal-entries?externalRef=ref-6')).body.postings.length, 0);
  });
});

// -------------------------------------------------------------------------------------------- webhooks & faults

describe('webhook delivery controls', () => {
  const order = (id: string) => call(oms, 'POST', '/orders', { id, currency: 'EUR', total: '1' });
  const orderIds = () => rx.of('oms').map((e) => e.body.data.order.id);

  test('hold queues until flush; reverse flips the queue', async () => {
    await call(oms, 'POST', '/_faults', { webhooks: { mode: 'hold' } });
    await order('o1');
    await order('o2');
    await order('o3');
    assert.equal(rx.events.length, 0);
    assert.equal((await state(oms)).webhooks.pending, 3);
    assert.equal(sims.oms.webhooks.pending(), 3);
    const f = await call(oms, 'POST', '/_webhooks/flush');
    assert.deepEqual(f.body, { sent: 3, pending: 0 });
    assert.deepEqual(orderIds(), ['o1', 'o2', 'o3']);

    rx.events.length = 0;
    await call(oms, 'POST', '/_faults', { webhooks: { reverse: true } });
    await order('o4');
    await order('o5');
    await call(oms, 'POST', '/_webhooks/flush');
    assert.deepEqual(orderIds(), ['o5', 'o4']);
  });

  test('duplicate sends each event twice with the same id; dropNext loses events', async () => {
    await call(oms, 'POST', '/_faults', { webhooks: { duplicate: true } });
    await order('d1');
    assert.equal(rx.events.length, 2);
    assert.equal(rx.events[0]!.eventId, rx.events[1]!.eventId);
    assert.deepEqual(rx.events[0]!.body, rx.events[1]!.body);

    rx.events.length = 0;
    await call(oms, 'POST', '/_faults', { webhooks: { duplicate: false, dropNext: 2 } });
    await order('d2');
    await order('d3');
    await order('d4');
    assert.deepEqual(orderIds(), ['d4']);
    const log = (await state(oms)).webhooks.deliveries;
    assert.deepEqual(log.filter((d: any) => d.outcome === 'dropped').length, 2);
    assert.ok(log.every((d: any) => typeof d.eventId === 'string' && 'status' in d));
  });

  test('retries 5xx, not 400/401; the delivery log records each attempt', async () => {
    rx.statuses.push(500, 503);
    await order('r1');
    assert.deepEqual(orderIds(), ['r1']);
    let log = (await state(oms)).webhooks.deliveries;
    assert.deepEqual(
      log.map((d: any) => [d.status, d.outcome]),
      [
        [500, 'retrying'],
        [503, 'retrying'],
        [200, 'delivered'],
      ],
    );
    assert.equal(new Set(log.map((d: any) => d.eventId)).size, 1);

    rx.statuses.push(400);
    await order('r2');
    log = (await state(oms)).webhooks.deliveries;
    assert.deepEqual(log.at(-1), { ...log.at(-1), status: 400, outcome: 'rejected', attempt: 1 });
    assert.deepEqual(orderIds(), ['r1']);
  });

  test('a wrongly signed event is refused by the receiver (401) and not retried', async () => {
    const s = new WebhookSender('oms', { serviceUrl: rx.url, secret: 'wrong-secret-wrong-secret' });
    await s.emit('order.upserted', { id: 'x', type: 'order.upserted', occurredAt: new Date().toISOString(), data: {} }, randomUUID());
    assert.deepEqual(
      s.deliveries.map((d) => [d.status, d.outcome]),
      [[401, 'rejected']],
    );
    assert.equal(rx.events.length, 0);
  });

  test('without a service URL events queue; setServiceUrl + flush delivers them', async () => {
    const own = await startSimulators({ secrets: SECRETS });
    try {
      const r = await call(own.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: 'q1', amount: '5', currency: 'EUR' });
      assert.equal(r.status, 201);
      assert.equal(own.erp.webhooks.pending(), 1);
      own.setServiceUrl(rx.url);
      assert.equal(await own.flush(), 1);
      assert.deepEqual(types('erp'), ['posting.created']);
      assert.equal(rx.events[0]!.body.data.posting.externalRef, 'q1');
    } finally {
      await own.close();
    }
  });
});

describe('API faults', () => {
  test('failNext answers failStatus and does nothing; /_state and /_faults are exempt', async () => {
    await call(psp, 'POST', '/_faults', { failNext: 2 });
    assert.equal((await call(psp, 'GET', '/_state')).status, 200);
    const a = await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' });
    assert.equal(a.status, 503);
    assert.equal(a.body.status, 503);
    await call(psp, 'POST', '/_faults', { failStatus: 500 });
    assert.equal((await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' })).status, 500);
    assert.deepEqual((await state(psp)).payments, {});
    assert.equal(rx.events.length, 0);
    assert.equal((await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' })).status, 201);
    assert.equal((await call(psp, 'POST', '/_faults', { failNext: -1 })).status, 400);
  });

  test('timeoutNext: the client times out, but the operation happened and its webhook was sent', async () => {
    const p = await payment();
    await call(psp, 'POST', '/_faults', { timeoutNext: 1 });
    rx.events.length = 0;
    await assert.rejects(
      fetch(`${psp}/refunds`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-timeout' }),
        signal: AbortSignal.timeout(300),
      }),
      (e: Error) => e.name === 'TimeoutError',
    );
    const st = await state(psp);
    const refunds = Object.values(st.refunds) as any[];
    assert.equal(refunds.length, 1);
    assert.equal(refunds[0].merchantTransactionId, 'mt-timeout');
    assert.equal(refunds[0].status, 'SUCCEEDED');
    assert.equal(st.faults.timeoutNext, 0);
    assert.equal(rx.events[0]!.body.name, 'REFUND_SUCCEEDED');
    // The retry with the same merchantTransactionId is refused, and the refund is found by lookup instead.
    assert.equal((await refund({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-timeout' })).body.detail, 'Refund already exists for the given merchantTransactionId');
    assert.equal((await call(psp, 'GET', '/refunds?merchantTransactionId=mt-timeout')).body.refunds[0].status, 'SUCCEEDED');
  });

  test('_reset clears state and faults', async () => {
    await call(erp, 'POST', '/_faults', { nonIdempotent: true, failNext: 5, webhooks: { mode: 'hold' } });
    await call(erp, 'POST', '/_reset');
    const st = await state(erp);
    assert.deepEqual(st.postings, {});
    assert.equal(st.faults.failNext, 0);
    assert.equal(st.faults.nonIdempotent, false);
    assert.equal(st.webhooks.mode, 'immediate');
  });
});
