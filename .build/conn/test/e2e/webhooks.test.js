"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const webhook_service_1 = require("../../src/webhooks/webhook.service");
const test_app_1 = require("../support/test-app");
const drive_1 = require("../support/drive");
let t;
(0, node_test_1.before)(async () => { t = await (0, test_app_1.createTestApp)(); });
(0, node_test_1.after)(async () => { await t?.close(); await (0, test_app_1.stopTestServer)(); });
const secret = () => t.config.webhookSecrets.OMS;
const count = async (table) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
function post(source, raw, opts = {}) {
    const req = t.http.post(`/webhooks/${source}`).set('Content-Type', opts.contentType ?? 'application/json');
    if (opts.secret !== null)
        req.set('X-Signature', (0, webhook_service_1.sign)(opts.secret ?? secret(), raw));
    if (opts.eventId)
        req.set('X-Event-Id', opts.eventId);
    return req.send(raw);
}
function orderEvent(id, version, status, eventId = (0, node_crypto_1.randomUUID)()) {
    return JSON.stringify({
        id: eventId,
        type: 'order.upserted',
        occurredAt: new Date().toISOString(),
        data: { order: { id, status, currency: 'EUR', total: '2500', customerId: 'c-1', createdAt: '2026-11-01T10:00:00.000Z', version } },
    });
}
(0, node_test_1.describe)('signed webhooks', () => {
    (0, node_test_1.test)('a bad or missing signature is 401 and nothing is stored', async () => {
        const before = await count('webhook_event');
        const body = orderEvent('wh-1', 1, 'CREATED');
        strict_1.default.equal((await post('oms', body, { secret: 'wrong-secret-0123456789' })).status, 401);
        strict_1.default.equal((await post('oms', body, { secret: null })).status, 401);
        // signed with another system's secret
        strict_1.default.equal((await post('oms', body, { secret: t.config.webhookSecrets.PSP })).status, 401);
        // signature over different bytes (body altered after signing)
        const res = await t.http.post('/webhooks/oms').set('Content-Type', 'application/json').set('X-Signature', (0, webhook_service_1.sign)(secret(), body)).send(body.replace('CREATED', 'COMPLETED'));
        strict_1.default.equal(res.status, 401);
        strict_1.default.equal(await count('webhook_event'), before);
        strict_1.default.equal(await count("oms_order WHERE id = 'wh-1'"), 0);
    });
    (0, node_test_1.test)('a malformed body is 400 with a clear message, and the raw event is kept for inspection', async () => {
        const raw = '{"id": "evt-broken", "type": "order.upserted", ';
        const res = await post('oms', raw);
        strict_1.default.equal(res.status, 400);
        strict_1.default.match(res.body.error, /not valid JSON/);
        const [row] = await t.dataSource.query("SELECT status, payload, error FROM webhook_event WHERE source = 'OMS' AND event_id LIKE 'sha256:%'");
        strict_1.default.equal(row.status, 'REJECTED');
        strict_1.default.equal(row.payload, raw);
        const bad = JSON.stringify({ id: 'evt-bad-amount', type: 'order.upserted', data: { order: { id: 'wh-2', status: 'CREATED', currency: 'EUR', total: '12.50', createdAt: '2026-11-01T10:00:00Z', version: 1 } } });
        const r2 = await post('oms', bad);
        strict_1.default.equal(r2.status, 400);
        strict_1.default.match(r2.body.error, /data\.order\.total/);
        strict_1.default.equal(await count("oms_order WHERE id = 'wh-2'"), 0);
        const [kept] = await t.dataSource.query("SELECT status, payload FROM webhook_event WHERE event_id = 'evt-bad-amount'");
        strict_1.default.deepEqual(kept, { status: 'REJECTED', payload: bad });
    });
    (0, node_test_1.test)('replays are deduplicated by (source, event id) and counted', async () => {
        const body = orderEvent('wh-3', 1, 'CREATED', 'evt-replay');
        const first = await post('oms', body);
        strict_1.default.equal(first.status, 200);
        strict_1.default.equal(first.body.duplicate, false);
        const again = await post('oms', body);
        strict_1.default.equal(again.status, 200);
        strict_1.default.equal(again.body.duplicate, true);
        const [row] = await t.dataSource.query("SELECT replay_count, status FROM webhook_event WHERE event_id = 'evt-replay'");
        strict_1.default.deepEqual(row, { replay_count: 1, status: 'PROCESSED' });
        // the same event id from another source is a different event
        const psp = await post('psp', JSON.stringify({ id: 'evt-replay', type: 'unknown.thing', data: {} }), { secret: t.config.webhookSecrets.PSP });
        strict_1.default.equal(psp.body.duplicate, false);
        strict_1.default.equal(psp.body.result, 'ignored');
    });
    (0, node_test_1.test)('an older event never overwrites newer state (out-of-order delivery)', async () => {
        await post('oms', orderEvent('wh-4', 3, 'SHIPPED'));
        await post('oms', orderEvent('wh-4', 2, 'CONFIRMED'));
        await post('oms', orderEvent('wh-4', 1, 'CREATED'));
        const r = await t.gql('SUPPORT', '{ order(id: "wh-4") { status } }');
        strict_1.default.equal(r.data.order.status, 'SHIPPED');
        await post('oms', orderEvent('wh-4', 4, 'COMPLETED'));
        strict_1.default.equal((await t.gql('SUPPORT', '{ order(id: "wh-4") { status } }')).data.order.status, 'COMPLETED');
    });
    (0, node_test_1.test)('unknown sources are 404; unknown event types are stored and ignored', async () => {
        strict_1.default.equal((await post('crm', '{}')).status, 404);
        const r = await post('erp', JSON.stringify({ id: 'evt-new-type', type: 'ledger.closed', data: {} }), { secret: t.config.webhookSecrets.ERP });
        strict_1.default.equal(r.status, 200);
        strict_1.default.equal(r.body.result, 'ignored');
    });
    (0, node_test_1.test)('duplicated and reversed deliveries from the simulators leave the right state', async () => {
        await (0, drive_1.call)(t.sims.urls.oms, 'POST', '/_faults', { webhooks: { mode: 'hold', duplicate: true, reverse: true } });
        const order = await (0, drive_1.call)(t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '4200', status: 'CREATED' });
        const id = order.id ?? order.order.id;
        await (0, drive_1.call)(t.sims.urls.oms, 'PATCH', `/orders/${id}`, { status: 'CONFIRMED' });
        await (0, drive_1.call)(t.sims.urls.oms, 'PATCH', `/orders/${id}`, { status: 'SHIPPED' });
        await (0, drive_1.call)(t.sims.urls.oms, 'POST', `/orders/${id}/invoices`, { kind: 'OUTPUT', amount: '4200' });
        await (0, drive_1.call)(t.sims.urls.oms, 'POST', '/_webhooks/flush');
        await (0, drive_1.call)(t.sims.urls.oms, 'POST', '/_faults', { webhooks: { mode: 'immediate', duplicate: false, reverse: false } });
        const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { status invoices { kind amount { amount } } interactions { kind } } }', { id });
        strict_1.default.equal(r.data.order.status, 'SHIPPED');
        strict_1.default.deepEqual(r.data.order.invoices, [{ kind: 'OUTPUT', amount: { amount: '42.00' } }]);
        const kinds = r.data.order.interactions.map((i) => i.kind).sort();
        strict_1.default.deepEqual(kinds, ['Invoice Notification', 'Order Status', 'Order Status']);
    });
    (0, node_test_1.test)('PSP and ERP events build payments, captures, settlements and postings', async () => {
        const o = await (0, drive_1.paidOrder)(t.sims, { total: '3000' });
        const s = await (0, drive_1.call)(t.sims.urls.psp, 'POST', '/settlements', { extraLines: [{ kind: 'FEE', pspReference: 'fee-1', orderId: null, gross: '-15' }] });
        const settlementId = s.settlement?.id ?? s.id;
        await (0, drive_1.call)(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: o.captureId, orderId: o.orderId, amount: '3000', currency: 'EUR' });
        const r = await t.gql('FINANCE', `query($id: ID!, $s: ID!) {
      order(id: $id) { payments { status authorized { amount } } captures { amount { amount } } settlementLines { kind settlementId } erpPostings { kind externalRef status } }
      settlement(id: $s) { id lines { kind orderId gross { amount } } } }`, { id: o.orderId, s: settlementId });
        strict_1.default.equal(r.errors, undefined, JSON.stringify(r.errors));
        strict_1.default.deepEqual(r.data.order.payments, [{ status: 'COMPLETED', authorized: { amount: '30.00' } }]);
        strict_1.default.deepEqual(r.data.order.erpPostings, [{ kind: 'CAPTURE', externalRef: o.captureId, status: 'POSTED' }]);
        strict_1.default.ok(r.data.settlement.lines.some((l) => l.kind === 'FEE' && l.orderId === null && l.gross.amount === '-0.15'));
    });
});
//# sourceMappingURL=webhooks.test.js.map