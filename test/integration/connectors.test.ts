import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { ErrorCode } from '../../src/shared/errors';
import { UpstreamError } from '../../src/shared/http-client';
import { ErpConnector } from '../../src/systems/erp/erp.connector';
import { OmsConnector } from '../../src/systems/oms/oms.connector';
import { PspConnector } from '../../src/systems/psp/psp.connector';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
let ctx: RequestContext;
before(async () => {
  t = await createTestApp();
  ctx = RequestContext.system(t.app.services);
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  for (const url of Object.values(t.sims.urls)) await call(url, 'POST', '/_faults', { failNext: 0, failStatus: 503, timeoutNext: 0 });
});

const faults = (url: string, body: Record<string, unknown>) => call(url, 'POST', '/_faults', body);
const pspRefunds = async (mtid: string) =>
  Object.values((await call(t.sims.urls.psp, 'GET', '/_state')).refunds as Record<string, any>).filter((r) => r.merchantTransactionId === mtid);

/** A pass-through in front of a simulator that records each request's method, path and Idempotency-Key. */
async function recordingProxy(target: string, answer?: (path: string) => { status: number; body: unknown } | undefined) {
  const seen: { method: string; path: string; key: string | undefined }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    seen.push({ method: req.method!, path: req.url!, key: req.headers['idempotency-key'] as string | undefined });
    const canned = answer?.(req.url!);
    if (canned) return void res.writeHead(canned.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(canned.body));
    const up = await fetch(target + req.url, {
      method: req.method,
      headers: { 'Content-Type': 'application/json', ...(req.headers['idempotency-key'] ? { 'Idempotency-Key': String(req.headers['idempotency-key']) } : {}) },
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(up.status, { 'Content-Type': 'application/json' }).end(await up.text());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The in-house PSP adapter instance of the test app (the default when PSP_ADAPTERS is unset). */
const inHouse = () => t.app.services.connectors.pspAdapters.get('inhouse') as PspConnector;

describe('PspConnector.createRefund', () => {
  test('succeeded: the PSP refund comes back parsed, amounts as bigint', async () => {
    const o = await paidOrder(t.sims);
    const mtid = randomUUID();
    const r = await inHouse().createRefund(ctx, {
      paymentId: o.paymentId,
      amountMinor: 2500n,
      currency: 'EUR',
      merchantTransactionId: mtid,
      reason: 'RETURN',
      metadata: { orderId: o.orderId },
    });
    assert.equal(r.kind, 'succeeded');
    if (r.kind !== 'succeeded') return;
    assert.equal(r.record.status, 'SUCCEEDED');
    assert.equal(r.record.amountMinor, 2500n);
    assert.equal(r.record.currency, 'EUR');
    assert.equal(r.record.merchantTransactionId, mtid);
    assert.equal(r.record.paymentId, o.paymentId);
    assert.equal(r.record.errorCode, null);
    const held = await pspRefunds(mtid);
    assert.equal(held.length, 1);
    assert.equal(held[0].refundId, r.record.pspRefundId);
    assert.equal(held[0].amount, '2500');
  });

  test('rejected: each definite 4xx answer carries its canonical code', async () => {
    const psp = inHouse();
    const captured = await paidOrder(t.sims, { total: '1000' });
    const authorized = await paidOrder(t.sims, { capture: false });
    const cases: [Partial<Parameters<PspConnector['createRefund']>[1]>, ErrorCode][] = [
      [{ paymentId: 'pay_unknown' }, ErrorCode.PAYMENT_NOT_REFUNDABLE],
      [{ paymentId: authorized.paymentId }, ErrorCode.PAYMENT_NOT_CAPTURED],
      [{ paymentId: captured.paymentId, amountMinor: 1001n }, ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
      [{}, ErrorCode.PAYMENT_IDENTIFIER_REQUIRED],
      [{ paymentMethodId: 'pm_unknown', amountMinor: 10n, customer: { hsid: 'h-1' } }, ErrorCode.PAYMENT_METHOD_NOT_FOUND],
    ];
    for (const [req, code] of cases) {
      const r = await psp.createRefund(ctx, { currency: 'EUR', merchantTransactionId: randomUUID(), reason: 'RETURN', ...req });
      assert.equal(r.kind, 'rejected', `${code}: ${JSON.stringify(r)}`);
      if (r.kind === 'rejected') {
        assert.equal(r.code, code);
        assert.ok(r.message.length > 0);
      }
    }
  });

  test('already-exists: a second call with the same merchantTransactionId, and findRefund returns the first refund', async () => {
    const psp = inHouse();
    const o = await paidOrder(t.sims);
    const mtid = randomUUID();
    const first = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.equal(first.kind, 'succeeded');
    const again = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.deepEqual(again, { kind: 'already-exists' });
    const found = await psp.findRefund(ctx, mtid);
    assert.equal(found?.pspRefundId, first.kind === 'succeeded' ? first.record.pspRefundId : undefined);
    assert.equal(found?.amountMinor, 100n);
    assert.equal(found?.version, 1n);
    assert.equal(await psp.findRefund(ctx, randomUUID()), null);
    assert.equal((await pspRefunds(mtid)).length, 1);
  });

  test('findRefund reports a refund the PSP failed later with its canonical code', async () => {
    const psp = inHouse();
    const o = await paidOrder(t.sims);
    await faults(t.sims.urls.psp, { lateFailNext: 1 });
    const mtid = randomUUID();
    const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.equal(r.kind, 'succeeded');
    const found = await psp.findRefund(ctx, mtid);
    assert.equal(found?.status, 'FAILED');
    assert.equal(found?.errorCode, ErrorCode.PSP_REJECTED);
    assert.match(found?.errorMessage ?? '', /declined/);
  });

  test('unknown: a timeout after the PSP acted is never reported as a result', async () => {
    const psp = new PspConnector(t.sims.urls.psp, 150, { retries: 0 });
    const o = await paidOrder(t.sims);
    await faults(t.sims.urls.psp, { timeoutNext: 1, hangMs: 2000 });
    const mtid = randomUUID();
    const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.equal(r.kind, 'unknown');
    assert.match(r.kind === 'unknown' ? r.reason : '', /timed out/);
    // The PSP did refund: only a read-back with the same key can tell.
    assert.equal((await psp.findRefund(ctx, mtid))?.status, 'SUCCEEDED');
  });

  test('a timeout retried with the same key meets the first refund: already-exists, one refund at the PSP', async () => {
    const psp = new PspConnector(t.sims.urls.psp, 150, { retries: 2 });
    const o = await paidOrder(t.sims);
    await faults(t.sims.urls.psp, { timeoutNext: 1, hangMs: 2000 });
    const mtid = randomUUID();
    const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.deepEqual(r, { kind: 'already-exists' });
    assert.equal((await pspRefunds(mtid)).length, 1);
  });

  test('unknown: 503 on every attempt', async () => {
    const psp = new PspConnector(t.sims.urls.psp, 1000, { retries: 1, breakerThreshold: 100 });
    const o = await paidOrder(t.sims);
    await faults(t.sims.urls.psp, { failNext: 2, failStatus: 503 });
    const mtid = randomUUID();
    const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.equal(r.kind, 'unknown');
    assert.match(r.kind === 'unknown' ? r.reason : '', /503/);
    assert.equal((await pspRefunds(mtid)).length, 0);
  });

  test('a 503 then success: retried with the same Idempotency-Key, one refund at the PSP', async () => {
    const proxy = await recordingProxy(t.sims.urls.psp);
    try {
      const psp = new PspConnector(proxy.url, 1000, { retries: 2 });
      const o = await paidOrder(t.sims);
      await faults(t.sims.urls.psp, { failNext: 1, failStatus: 503 });
      const mtid = randomUUID();
      const r = await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 100n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
      assert.equal(r.kind, 'succeeded');
      const posts = proxy.seen.filter((s) => s.method === 'POST' && s.path === '/refunds');
      assert.equal(posts.length, 2);
      assert.deepEqual(
        posts.map((p) => p.key),
        [mtid, mtid],
      );
      assert.equal((await pspRefunds(mtid)).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test('unknown: a 2xx answer that does not fit the contract is not taken as success', async () => {
    const proxy = await recordingProxy(t.sims.urls.psp, (p) => (p === '/refunds' ? { status: 201, body: { ok: true } } : undefined));
    try {
      const r = await new PspConnector(proxy.url, 1000).createRefund(ctx, {
        paymentId: 'p',
        amountMinor: 1n,
        currency: 'EUR',
        merchantTransactionId: randomUUID(),
        reason: 'RETURN',
      });
      assert.equal(r.kind, 'unknown');
    } finally {
      await proxy.close();
    }
  });

  test('unknown: 409 (the same key still in progress) and 429 are not rejections', async () => {
    for (const status of [409, 429]) {
      const proxy = await recordingProxy(t.sims.urls.psp, (p) => (p === '/refunds' ? { status, body: { title: 'CONFLICT', status, detail: 'Request in progress' } } : undefined));
      try {
        const r = await new PspConnector(proxy.url, 1000, { retries: 0 }).createRefund(ctx, {
          paymentId: 'p',
          amountMinor: 1n,
          currency: 'EUR',
          merchantTransactionId: randomUUID(),
          reason: 'RETURN',
        });
        assert.equal(r.kind, 'unknown', String(status));
      } finally {
        await proxy.close();
      }
    }
  });

  test('unknown: no PSP configured', async () => {
    const r = await new PspConnector(undefined, 1000).createRefund(ctx, { paymentId: 'p', currency: 'EUR', merchantTransactionId: randomUUID(), reason: 'RETURN' });
    assert.equal(r.kind, 'unknown');
  });
});

describe('PspConnector.getOrderRecords', () => {
  test("payments and captures in the webhook contract's shapes, refunds parsed", async () => {
    const o = await paidOrder(t.sims, { total: '4000' });
    const psp = inHouse();
    await psp.createRefund(ctx, { paymentId: o.paymentId, amountMinor: 1500n, currency: 'EUR', merchantTransactionId: randomUUID(), reason: 'RETURN' });
    const recs = await psp.getOrderRecords(ctx, o.orderId);
    assert.equal(recs.payments.length, 1);
    assert.equal((recs.payments[0] as any).id, o.paymentId);
    assert.equal((recs.payments[0] as any).authorized, '4000');
    assert.equal((recs.payments[0] as any).status, 'COMPLETED');
    assert.equal(recs.captures.length, 1);
    assert.equal((recs.captures[0] as any).amount, '4000');
    assert.equal(recs.refunds.length, 1);
    assert.equal(recs.refunds[0]!.amountMinor, 1500n);
    assert.equal(recs.refunds[0]!.orderId, o.orderId);
    assert.deepEqual(await psp.getOrderRecords(ctx, 'ord_unknown'), { payments: [], captures: [], refunds: [] });
  });

  test("reads back each of the order's refunds with its status, amount, references and canonical error", async () => {
    const psp = inHouse();
    const o = await paidOrder(t.sims, { total: '3000', capture: '2000' });
    const base = { paymentId: o.paymentId, currency: 'EUR', reason: 'RETURN', metadata: { orderId: o.orderId, invoiceNumber: 'INV-x' } };
    const ok = await psp.createRefund(ctx, { ...base, amountMinor: 500n, merchantTransactionId: randomUUID() });
    await call(t.sims.urls.psp, 'POST', `/refunds/${ok.kind === 'succeeded' ? ok.record.pspRefundId : ''}/reverse`);
    await faults(t.sims.urls.psp, { lateFailNext: 1 });
    await psp.createRefund(ctx, { ...base, amountMinor: 600n, merchantTransactionId: randomUUID() });
    const tooMuch = randomUUID();
    await psp.createRefund(ctx, { ...base, amountMinor: 99_999n, merchantTransactionId: tooMuch });
    const { refunds } = await psp.getOrderRecords(ctx, o.orderId);
    assert.deepEqual(refunds.map((r) => r.status).sort(), ['FAILED', 'FAILED', 'REVERSED']);
    for (const r of refunds) assert.deepEqual([r.paymentId, r.orderId, r.invoiceNumber, r.currency], [o.paymentId, o.orderId, 'INV-x', 'EUR']);
    assert.deepEqual(
      refunds.filter((r) => r.status === 'REVERSED').map((r) => r.amountMinor),
      [500n],
    );
    // A failed refund moved no money: its record carries no amount, and the canonical code of the PSP's error.
    assert.deepEqual(
      refunds.filter((r) => r.merchantTransactionId === tooMuch).map((r) => [r.amountMinor, r.errorCode]),
      [[null, ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE]],
    );
    assert.ok(
      refunds.every((r) => r.version !== null && r.version >= 1n),
      'records carry their version',
    );
  });
});

describe('OmsConnector', () => {
  test('getOrder returns the order, its invoices, interactions and invoiceData; null when unknown', async () => {
    const o = await paidOrder(t.sims, { total: '9000' });
    await returnInvoice(t.sims, o.orderId, '3000');
    const oms = t.app.services.connectors.oms;
    const got = await oms.getOrder(ctx, o.orderId);
    assert.ok(got);
    assert.equal(got.order.id, o.orderId);
    assert.equal(got.order.total, '9000');
    assert.deepEqual(
      got.invoices.map((i) => [i.kind, i.amount]),
      [
        ['OUTPUT', '9000'],
        ['INPUT', '3000'],
      ],
    );
    assert.equal(got.interactions.length, 2);
    assert.deepEqual(got.invoiceData, { version: 1n, entries: [] });
    assert.equal(await oms.getOrder(ctx, 'ord_unknown'), null);
  });

  test('addInteraction is idempotent on its id; putInvoiceData on its key', async () => {
    const o = await paidOrder(t.sims);
    const inv = await returnInvoice(t.sims, o.orderId, '1000');
    const oms = t.app.services.connectors.oms;
    const i = { id: `int-${randomUUID()}`, orderId: o.orderId, kind: 'Refund Payment', message: 'Refunded 10.00', refundId: 'r-1' };
    await oms.addInteraction(ctx, i);
    await oms.addInteraction(ctx, i);
    const got = await oms.getOrder(ctx, o.orderId);
    assert.equal(got!.interactions.filter((x) => x.id === i.id).length, 1);

    const key = randomUUID();
    const entries = [{ invoiceNumber: inv, refundedMinor: 1000n, refundIds: ['r-1'] }];
    assert.deepEqual(await oms.putInvoiceData(ctx, o.orderId, entries, key), { version: 2n });
    assert.deepEqual(await oms.putInvoiceData(ctx, o.orderId, entries, key), { version: 2n });
    const after = await oms.getOrder(ctx, o.orderId);
    assert.deepEqual(after!.invoiceData, { version: 2n, entries: [{ invoiceNumber: inv, refundedMinor: 1000n, refundIds: ['r-1'] }] });
    await assert.rejects(
      oms.putInvoiceData(ctx, o.orderId, [{ invoiceNumber: 'INV-nope', refundedMinor: 1n, refundIds: [] }], randomUUID()),
      (e: unknown) => e instanceof UpstreamError && e.status === 400,
    );
  });
});

describe('ErpConnector', () => {
  test('postJournalEntry is keyed by externalRef; getPostings reads them back parsed', async () => {
    const erp = t.app.services.connectors.erp;
    const ref = `ref-${randomUUID()}`;
    const orderId = `ord-${randomUUID().slice(0, 8)}`;
    const a = await erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: ref, orderId, amountMinor: -2500n, currency: 'EUR', reasonCode: 'RETURN' });
    const b = await erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: ref, orderId, amountMinor: -2500n, currency: 'EUR', reasonCode: 'RETURN' });
    assert.equal(a.status, 'POSTED');
    assert.equal(b.documentId, a.documentId);
    const byOrder = await erp.getPostings(ctx, { orderId });
    assert.equal(byOrder.length, 1);
    assert.equal(byOrder[0]!.amount, -2500n);
    assert.equal(byOrder[0]!.externalRef, ref);
    assert.ok(byOrder[0]!.postedAt instanceof Date);
    assert.deepEqual(
      (await erp.getPostings(ctx, { externalRef: ref })).map((p) => p.documentId),
      [a.documentId],
    );
  });

  test('a REJECTED document is an answer, not an error', async () => {
    await faults(t.sims.urls.erp, { rejectNext: 1 });
    const r = await t.app.services.connectors.erp.postJournalEntry(ctx, { kind: 'REFUND', externalRef: `ref-${randomUUID()}`, orderId: null, amountMinor: 1n, currency: 'EUR' });
    assert.equal(r.status, 'REJECTED');
    assert.equal(r.posting.reasonCode, 'UNMAPPED_REASON_CODE');
  });
});

describe('guards', () => {
  test('connectors refuse to run inside a database transaction, and nothing reaches the upstream', async () => {
    const { oms, erp } = t.app.services.connectors;
    const psp = inHouse();
    const mtid = randomUUID();
    const inTx = (f: (tx: RequestContext) => Promise<unknown>) => assert.rejects(withTransaction(ctx, f), /must not be called inside a database transaction/);
    await inTx((tx) => psp.createRefund(tx, { paymentId: 'p', amountMinor: 1n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' }));
    await inTx((tx) => psp.findRefund(tx, mtid));
    await inTx((tx) => psp.getOrderRecords(tx, 'o'));
    await inTx((tx) => oms.getOrder(tx, 'o'));
    await inTx((tx) => oms.addInteraction(tx, { id: 'i', orderId: 'o', kind: 'k', message: 'm' }));
    await inTx((tx) => oms.putInvoiceData(tx, 'o', [], 'k'));
    await inTx((tx) => erp.postJournalEntry(tx, { kind: 'REFUND', externalRef: mtid, orderId: null, amountMinor: 1n, currency: 'EUR' }));
    await inTx((tx) => erp.getPostings(tx, {}));
    assert.equal((await pspRefunds(mtid)).length, 0);
    assert.equal((await erp.getPostings(ctx, { externalRef: mtid })).length, 0);
  });

  test('the ERP writeback connector makes no retries of its own; the shared one retries a safe call', async () => {
    const { erp, erpPosting } = t.app.services.connectors;
    assert.notEqual(erp, erpPosting);
    await faults(t.sims.urls.erp, { failNext: 1, failStatus: 503 });
    assert.ok(Array.isArray(await erp.getPostings(ctx, {})), 'the shared connector retried past one 503');
    await faults(t.sims.urls.erp, { failNext: 1, failStatus: 503 });
    await assert.rejects(erpPosting.getPostings(ctx, {}), (e: unknown) => e instanceof UpstreamError && e.status === 503);
  });

  test('the circuit opens after repeated 5xx and then fails fast without calling the upstream', async () => {
    const oms = new OmsConnector(t.sims.urls.oms, 1000, { breakerThreshold: 3, halfOpenAfterMs: 60_000, retries: 0 });
    await faults(t.sims.urls.oms, { failNext: 10, failStatus: 503 });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(oms.getOrder(ctx, 'o'), (e: unknown) => e instanceof UpstreamError && e.kind === 'http' && e.status === 503);
    }
    await assert.rejects(oms.getOrder(ctx, 'o'), (e: unknown) => e instanceof UpstreamError && e.kind === 'circuit-open');
    await assert.rejects(oms.addInteraction(ctx, { id: 'i', orderId: 'o', kind: 'k', message: 'm' }), (e: unknown) => e instanceof UpstreamError && e.kind === 'circuit-open');
    // Only the three calls before the circuit opened reached the OMS.
    assert.equal((await call(t.sims.urls.oms, 'GET', '/_state')).faults.failNext, 7);
  });

  test('an open PSP circuit makes createRefund answer unknown at once', async () => {
    const psp = new PspConnector(t.sims.urls.psp, 1000, { breakerThreshold: 2, halfOpenAfterMs: 60_000, retries: 0 });
    await faults(t.sims.urls.psp, { failNext: 2, failStatus: 502 });
    for (let i = 0; i < 2; i++) await assert.rejects(psp.findRefund(ctx, 'x'), (e: unknown) => e instanceof UpstreamError && e.status === 502);
    const mtid = randomUUID();
    const r = await psp.createRefund(ctx, { paymentId: 'p', amountMinor: 1n, currency: 'EUR', merchantTransactionId: mtid, reason: 'RETURN' });
    assert.equal(r.kind, 'unknown');
    assert.match(r.kind === 'unknown' ? r.reason : '', /circuit open/);
  });

  test('an ERP connector with a dead base URL reports the upstream as unreachable', async () => {
    const erp = new ErpConnector('http://127.0.0.1:9', 500, { retries: 0 });
    await assert.rejects(erp.getPostings(ctx, {}), (e: unknown) => e instanceof UpstreamError && e.kind === 'network' && e.outcomeUnknown);
  });
});
