"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_http_1 = __importDefault(require("node:http"));
const context_1 = require("../../src/db/context");
const transaction_1 = require("../../src/db/transaction");
const errors_1 = require("../../src/shared/errors");
const http_client_1 = require("../../src/shared/http-client");
const connectors_1 = require("../../src/systems/connectors");
const erp_connector_1 = require("../../src/systems/erp/erp.connector");
const oms_connector_1 = require("../../src/systems/oms/oms.connector");
const psp_connector_1 = require("../../src/systems/psp/psp.connector");
const drive_1 = require("../support/drive");
const test_app_1 = require("../support/test-app");
let t;
let ctx;
(0, node_test_1.before)(async () => {
    t = await (0, test_app_1.createTestApp)();
    ctx = context_1.RequestContext.system(t.app.services);
});
(0, node_test_1.after)(async () => {
    await t?.close();
    await (0, test_app_1.stopTestServer)();
});
(0, node_test_1.beforeEach)(async () => {
    for (const url of Object.values(t.sims.urls))
        await (0, drive_1.call)(url, 'POST', '/_faults', { failNext: 0, failStatus: 503, timeoutNext: 0 });
});
const faults = (url, body) => (0, drive_1.call)(url, 'POST', '/_faults', body);
const pspRefunds = async (mtid) => Object.values((await (0, drive_1.call)(t.sims.urls.psp, 'GET', '/_state')).refunds).filter((r) => r.merchantTransactionId === mtid);
/** A pass-through in front of a simulator that records each request's method, path and Idempotency-Key. */
async function recordingProxy(target, answer) {
    const seen = [];
    const server = node_http_1.default.createServer(async (req, res) => {
        const chunks = [];
        for await (const c of req)
            chunks.push(c);
        seen.push({ method: req.method, path: req.url, key: req.headers['idempotency-key'] });
        const canned = answer?.(req.url);
        if (canned)
            return void res.writeHead(canned.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(canned.body));
        const up = await fetch(target + req.url, {
            method: req.method,
            headers: { 'Content-Type': 'application/json', ...(req.headers['idempotency-key'] ? { 'Idempotency-Key': String(req.headers['idempotency-key']) } : {}) },
            body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(up.status, { 'Content-Type': 'application/json' }).end(await up.text());
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((r) => server.close(() => r())) };
}
(0, node_test_1.describe)('PspConnector.createRefund', () => {
    (0, node_test_1.test)('succeeded: the PSP refund comes back parsed, amounts as bigint', async () => {
        const o = await (0, drive_1.paidOrder)(t.sims);
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await (0, connectors_1.connectorsOf)(t.app.services).psp.createRefund(ctx, {
            paymentId: o.paymentId, amountMinor: 2500n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN', metadata: { orderId: o.orderId },
        });
        strict_1.default.equal(r.kind, 'succeeded');
        if (r.kind !== 'succeeded')
            return;
        strict_1.default.equal(r.record.status, 'SUCCEEDED');
        strict_1.default.equal(r.record.amountMinor, 2500n);
        strict_1.default.equal(r.record.currency, 'EUR');
        strict_1.default.equal(r.record.merchantTransactionId, mtid);
        strict_1.default.equal(r.record.paymentId, o.paymentId);
        strict_1.default.equal(r.record.errorCode, null);
        const held = await pspRefunds(mtid);
        strict_1.default.equal(held.length, 1);
        strict_1.default.equal(held[0].refundId, r.record.pspRefundId);
        strict_1.default.equal(held[0].amount, '2500');
    });
    (0, node_test_1.test)('rejected: each definite 4xx answer carries its canonical code', async () => {
        const psp = (0, connectors_1.connectorsOf)(t.app.services).psp;
        const captured = await (0, drive_1.paidOrder)(t.sims, { total: '1000' });
        const authorized = await (0, drive_1.paidOrder)(t.sims, { capture: false });
        const cases = [
            [{ paymentId: 'pay_unknown' }, errors_1.ErrorCode.PAYMENT_NOT_REFUNDABLE],
            [{ paymentId: authorized.paymentId }, errors_1.ErrorCode.PAYMENT_NOT_CAPTURED],
            [{ paymentId: captured.paymentId, amountMinor: 1001n }, errors_1.ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
            [{}, errors_1.ErrorCode.PAYMENT_IDENTIFIER_REQUIRED],
            [{ paymentMethodId: 'pm_unknown', amountMinor: 10n, customer: { hsid: 'h-1' } }, errors_1.ErrorCode.PAYMENT_METHOD_NOT_FOUND],
        ];
        for (const [req, code] of cases) {
            const r = await psp.createRefund(ctx, { currency: 'EUR', merchantTransactionId: (0, node_crypto_1.randomUUID)(), reason: 'RETURN', ...req });
            strict_1.default.equal(r.kind, 'rejected', `${code}: ${JSON.stringify(r)}`);
            if (r.kind === 'rejected') {
                strict_1.default.equal(r.code, code);
                strict_1.default.ok(r.message.length > 0);
            }
        }
    });
    (0, node_test_1.test)('already-exists: a second call with the same merchantTransactionId, and findRefund returns the first refund', async () => {
        const psp = (0, connectors_1.connectorsOf)(t.app.services).psp;
        const o = await (0, drive_1.paidOrder)(t.sims);
        const mtid = (0, node_crypto_1.randomUUID)();
        const first = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.equal(first.kind, 'succeeded');
        const again = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.deepEqual(again, { kind: 'already-exists' });
        const found = await psp.findRefund(ctx, mtid);
        strict_1.default.equal(found?.pspRefundId, first.kind === 'succeeded' ? first.record.pspRefundId : undefined);
        strict_1.default.equal(found?.amountMinor, 100n);
        strict_1.default.equal(found?.version, 1n);
        strict_1.default.equal(await psp.findRefund(ctx, (0, node_crypto_1.randomUUID)()), null);
        strict_1.default.equal((await pspRefunds(mtid)).length, 1);
    });
    (0, node_test_1.test)('findRefund reports a refund the PSP failed later with its canonical code', async () => {
        const psp = (0, connectors_1.connectorsOf)(t.app.services).psp;
        const o = await (0, drive_1.paidOrder)(t.sims);
        await faults(t.sims.urls.psp, { lateFailNext: 1 });
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.equal(r.kind, 'succeeded');
        const found = await psp.findRefund(ctx, mtid);
        strict_1.default.equal(found?.status, 'FAILED');
        strict_1.default.equal(found?.errorCode, errors_1.ErrorCode.PSP_REJECTED);
        strict_1.default.match(found?.errorMessage ?? '', /declined/);
    });
    (0, node_test_1.test)('unknown: a timeout after the PSP acted is never reported as a result', async () => {
        const psp = new psp_connector_1.PspConnector(t.sims.urls.psp, 150, { retries: 0 });
        const o = await (0, drive_1.paidOrder)(t.sims);
        await faults(t.sims.urls.psp, { timeoutNext: 1, hangMs: 2000 });
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.equal(r.kind, 'unknown');
        strict_1.default.match(r.kind === 'unknown' ? r.reason : '', /timed out/);
        // The PSP did refund: only a read-back with the same key can tell.
        strict_1.default.equal((await psp.findRefund(ctx, mtid))?.status, 'SUCCEEDED');
    });
    (0, node_test_1.test)('a timeout retried with the same key meets the first refund: already-exists, one refund at the PSP', async () => {
        const psp = new psp_connector_1.PspConnector(t.sims.urls.psp, 150, { retries: 2 });
        const o = await (0, drive_1.paidOrder)(t.sims);
        await faults(t.sims.urls.psp, { timeoutNext: 1, hangMs: 2000 });
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.deepEqual(r, { kind: 'already-exists' });
        strict_1.default.equal((await pspRefunds(mtid)).length, 1);
    });
    (0, node_test_1.test)('unknown: 503 on every attempt', async () => {
        const psp = new psp_connector_1.PspConnector(t.sims.urls.psp, 1000, { retries: 1, breakerThreshold: 100 });
        const o = await (0, drive_1.paidOrder)(t.sims);
        await faults(t.sims.urls.psp, { failNext: 2, failStatus: 503 });
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.equal(r.kind, 'unknown');
        strict_1.default.match(r.kind === 'unknown' ? r.reason : '', /503/);
        strict_1.default.equal((await pspRefunds(mtid)).length, 0);
    });
    (0, node_test_1.test)('a 503 then success: retried with the same Idempotency-Key, one refund at the PSP', async () => {
        const proxy = await recordingProxy(t.sims.urls.psp);
        try {
            const psp = new psp_connector_1.PspConnector(proxy.url, 1000, { retries: 2 });
            const o = await (0, drive_1.paidOrder)(t.sims);
            await faults(t.sims.urls.psp, { failNext: 1, failStatus: 503 });
            const mtid = (0, node_crypto_1.randomUUID)();
            const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
            strict_1.default.equal(r.kind, 'succeeded');
            const posts = proxy.seen.filter((s) => s.method === 'POST' && s.path === '/refunds');
            strict_1.default.equal(posts.length, 2);
            strict_1.default.deepEqual(posts.map((p) => p.key), [mtid, mtid]);
            strict_1.default.equal((await pspRefunds(mtid)).length, 1);
        }
        finally {
            await proxy.close();
        }
    });
    (0, node_test_1.test)('unknown: a 2xx answer that does not fit the contract is not taken as success', async () => {
        const proxy = await recordingProxy(t.sims.urls.psp, (p) => (p === '/refunds' ? { status: 201, body: { ok: true } } : undefined));
        try {
            const r = await new psp_connector_1.PspConnector(proxy.url, 1000).createRefund(ctx, { paymentId: 'p', amountMinor: 1n, currency: 'EUR', merchantTransactionId: (0, node_crypto_1.randomUUID)(), reason: 'RETURN' });
            strict_1.default.equal(r.kind, 'unknown');
        }
        finally {
            await proxy.close();
        }
    });
    (0, node_test_1.test)('unknown: no PSP configured', async () => {
        const r = await new psp_connector_1.PspConnector(undefined, 1000).createRefund(ctx, { paymentId: 'p', currency: 'EUR', merchantTransactionId: (0, node_crypto_1.randomUUID)(), reason: 'RETURN' });
        strict_1.default.equal(r.kind, 'unknown');
    });
});
(0, node_test_1.describe)('PspConnector.getOrderRecords', () => {
    (0, node_test_1.test)("payments and captures in the webhook contract's shapes, refunds parsed", async () => {
        const o = await (0, drive_1.paidOrder)(t.sims, { total: '4000' });
        const psp = (0, connectors_1.connectorsOf)(t.app.services).psp;
        await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 1500n, currency: 'EUR', merchantTransactionId: (0, node_crypto_1.randomUUID)(), reason: 'RETURN' });
        const recs = await psp.getOrderRecords(ctx, o.orderId);
        strict_1.default.equal(recs.payments.length, 1);
        strict_1.default.equal(recs.payments[0].id, o.paymentId);
        strict_1.default.equal(recs.payments[0].authorized, '4000');
        strict_1.default.equal(recs.payments[0].status, 'COMPLETED');
        strict_1.default.equal(recs.captures.length, 1);
        strict_1.default.equal(recs.captures[0].amount, '4000');
        strict_1.default.equal(recs.refunds.length, 1);
        strict_1.default.equal(recs.refunds[0].amountMinor, 1500n);
        strict_1.default.equal(recs.refunds[0].orderId, o.orderId);
        strict_1.default.deepEqual(await psp.getOrderRecords(ctx, 'ord_unknown'), { payments: [], captures: [], refunds: [] });
    });
});
(0, node_test_1.describe)('OmsConnector', () => {
    (0, node_test_1.test)('getOrder returns the order, its invoices, interactions and invoiceData; null when unknown', async () => {
        const o = await (0, drive_1.paidOrder)(t.sims, { total: '9000' });
        await (0, drive_1.returnInvoice)(t.sims, o.orderId, '3000');
        const oms = (0, connectors_1.connectorsOf)(t.app.services).oms;
        const got = await oms.getOrder(ctx, o.orderId);
        strict_1.default.ok(got);
        strict_1.default.equal(got.order.id, o.orderId);
        strict_1.default.equal(got.order.total, '9000');
        strict_1.default.deepEqual(got.invoices.map((i) => [i.kind, i.amount]), [['OUTPUT', '9000'], ['INPUT', '3000']]);
        strict_1.default.equal(got.interactions.length, 2);
        strict_1.default.deepEqual(got.invoiceData, { version: 1n, entries: [] });
        strict_1.default.equal(await oms.getOrder(ctx, 'ord_unknown'), null);
    });
    (0, node_test_1.test)('addInteraction is idempotent on its id; putInvoiceData on its key', async () => {
        const o = await (0, drive_1.paidOrder)(t.sims);
        const inv = await (0, drive_1.returnInvoice)(t.sims, o.orderId, '1000');
        const oms = (0, connectors_1.connectorsOf)(t.app.services).oms;
        const i = { id: `int-${(0, node_crypto_1.randomUUID)()}`, orderId: o.orderId, kind: 'Refund Payment', message: 'Refunded 10.00', refundId: 'r-1' };
        await oms.addInteraction(ctx, i);
        await oms.addInteraction(ctx, i);
        const got = await oms.getOrder(ctx, o.orderId);
        strict_1.default.equal(got.interactions.filter((x) => x.id === i.id).length, 1);
        const key = (0, node_crypto_1.randomUUID)();
        const entries = [{ invoiceNumber: inv, refundedMinor: 1000n, refundIds: ['r-1'] }];
        strict_1.default.deepEqual(await oms.putInvoiceData(ctx, o.orderId, entries, key), { version: 2n });
        strict_1.default.deepEqual(await oms.putInvoiceData(ctx, o.orderId, entries, key), { version: 2n });
        const after = await oms.getOrder(ctx, o.orderId);
        strict_1.default.deepEqual(after.invoiceData, { version: 2n, entries: [{ invoiceNumber: inv, refundedMinor: 1000n, refundIds: ['r-1'] }] });
        await strict_1.default.rejects(oms.putInvoiceData(ctx, o.orderId, [{ invoiceNumber: 'INV-nope', refundedMinor: 1n, refundIds: [] }], (0, node_crypto_1.randomUUID)()), (e) => e instanceof http_client_1.UpstreamError && e.status === 400);
    });
});
(0, node_test_1.describe)('ErpConnector', () => {
    (0, node_test_1.test)('postJournalEntry is keyed by externalRef; getPostings reads them back parsed', async () => {
        const erp = (0, connectors_1.connectorsOf)(t.app.services).erp;
        const ref = `ref-${(0, node_crypto_1.randomUUID)()}`;
        const orderId = `ord-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
        const a = await erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: ref, orderId, amountMinor: -2500n, currency: 'EUR', reasonCode: 'RETURN' });
        const b = await erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: ref, orderId, amountMinor: -2500n, currency: 'EUR', reasonCode: 'RETURN' });
        strict_1.default.equal(a.status, 'POSTED');
        strict_1.default.equal(b.documentId, a.documentId);
        const byOrder = await erp.getPostings(ctx, { orderId });
        strict_1.default.equal(byOrder.length, 1);
        strict_1.default.equal(byOrder[0].amount, -2500n);
        strict_1.default.equal(byOrder[0].externalRef, ref);
        strict_1.default.ok(byOrder[0].postedAt instanceof Date);
        strict_1.default.deepEqual((await erp.getPostings(ctx, { externalRef: ref })).map((p) => p.documentId), [a.documentId]);
    });
    (0, node_test_1.test)('a REJECTED document is an answer, not an error', async () => {
        await faults(t.sims.urls.erp, { rejectNext: 1 });
        const r = await (0, connectors_1.connectorsOf)(t.app.services).erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: `ref-${(0, node_crypto_1.randomUUID)()}`, orderId: null, amountMinor: 1n, currency: 'EUR' });
        strict_1.default.equal(r.status, 'REJECTED');
        strict_1.default.equal(r.posting.reasonCode, 'UNMAPPED_REASON_CODE');
    });
});
(0, node_test_1.describe)('guards', () => {
    (0, node_test_1.test)('connectors refuse to run inside a database transaction, and nothing reaches the upstream', async () => {
        const { psp, oms, erp } = (0, connectors_1.connectorsOf)(t.app.services);
        const mtid = (0, node_crypto_1.randomUUID)();
        const inTx = (f) => strict_1.default.rejects((0, transaction_1.withTransaction)(ctx, f), /must not be called inside a database transaction/);
        await inTx((tx) => psp.createRefund(tx, { paymentId: 'p', amountMinor: 1n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' }));
        await inTx((tx) => psp.findRefund(tx, mtid));
        await inTx((tx) => psp.getOrderRecords(tx, 'o'));
        await inTx((tx) => oms.getOrder(tx, 'o'));
        await inTx((tx) => oms.addInteraction(tx, { id: 'i', orderId: 'o', kind: 'k', message: 'm' }));
        await inTx((tx) => oms.putInvoiceData(tx, 'o', [], 'k'));
        await inTx((tx) => erp.postJournalEntry(tx, { kind: 'REFUND', externalRef: mtid, orderId: null, amountMinor: 1n, currency: 'EUR' }));
        await inTx((tx) => erp.getPostings(tx, {}));
        strict_1.default.equal((await pspRefunds(mtid)).length, 0);
        strict_1.default.equal((await erp.getPostings(ctx, { externalRef: mtid })).length, 0);
    });
    (0, node_test_1.test)('connectorsOf builds the connectors once per process', () => {
        strict_1.default.equal((0, connectors_1.connectorsOf)(t.app.services), (0, connectors_1.connectorsOf)(t.app.services));
    });
    (0, node_test_1.test)('the circuit opens after repeated 5xx and then fails fast without calling the upstream', async () => {
        const oms = new oms_connector_1.OmsConnector(t.sims.urls.oms, 1000, { breakerThreshold: 3, halfOpenAfterMs: 60_000, retries: 0 });
        await faults(t.sims.urls.oms, { failNext: 10, failStatus: 503 });
        for (let i = 0; i < 3; i++) {
            await strict_1.default.rejects(oms.getOrder(ctx, 'o'), (e) => e instanceof http_client_1.UpstreamError && e.kind === 'http' && e.status === 503);
        }
        await strict_1.default.rejects(oms.getOrder(ctx, 'o'), (e) => e instanceof http_client_1.UpstreamError && e.kind === 'circuit-open');
        await strict_1.default.rejects(oms.addInteraction(ctx, { id: 'i', orderId: 'o', kind: 'k', message: 'm' }), (e) => e instanceof http_client_1.UpstreamError && e.kind === 'circuit-open');
        // Only the three calls before the circuit opened reached the OMS.
        strict_1.default.equal((await (0, drive_1.call)(t.sims.urls.oms, 'GET', '/_state')).faults.failNext, 7);
    });
    (0, node_test_1.test)('an open PSP circuit makes createRefund answer unknown at once', async () => {
        const psp = new psp_connector_1.PspConnector(t.sims.urls.psp, 1000, { breakerThreshold: 2, halfOpenAfterMs: 60_000, retries: 0 });
        await faults(t.sims.urls.psp, { failNext: 2, failStatus: 502 });
        for (let i = 0; i < 2; i++)
            await strict_1.default.rejects(psp.findRefund(ctx, 'x'), (e) => e instanceof http_client_1.UpstreamError && e.status === 502);
        const mtid = (0, node_crypto_1.randomUUID)();
        const r = await psp.createRefund(ctx, { paymentId: 'p', amountMinor: 1n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
        strict_1.default.equal(r.kind, 'unknown');
        strict_1.default.match(r.kind === 'unknown' ? r.reason : '', /circuit open/);
    });
    (0, node_test_1.test)('an ERP connector with a dead base URL reports the upstream as unreachable', async () => {
        const erp = new erp_connector_1.ErpConnector('http://127.0.0.1:9', 500, { retries: 0 });
        await strict_1.default.rejects(erp.getPostings(ctx, {}), (e) => e instanceof http_client_1.UpstreamError && e.kind === 'network' && e.outcomeUnknown);
    });
});
//# sourceMappingURL=connectors.test.js.map