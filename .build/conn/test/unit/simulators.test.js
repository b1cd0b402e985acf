"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const express_1 = __importDefault(require("express"));
const simulators_1 = require("../../src/simulators");
const SECRETS = { OMS: 'test-oms-secret-0123456789', PSP: 'test-psp-secret-0123456789', ERP: 'test-erp-secret-0123456789' };
/** Stands in for the service's webhook endpoint: verifies signatures on the raw bytes and records events. */
async function startReceiver() {
    const events = [];
    const statuses = [];
    const app = (0, express_1.default)();
    app.post('/webhooks/:source', express_1.default.raw({ type: () => true }), (req, res) => {
        const source = String(req.params.source);
        const raw = req.body;
        const expected = Buffer.from(`sha256=${(0, node_crypto_1.createHmac)('sha256', SECRETS[source.toUpperCase()]).update(raw).digest('hex')}`);
        const got = Buffer.from(String(req.get('X-Signature') ?? ''));
        const signatureValid = got.length === expected.length && (0, node_crypto_1.timingSafeEqual)(got, expected);
        const status = statuses.shift() ?? (signatureValid ? 200 : 401);
        if (status === 200) {
            strict_1.default.equal(req.get('Content-Type'), 'application/json');
            events.push({ source, eventId: String(req.get('X-Event-Id')), signatureValid, body: JSON.parse(raw.toString('utf8')) });
        }
        res.status(status).json({ ok: status === 200 });
    });
    const served = await (0, simulators_1.listen)(app);
    return { ...served, events, statuses, of: (s) => events.filter((e) => e.source === s) };
}
async function call(base, method, path, body, headers = {}) {
    const res = await fetch(base + path, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
let rx;
let sims;
let oms, psp, erp;
const types = (s) => rx.of(s).map((e) => e.body.type ?? e.body.name);
const state = async (base) => (await call(base, 'GET', '/_state')).body;
(0, node_test_1.before)(async () => {
    rx = await startReceiver();
    sims = await (0, simulators_1.startSimulators)({ serviceUrl: rx.url, secrets: SECRETS });
    ({ oms, psp, erp } = sims.urls);
});
(0, node_test_1.after)(async () => {
    await sims.close();
    await rx.close();
});
(0, node_test_1.beforeEach)(async () => {
    for (const u of [oms, psp, erp])
        strict_1.default.equal((await call(u, 'POST', '/_reset')).status, 200);
    rx.events.length = 0;
    rx.statuses.length = 0;
});
(0, node_test_1.afterEach)(() => {
    // Every test: all signatures valid, envelope ids match the header.
    for (const e of rx.events) {
        strict_1.default.ok(e.signatureValid, `signature of ${e.eventId}`);
        if (e.body.type)
            strict_1.default.equal(e.body.id, e.eventId);
    }
});
function assertUniqueIds() {
    const ids = rx.events.map((e) => e.eventId);
    strict_1.default.equal(new Set(ids).size, ids.length, 'event ids are unique');
    for (const id of ids)
        strict_1.default.match(id, /^[0-9a-f-]{36}$/);
}
// -------------------------------------------------------------------------------------------- OMS
(0, node_test_1.describe)('OMS simulator', () => {
    (0, node_test_1.test)('orders, status changes and invoices emit the contract events, in order', async () => {
        const created = await call(oms, 'POST', '/orders', { id: 'ord_1', currency: 'EUR', total: '12050', customerId: 'cus_1' });
        strict_1.default.equal(created.status, 201);
        strict_1.default.deepEqual(Object.keys(created.body).sort(), ['createdAt', 'currency', 'customerId', 'id', 'status', 'total', 'version']);
        strict_1.default.equal(created.body.status, 'CREATED');
        strict_1.default.equal(created.body.total, '12050');
        const patched = await call(oms, 'PATCH', '/orders/ord_1', { status: 'SHIPPED' });
        strict_1.default.equal(patched.body.version, 2);
        const inv = await call(oms, 'POST', '/orders/ord_1/invoices', { kind: 'OUTPUT', amount: 12050 });
        strict_1.default.equal(inv.status, 201);
        strict_1.default.equal(inv.body.currency, 'EUR');
        strict_1.default.equal(inv.body.amount, '12050');
        strict_1.default.deepEqual(types('oms'), ['order.upserted', 'order.upserted', 'interaction.created', 'invoice.created', 'interaction.created']);
        const [o1, o2, i1, invEv, i2] = rx.of('oms').map((e) => e.body);
        strict_1.default.deepEqual(o1.data.order, created.body);
        strict_1.default.equal(o2.data.order.status, 'SHIPPED');
        strict_1.default.equal(o2.data.order.version, 2);
        strict_1.default.equal(i1.data.interaction.kind, 'Order Status');
        strict_1.default.equal(i1.data.interaction.refundId, null);
        strict_1.default.deepEqual(invEv.data.invoice, inv.body);
        strict_1.default.equal(i2.data.interaction.kind, 'Invoice Notification');
        for (const e of rx.of('oms'))
            strict_1.default.match(e.body.occurredAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assertUniqueIds();
        const got = await call(oms, 'GET', '/orders/ord_1');
        strict_1.default.equal(got.body.order.version, 2);
        strict_1.default.equal(got.body.invoices.length, 1);
        strict_1.default.equal(got.body.interactions.length, 2);
        strict_1.default.deepEqual(got.body.invoiceData, { version: 1, entries: [] });
        strict_1.default.equal((await call(oms, 'GET', '/orders/nope')).status, 404);
    });
    (0, node_test_1.test)('invalid input is a 400 problem and emits nothing', async () => {
        for (const body of [{ currency: 'EUR', total: '1.5' }, { currency: 'XXX', total: '1' }, { currency: 'EUR', total: 1.5 }, { currency: 'EUR', total: '1', status: 'NOPE' }]) {
            const r = await call(oms, 'POST', '/orders', body);
            strict_1.default.equal(r.status, 400, JSON.stringify(body));
            strict_1.default.equal(r.body.status, 400);
            strict_1.default.equal(typeof r.body.title, 'string');
            strict_1.default.equal(typeof r.body.detail, 'string');
        }
        strict_1.default.equal(rx.events.length, 0);
    });
    (0, node_test_1.test)('interactions are idempotent on the caller id', async () => {
        await call(oms, 'POST', '/orders', { id: 'ord_2', currency: 'EUR', total: '100' });
        rx.events.length = 0;
        const body = { id: 'rf-key-1', kind: 'Refund Payment', message: 'Refunded 1.00 EUR', refundId: 'r1' };
        const a = await call(oms, 'POST', '/orders/ord_2/interactions', body);
        const b = await call(oms, 'POST', '/orders/ord_2/interactions', { ...body, message: 'changed' });
        strict_1.default.equal(a.status, 201);
        strict_1.default.equal(b.status, 200);
        strict_1.default.deepEqual(b.body, a.body);
        strict_1.default.deepEqual(types('oms'), ['interaction.created']);
        strict_1.default.equal(rx.events[0].body.data.interaction.refundId, 'r1');
    });
    (0, node_test_1.test)('invoice-data PUT is idempotent per key and versioned', async () => {
        await call(oms, 'POST', '/orders', { id: 'ord_3', currency: 'EUR', total: '100' });
        await call(oms, 'POST', '/orders/ord_3/invoices', { number: 'INV-A', kind: 'OUTPUT', amount: '100' });
        rx.events.length = 0;
        const put = (key, body) => call(oms, 'PUT', '/orders/ord_3/invoice-data', body, { 'Idempotency-Key': key });
        const entries = [{ invoiceNumber: 'INV-A', refunded: '40', refundIds: ['r1'] }];
        const a = await put('k1', { version: 1, entries });
        strict_1.default.equal(a.status, 200);
        strict_1.default.deepEqual(a.body, { orderId: 'ord_3', version: 2, entries });
        strict_1.default.deepEqual(await put('k1', { version: 1, entries }), a);
        strict_1.default.deepEqual(types('oms'), ['invoice_data.updated']);
        strict_1.default.deepEqual(rx.events[0].body.data, { orderId: 'ord_3', version: 2, entries });
        strict_1.default.equal((await put('k2', { version: 1, entries })).status, 409, 'stale version');
        strict_1.default.equal((await put('k3', { entries: [{ invoiceNumber: 'NOPE', refunded: '1', refundIds: [] }] })).status, 400);
        strict_1.default.equal((await call(oms, 'PUT', '/orders/ord_3/invoice-data', { entries })).status, 400, 'key required');
        strict_1.default.equal(rx.events.length, 1);
        strict_1.default.equal((await call(oms, 'GET', '/orders/ord_3')).body.invoiceData.version, 2);
    });
    (0, node_test_1.test)('rejectOrders makes new orders REJECTED', async () => {
        await call(oms, 'POST', '/_faults', { rejectOrders: true });
        const r = await call(oms, 'POST', '/orders', { currency: 'USD', total: '5' });
        strict_1.default.equal(r.body.status, 'REJECTED');
        strict_1.default.match(r.body.id, /^ord_/);
        strict_1.default.equal(rx.events[0].body.data.order.status, 'REJECTED');
    });
});
// -------------------------------------------------------------------------------------------- PSP
async function payment(o = {}) {
    const p = await call(psp, 'POST', '/payments', {
        amount: o.amount ?? '10000', currency: o.currency ?? 'EUR', orderId: o.orderId ?? 'ord_p', method: o.method, paymentMethodId: o.pm, customerId: 'cus_9',
    });
    strict_1.default.equal(p.status, 201, JSON.stringify(p.body));
    if (o.capture ?? true)
        strict_1.default.equal((await call(psp, 'POST', `/payments/${p.body.id}/captures`, {})).status, 201);
    return p.body;
}
const refund = (body) => call(psp, 'POST', '/refunds', { merchantTransactionId: (0, node_crypto_1.randomUUID)(), ...body });
(0, node_test_1.describe)('PSP simulator', () => {
    (0, node_test_1.test)('payments and captures', async () => {
        const p = await call(psp, 'POST', '/payments', { id: 'pay_1', orderId: 'ord_1', amount: '10000', currency: 'EUR' });
        strict_1.default.equal(p.body.status, 'AUTHORIZED');
        strict_1.default.equal(p.body.method, 'CARD');
        strict_1.default.equal(p.body.paymentMethodStatus, 'ACTIVE');
        strict_1.default.equal(p.body.disputed, false);
        const c1 = await call(psp, 'POST', '/payments/pay_1/captures', { amount: '4000' });
        strict_1.default.equal((await call(psp, 'POST', '/payments/pay_1/captures', { amount: '6001' })).status, 409, 'captures may not exceed the authorization');
        strict_1.default.equal(c1.body.payment.status, 'COMPLETED');
        const c2 = await call(psp, 'POST', '/payments/pay_1/captures', {});
        strict_1.default.equal(c2.body.capture.amount, '6000', 'defaults to the remaining authorized amount');
        strict_1.default.equal((await call(psp, 'POST', '/payments/pay_1/captures', { amount: '1' })).status, 409);
        strict_1.default.deepEqual(types('psp'), ['payment.upserted', 'capture.created', 'payment.upserted', 'capture.created']);
        const up = rx.of('psp')[2].body.data.payment;
        strict_1.default.deepEqual(Object.keys(up).sort(), ['authorized', 'createdAt', 'currency', 'customerId', 'disputed', 'id', 'method', 'orderId', 'paymentMethodId', 'paymentMethodStatus', 'status', 'version']);
        strict_1.default.equal(up.version, 2);
        strict_1.default.deepEqual(rx.of('psp')[1].body.data.capture, { id: c1.body.capture.id, paymentId: 'pay_1', orderId: 'ord_1', amount: '4000', currency: 'EUR', capturedAt: c1.body.capture.capturedAt });
        const m = await call(psp, 'PATCH', `/payment-methods/${p.body.paymentMethodId}`, { status: 'EXPIRED' });
        strict_1.default.equal(m.body.payments[0].paymentMethodStatus, 'EXPIRED');
        strict_1.default.equal(rx.events.at(-1).body.data.payment.version, 3);
        const a = await call(psp, 'POST', '/payments', { amount: '5', currency: 'EUR' });
        strict_1.default.equal((await call(psp, 'POST', `/payments/${a.body.id}/cancel`)).body.status, 'CANCELED');
        strict_1.default.equal((await call(psp, 'POST', `/payments/${a.body.id}/fail`)).status, 409);
        assertUniqueIds();
    });
    const ALL = ['payment', 'paymentMethod', 'customer'];
    const cases = [
        { name: 'neither id', setup: async () => ({ amount: '100' }), title: 'INVALID_REQUEST', detail: 'paymentId or paymentMethodId is required', webhook: null },
        {
            name: 'both ids', setup: async () => ({ paymentId: (await payment()).id, paymentMethodId: 'pm_x', amount: '100' }),
            title: 'INVALID_REQUEST', detail: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId', webhook: null,
        },
        {
            name: 'duplicate merchantTransactionId',
            setup: async () => {
                const p = await payment();
                const first = await refund({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-dup' });
                strict_1.default.equal(first.status, 201);
                rx.events.length = 0;
                return { paymentId: p.id, amount: '100', merchantTransactionId: 'mt-dup' };
            },
            title: 'INVALID_REQUEST', detail: 'Refund already exists for the given merchantTransactionId', webhook: null,
        },
        {
            name: 'unknown payment', setup: async () => ({ paymentId: 'pay_unknown', amount: '100' }),
            title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment', webhook: { code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
        },
        {
            name: 'failed payment',
            setup: async () => {
                const p = await payment({ capture: false });
                await call(psp, 'POST', `/payments/${p.id}/fail`);
                return { paymentId: p.id };
            },
            title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment', webhook: { code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
        },
        {
            name: 'disputed fraudulent payment',
            setup: async () => {
                const p = await payment();
                await call(psp, 'POST', `/payments/${p.id}/dispute`, { disputed: true, fraud: true });
                return { paymentId: p.id, amount: '100' };
            },
            title: 'INVALID_REQUEST', detail: 'Cannot issue refund for this payment', webhook: { code: 'charge_disputed', source: 'card-refund', objects: ALL },
        },
        {
            name: 'authorized only', setup: async () => ({ paymentId: (await payment({ capture: false })).id, amount: '100' }),
            title: 'INVALID_REQUEST', detail: 'Refunds can only be processed for captured payments', webhook: { code: undefined, source: 'vendor-portal', objects: ALL },
        },
        {
            name: 'in dispute',
            setup: async () => {
                const p = await payment();
                await call(psp, 'POST', `/payments/${p.id}/dispute`, { disputed: true });
                return { paymentId: p.id, amount: '100' };
            },
            title: 'INVALID_REQUEST', detail: 'Payment is in dispute and not available for refund', webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
        },
        {
            name: 'already refunded',
            setup: async () => {
                const p = await payment();
                strict_1.default.equal((await refund({ paymentId: p.id })).body.amount, '10000', 'linked amount defaults to the remaining amount');
                rx.events.length = 0;
                return { paymentId: p.id, amount: '1' };
            },
            title: 'INVALID_REQUEST', detail: 'This payment is already refunded', webhook: { code: 'charge_already_refunded', source: '', objects: ALL },
        },
        {
            name: 'more than un-refunded',
            setup: async () => {
                const p = await payment();
                await refund({ paymentId: p.id, amount: '5000' });
                rx.events.length = 0;
                return { paymentId: p.id, amount: '5001' };
            },
            title: 'INVALID_REQUEST', detail: 'Refund amount cannot be more than the un-refunded amount of the original payment',
            webhook: { code: undefined, source: '', objects: ALL, description: 'Refund amount cannot be more than the payment amount' },
        },
        {
            name: 'linked, payment method canceled',
            setup: async () => {
                const p = await payment();
                await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'CANCELED' });
                return { paymentId: p.id, amount: '100' };
            },
            title: 'INVALID_REQUEST', detail: 'Payment method is canceled by a customer or expired by the financial partner', webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
        },
        {
            name: 'unlinked, amount missing', setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, customer: { hsid: 'h1' } }),
            title: 'INVALID_REQUEST', detail: 'When paymentMethodId is present, amount is required', webhook: null,
        },
        {
            name: 'unlinked, customer without identifiers', setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, amount: '100', customer: {} }),
            title: 'INVALID_REQUEST', detail: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata', webhook: null,
        },
        {
            name: 'unlinked, unknown method', setup: async () => ({ paymentMethodId: 'pm_nope', amount: '100', customer: { hsid: 'h1' } }),
            title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId', webhook: { code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
        },
        {
            name: 'unlinked, deleted method',
            setup: async () => {
                const p = await payment();
                await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'DELETED' });
                return { paymentMethodId: p.paymentMethodId, amount: '100', customer: { enterpriseId: 'e1' } };
            },
            title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId', webhook: { code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
        },
        {
            name: 'unlinked, bank account', setup: async () => ({ paymentMethodId: (await payment({ method: 'BANK_ACCOUNT' })).paymentMethodId, amount: '100', customer: { hsid: 'h1' } }),
            title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts.', webhook: { code: 'INVALID_REQUEST', source: '', objects: [] },
        },
        {
            name: 'unlinked, method expired',
            setup: async () => {
                const p = await payment();
                await call(psp, 'PATCH', `/payment-methods/${p.paymentMethodId}`, { status: 'EXPIRED' });
                return { paymentMethodId: p.paymentMethodId, amount: '100', customer: { metadata: { k: 'v' } } };
            },
            title: 'INVALID_REQUEST', detail: 'Payment method is canceled by a customer or expired by the financial partner', webhook: { code: 'VENDOR_ERROR', source: '', objects: ALL },
        },
        {
            name: 'unlinked, over the credit limit', setup: async () => ({ paymentMethodId: (await payment()).paymentMethodId, amount: '100001', customer: { hsid: 'h1' } }),
            title: 'INVALID_REQUEST', detail: 'The amount given exceeds the allowed refund limit', webhook: { code: 'amount_too_large', source: '', objects: ['paymentMethod', 'customer'] },
        },
    ];
    (0, node_test_1.test)('covers all 15 distinct rejections of seed 004', () => {
        strict_1.default.equal(new Set(cases.map((c) => `${c.title}|${c.detail}`)).size, 15);
    });
    for (const c of cases) {
        (0, node_test_1.test)(`refund rejection: ${c.name}`, async () => {
            const body = await c.setup();
            const mtid = body.merchantTransactionId ?? (0, node_crypto_1.randomUUID)();
            const refundsBefore = (await call(psp, 'GET', '/refunds')).body.refunds.length;
            rx.events.length = 0;
            const r = await call(psp, 'POST', '/refunds', { ...body, merchantTransactionId: mtid });
            strict_1.default.equal(r.status, 400);
            strict_1.default.deepEqual(r.body, { title: c.title, status: 400, detail: c.detail });
            const after = (await call(psp, 'GET', '/refunds')).body.refunds;
            if (!c.webhook) {
                strict_1.default.equal(rx.events.length, 0, 'validation failures send no webhook');
                strict_1.default.equal(after.length, refundsBefore, 'and create no refund');
                return;
            }
            strict_1.default.equal(rx.events.length, 1);
            const ev = rx.events[0].body;
            strict_1.default.equal(ev.name, 'REFUND_FAILED');
            strict_1.default.equal(ev.source, c.webhook.source);
            strict_1.default.equal(ev.id, undefined, 'refund events have no envelope');
            const p = ev.payload;
            strict_1.default.equal(p.merchantTransactionId, mtid);
            strict_1.default.equal(p.status, 'FAILED');
            strict_1.default.deepEqual(p.error, { ...(c.webhook.code ? { code: c.webhook.code } : {}), description: c.webhook.description ?? c.detail });
            strict_1.default.equal('code' in p.error, c.webhook.code !== undefined);
            for (const o of ALL)
                strict_1.default.equal(o in p, c.webhook.objects.includes(o), `${o} present?`);
            const stored = await call(psp, 'GET', `/refunds/${p.refundId}`);
            strict_1.default.equal(stored.body.status, 'FAILED');
            strict_1.default.equal(stored.body.merchantTransactionId, mtid);
            const again = await call(psp, 'POST', '/refunds', { ...body, merchantTransactionId: mtid });
            strict_1.default.equal(again.body.detail, 'Refund already exists for the given merchantTransactionId');
            strict_1.default.equal(rx.events.length, 1);
        });
    }
    (0, node_test_1.test)('credit limit is configurable', async () => {
        const pm = (await payment()).paymentMethodId;
        await call(psp, 'POST', '/_faults', { creditLimit: '500' });
        strict_1.default.equal((await refund({ paymentMethodId: pm, amount: '501', customer: { hsid: 'h' } })).body.detail, 'The amount given exceeds the allowed refund limit');
        strict_1.default.equal((await refund({ paymentMethodId: pm, amount: '500', customer: { hsid: 'h' } })).status, 201);
    });
    (0, node_test_1.test)('successful linked and unlinked refunds; lookups; merchantTransactionId idempotency', async () => {
        const p = await payment({ orderId: 'ord_r' });
        rx.events.length = 0;
        const r = await call(psp, 'POST', '/refunds', {
            paymentId: p.id, amount: 2500, merchantTransactionId: 'mt-1', reason: 'DUPLICATE', metadata: { orderId: 'ord_r', invoiceNumber: 'INV-1' },
        });
        strict_1.default.equal(r.status, 201);
        strict_1.default.deepEqual(Object.keys(r.body).sort(), ['amount', 'createdAt', 'currency', 'merchantTransactionId', 'paymentId', 'paymentMethodId', 'refundId', 'status']);
        strict_1.default.equal(r.body.status, 'SUCCEEDED');
        strict_1.default.equal(r.body.amount, '2500');
        strict_1.default.equal(r.body.paymentMethodId, null);
        strict_1.default.deepEqual(rx.events.map((e) => e.body), [{
                name: 'REFUND_SUCCEEDED', source: '',
                payload: {
                    refundId: r.body.refundId, merchantTransactionId: 'mt-1', status: 'SUCCEEDED', amount: '2500', currency: 'EUR', createdAt: r.body.createdAt,
                    payment: { paymentId: p.id, orderId: 'ord_r' }, metadata: { orderId: 'ord_r', invoiceNumber: 'INV-1' },
                },
            }]);
        const dup = await call(psp, 'POST', '/refunds', { paymentId: p.id, amount: 2500, merchantTransactionId: 'mt-1' });
        strict_1.default.equal(dup.body.detail, 'Refund already exists for the given merchantTransactionId');
        strict_1.default.equal(rx.events.length, 1);
        const byMtid = await call(psp, 'GET', '/refunds?merchantTransactionId=mt-1');
        strict_1.default.equal(byMtid.body.refunds.length, 1);
        strict_1.default.equal(byMtid.body.refunds[0].refundId, r.body.refundId);
        strict_1.default.equal((await call(psp, 'GET', '/refunds?merchantTransactionId=none')).body.refunds.length, 0);
        strict_1.default.equal((await call(psp, 'GET', `/refunds/${r.body.refundId}`)).body.amount, '2500');
        const u = await call(psp, 'POST', '/refunds-direct', { paymentMethodId: p.paymentMethodId, amount: '700', merchantTransactionId: 'mt-2', customer: { hsid: 'h' }, metadata: { orderId: 'ord_r' } });
        strict_1.default.equal(u.status, 201);
        strict_1.default.equal(u.body.paymentId, null);
        strict_1.default.equal(rx.events[1].body.payload.payment.paymentId, null);
        const byOrder = await call(psp, 'GET', '/orders/ord_r/payments');
        strict_1.default.equal(byOrder.body.payments.length, 1);
        strict_1.default.equal(byOrder.body.captures.length, 1);
        strict_1.default.deepEqual(byOrder.body.refunds.map((x) => x.merchantTransactionId).sort(), ['mt-1', 'mt-2']);
        assertUniqueIds();
    });
    (0, node_test_1.test)('lateFailNext: 201 SUCCEEDED, then REFUND_FAILED without a code; reverse emits REFUND_REVERSED', async () => {
        const p = await payment();
        await call(psp, 'POST', '/_faults', { lateFailNext: 1 });
        rx.events.length = 0;
        const late = await refund({ paymentId: p.id, amount: '100' });
        strict_1.default.equal(late.status, 201);
        strict_1.default.equal(late.body.status, 'SUCCEEDED');
        strict_1.default.equal(rx.events[0].body.name, 'REFUND_FAILED');
        strict_1.default.equal(rx.events[0].body.payload.refundId, late.body.refundId);
        strict_1.default.equal('code' in rx.events[0].body.payload.error, false);
        strict_1.default.equal((await call(psp, 'GET', `/refunds/${late.body.refundId}`)).body.status, 'FAILED');
        const ok = await refund({ paymentId: p.id, amount: '100' });
        strict_1.default.equal(rx.events[1].body.name, 'REFUND_SUCCEEDED');
        const rev = await call(psp, 'POST', `/refunds/${ok.body.refundId}/reverse`);
        strict_1.default.equal(rev.body.status, 'REVERSED');
        strict_1.default.equal(rev.body.version, 2);
        strict_1.default.equal(rx.events[2].body.name, 'REFUND_REVERSED');
        strict_1.default.equal(rx.events[2].body.payload.refundId, ok.body.refundId);
        strict_1.default.equal((await call(psp, 'POST', `/refunds/${ok.body.refundId}/reverse`)).status, 409);
        strict_1.default.equal((await call(psp, 'POST', `/refunds/${late.body.refundId}/reverse`)).status, 409);
    });
    (0, node_test_1.test)('settlements: one line per unsettled capture and succeeded refund, one batch per currency', async () => {
        const a = await payment({ amount: '10000', orderId: 'ord_s1' });
        await payment({ amount: '300', currency: 'USD', orderId: 'ord_s2' });
        const r = await refund({ paymentId: a.id, amount: '2500' });
        await call(psp, 'POST', '/_faults', { lateFailNext: 1 });
        await refund({ paymentId: a.id, amount: '10' }); // failed late: not settled
        rx.events.length = 0;
        const s = await call(psp, 'POST', '/settlements', {
            id: 'b1', extraLines: [{ kind: 'FEE', pspReference: 'fee-1', orderId: null, gross: '-30', currency: 'EUR' }, { kind: 'CHARGEBACK', pspReference: 'cb-1', orderId: 'ord_s1', gross: '-100', fee: '15', currency: 'EUR' }],
        });
        strict_1.default.equal(s.status, 201);
        const eur = s.body.settlements.find((x) => x.currency === 'EUR');
        strict_1.default.equal(eur.id, 'b1-EUR');
        strict_1.default.deepEqual(eur.lines.map((l) => [l.kind, l.pspReference, l.gross, l.fee, l.net, l.orderId]), [
            ['CAPTURE', (await call(psp, 'GET', '/orders/ord_s1/payments')).body.captures[0].id, '10000', '0', '10000', 'ord_s1'],
            ['REFUND', r.body.refundId, '-2500', '0', '-2500', 'ord_s1'],
            ['FEE', 'fee-1', '-30', '0', '-30', null],
            ['CHARGEBACK', 'cb-1', '-100', '15', '-115', 'ord_s1'],
        ]);
        strict_1.default.deepEqual(types('psp'), ['settlement.closed', 'settlement.closed']);
        const usd = rx.events.map((e) => e.body.data.settlement).find((x) => x.currency === 'USD');
        strict_1.default.deepEqual(usd.lines.map((l) => [l.kind, l.gross, l.currency]), [['CAPTURE', '300', 'USD']]);
        strict_1.default.deepEqual(Object.keys(usd).sort(), ['currency', 'id', 'lines', 'settledAt']);
        strict_1.default.equal((await call(psp, 'POST', '/settlements', {})).status, 409, 'everything is already settled');
    });
});
// -------------------------------------------------------------------------------------------- ERP
(0, node_test_1.describe)('ERP simulator', () => {
    const post = (externalRef, extra = {}) => call(erp, 'POST', '/journal-entries', { kind: 'REFUND', externalRef, orderId: 'ord_e', amount: '500', currency: 'EUR', ...extra }, { 'Idempotency-Key': externalRef });
    (0, node_test_1.test)('idempotent by default: the same externalRef returns the same document, no new event', async () => {
        const a = await post('ref-1');
        strict_1.default.equal(a.status, 201);
        strict_1.default.equal(a.body.status, 'POSTED');
        const b = await post('ref-1');
        strict_1.default.equal(b.status, 200);
        strict_1.default.deepEqual(b.body, a.body);
        strict_1.default.deepEqual(types('erp'), ['posting.created']);
        strict_1.default.deepEqual(rx.events[0].body.data.posting, a.body);
        strict_1.default.equal((await call(erp, 'GET', '/journal-entries?externalRef=ref-1')).body.postings.length, 1);
    });
    (0, node_test_1.test)('non-idempotent mode double-posts', async () => {
        await call(erp, 'POST', '/_faults', { nonIdempotent: true });
        const a = await post('ref-2');
        const b = await post('ref-2');
        strict_1.default.equal(b.status, 201);
        strict_1.default.notEqual(a.body.documentId, b.body.documentId);
        strict_1.default.equal((await call(erp, 'GET', '/journal-entries?orderId=ord_e')).body.postings.length, 2);
        strict_1.default.deepEqual(types('erp'), ['posting.created', 'posting.created']);
    });
    (0, node_test_1.test)('rejectNext creates REJECTED documents; overwritePartials replaces the earlier refund', async () => {
        await call(erp, 'POST', '/_faults', { rejectNext: 1 });
        const rej = await post('ref-3', { orderId: 'ord_x' });
        strict_1.default.equal(rej.status, 201);
        strict_1.default.equal(rej.body.status, 'REJECTED');
        strict_1.default.equal(rej.body.reasonCode, 'UNMAPPED_REASON_CODE');
        strict_1.default.equal((await post('ref-4', { orderId: 'ord_x' })).body.status, 'POSTED');
        await call(erp, 'POST', '/_faults', { overwritePartials: true });
        const first = await post('ref-5', { amount: '300' });
        rx.events.length = 0;
        const second = await post('ref-6', { amount: '200' });
        strict_1.default.equal(second.body.documentId, first.body.documentId);
        strict_1.default.equal(second.body.amount, '200');
        strict_1.default.equal(second.body.version, 2);
        strict_1.default.equal(second.body.externalRef, 'ref-5');
        strict_1.default.equal(rx.events[0].body.data.posting.version, 2);
        strict_1.default.equal((await call(erp, 'GET', '/journal-entries?externalRef=ref-6')).body.postings.length, 0);
    });
});
// -------------------------------------------------------------------------------------------- webhooks & faults
(0, node_test_1.describe)('webhook delivery controls', () => {
    const order = (id) => call(oms, 'POST', '/orders', { id, currency: 'EUR', total: '1' });
    const orderIds = () => rx.of('oms').map((e) => e.body.data.order.id);
    (0, node_test_1.test)('hold queues until flush; reverse flips the queue', async () => {
        await call(oms, 'POST', '/_faults', { webhooks: { mode: 'hold' } });
        await order('o1');
        await order('o2');
        await order('o3');
        strict_1.default.equal(rx.events.length, 0);
        strict_1.default.equal((await state(oms)).webhooks.pending, 3);
        strict_1.default.equal(sims.oms.webhooks.pending(), 3);
        const f = await call(oms, 'POST', '/_webhooks/flush');
        strict_1.default.deepEqual(f.body, { sent: 3, pending: 0 });
        strict_1.default.deepEqual(orderIds(), ['o1', 'o2', 'o3']);
        rx.events.length = 0;
        await call(oms, 'POST', '/_faults', { webhooks: { reverse: true } });
        await order('o4');
        await order('o5');
        await call(oms, 'POST', '/_webhooks/flush');
        strict_1.default.deepEqual(orderIds(), ['o5', 'o4']);
    });
    (0, node_test_1.test)('duplicate sends each event twice with the same id; dropNext loses events', async () => {
        await call(oms, 'POST', '/_faults', { webhooks: { duplicate: true } });
        await order('d1');
        strict_1.default.equal(rx.events.length, 2);
        strict_1.default.equal(rx.events[0].eventId, rx.events[1].eventId);
        strict_1.default.deepEqual(rx.events[0].body, rx.events[1].body);
        rx.events.length = 0;
        await call(oms, 'POST', '/_faults', { webhooks: { duplicate: false, dropNext: 2 } });
        await order('d2');
        await order('d3');
        await order('d4');
        strict_1.default.deepEqual(orderIds(), ['d4']);
        const log = (await state(oms)).webhooks.deliveries;
        strict_1.default.deepEqual(log.filter((d) => d.outcome === 'dropped').length, 2);
        strict_1.default.ok(log.every((d) => typeof d.eventId === 'string' && 'status' in d));
    });
    (0, node_test_1.test)('retries 5xx, not 400/401; the delivery log records each attempt', async () => {
        rx.statuses.push(500, 503);
        await order('r1');
        strict_1.default.deepEqual(orderIds(), ['r1']);
        let log = (await state(oms)).webhooks.deliveries;
        strict_1.default.deepEqual(log.map((d) => [d.status, d.outcome]), [[500, 'retrying'], [503, 'retrying'], [200, 'delivered']]);
        strict_1.default.equal(new Set(log.map((d) => d.eventId)).size, 1);
        rx.statuses.push(400);
        await order('r2');
        log = (await state(oms)).webhooks.deliveries;
        strict_1.default.deepEqual(log.at(-1), { ...log.at(-1), status: 400, outcome: 'rejected', attempt: 1 });
        strict_1.default.deepEqual(orderIds(), ['r1']);
    });
    (0, node_test_1.test)('a wrongly signed event is refused by the receiver (401) and not retried', async () => {
        const s = new simulators_1.WebhookSender('oms', { serviceUrl: rx.url, secret: 'wrong-secret-wrong-secret' });
        await s.emit('order.upserted', { id: 'x', type: 'order.upserted', occurredAt: new Date().toISOString(), data: {} }, (0, node_crypto_1.randomUUID)());
        strict_1.default.deepEqual(s.deliveries.map((d) => [d.status, d.outcome]), [[401, 'rejected']]);
        strict_1.default.equal(rx.events.length, 0);
    });
    (0, node_test_1.test)('without a service URL events queue; setServiceUrl + flush delivers them', async () => {
        const own = await (0, simulators_1.startSimulators)({ secrets: SECRETS });
        try {
            const r = await call(own.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: 'q1', amount: '5', currency: 'EUR' });
            strict_1.default.equal(r.status, 201);
            strict_1.default.equal(own.erp.webhooks.pending(), 1);
            own.setServiceUrl(rx.url);
            strict_1.default.equal(await own.flush(), 1);
            strict_1.default.deepEqual(types('erp'), ['posting.created']);
            strict_1.default.equal(rx.events[0].body.data.posting.externalRef, 'q1');
        }
        finally {
            await own.close();
        }
    });
});
(0, node_test_1.describe)('API faults', () => {
    (0, node_test_1.test)('failNext answers failStatus and does nothing; /_state and /_faults are exempt', async () => {
        await call(psp, 'POST', '/_faults', { failNext: 2 });
        strict_1.default.equal((await call(psp, 'GET', '/_state')).status, 200);
        const a = await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' });
        strict_1.default.equal(a.status, 503);
        strict_1.default.equal(a.body.status, 503);
        await call(psp, 'POST', '/_faults', { failStatus: 500 });
        strict_1.default.equal((await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' })).status, 500);
        strict_1.default.deepEqual((await state(psp)).payments, {});
        strict_1.default.equal(rx.events.length, 0);
        strict_1.default.equal((await call(psp, 'POST', '/payments', { id: 'pay_f', amount: '1', currency: 'EUR' })).status, 201);
        strict_1.default.equal((await call(psp, 'POST', '/_faults', { failNext: -1 })).status, 400);
    });
    (0, node_test_1.test)('timeoutNext: the client times out, but the operation happened and its webhook was sent', async () => {
        const p = await payment();
        await call(psp, 'POST', '/_faults', { timeoutNext: 1 });
        rx.events.length = 0;
        await strict_1.default.rejects(fetch(`${psp}/refunds`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-timeout' }),
            signal: AbortSignal.timeout(300),
        }), (e) => e.name === 'TimeoutError');
        const st = await state(psp);
        const refunds = Object.values(st.refunds);
        strict_1.default.equal(refunds.length, 1);
        strict_1.default.equal(refunds[0].merchantTransactionId, 'mt-timeout');
        strict_1.default.equal(refunds[0].status, 'SUCCEEDED');
        strict_1.default.equal(st.faults.timeoutNext, 0);
        strict_1.default.equal(rx.events[0].body.name, 'REFUND_SUCCEEDED');
        // The retry with the same merchantTransactionId is refused, and the refund is found by lookup instead.
        strict_1.default.equal((await refund({ paymentId: p.id, amount: '100', merchantTransactionId: 'mt-timeout' })).body.detail, 'Refund already exists for the given merchantTransactionId');
        strict_1.default.equal((await call(psp, 'GET', '/refunds?merchantTransactionId=mt-timeout')).body.refunds[0].status, 'SUCCEEDED');
    });
    (0, node_test_1.test)('_reset clears state and faults', async () => {
        await call(erp, 'POST', '/_faults', { nonIdempotent: true, failNext: 5, webhooks: { mode: 'hold' } });
        await call(erp, 'POST', '/_reset');
        const st = await state(erp);
        strict_1.default.deepEqual(st.postings, {});
        strict_1.default.equal(st.faults.failNext, 0);
        strict_1.default.equal(st.faults.nonIdempotent, false);
        strict_1.default.equal(st.webhooks.mode, 'immediate');
    });
});
//# sourceMappingURL=simulators.test.js.map