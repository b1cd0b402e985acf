/**
 * Seed 002 (storefront ↔ ERP, the "Refund Lag Fracture"): refunds the ERP never received, posted
 * twice, overwritten by a later partial refund, or mapped to another status — each produced here
 * through the ERP simulator's faults and lost webhooks — and the seed's four repair steps:
 *   1. audit trail review: a checkpoint run lists exactly the disagreeing refund ids, with the
 *      system that holds the record, the amount delta and both statuses;
 *   2. idempotency check: moneygraph's own writeback is keyed by the PSP refund id, so it never
 *      books a refund twice, even on an ERP that ignores the key;
 *   3. the three-column report, whose totals equal sums taken from the simulators themselves, a
 *      positive confirmation for a clean period and an alarm for a period without events;
 *   4. the writeback validation dry run: the postings the refunds should have produced, and the diff.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox } from '../../src/outbox';
import { formatMinor } from '../../src/shared/money';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { UNLIMITED_GRAPHQL } from '../support/recon';
import { pspFaults, pspRefunds, refundInvoice, rows } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;
const iso = (d: Date) => d.toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  // Upstream retries stay on (the default): a lost ERP answer is retried, as in production.
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', UPSTREAM_BREAKER_THRESHOLD: '1000', GRAPHQL_LIMITS: UNLIMITED_GRAPHQL } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await erpFaults({ nonIdempotent: false, rejectNext: 0, overwritePartials: false, failNext: 0, timeoutNext: 0, webhooks: { mode: 'immediate', dropNext: 0 } });
  await pspFaults(t, { webhooks: { mode: 'immediate', duplicate: false } });
});

const erpFaults = (f: Record<string, unknown>) => call(t.sims.urls.erp, 'POST', '/_faults', f);
const drain = () => drainOutbox(t.app.services);
/** A boundary between periods: nothing that happened before it is at or after it. */
async function mark(): Promise<Date> {
  await sleep(5);
  const d = new Date();
  await sleep(5);
  return d;
}

const FIGURES = `from to currencyCode status confirmation varianceCount variancesByKind { kind count }
  totals { currencyCode pspTotal { amount currencyCode } erpTotal { amount currencyCode } netVariance { amount currencyCode } refunds }
  events { pspRefunds erpRefundPostings erpPostings captures orders webhookEvents }`;
const VARIANCES = `variances(first: 100) { nodes { refundId kind recordIn orderId pspAmount { amount currencyCode } erpAmount { amount } amountDelta { amount currencyCode }
  pspStatus erpStatus erpDocumentIds firstDetectedAt ageSeconds } }`;
const RUN = `mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) {
  run { id requestedBy ${FIGURES} ${VARIANCES} }
  report { ${FIGURES} ${VARIANCES} }
  writebackValidation { expectedPostings matching differing unexpected outcomes { outcome count } }
  userErrors { code message field } } }`;
const REPORT = `query($from: DateTimeISO!, $to: DateTimeISO!, $cur: CurrencyCode) { reconciliationReport(from: $from, to: $to, currencyCode: $cur) { ${FIGURES} ${VARIANCES} } }`;
const WRITEBACK = `query($from: DateTimeISO!, $to: DateTimeISO!) { writebackValidation(from: $from, to: $to) {
  expectedPostings matching differing unexpected outcomes { outcome count }
  diffs(first: 100) { nodes { externalRef outcome expected { kind externalRef orderId amount { amount currencyCode } } actualDocumentIds actualOrderId actualAmount { amount } actualStatus } } } }`;

async function run(from: Date, to: Date, extra: Record<string, unknown> = {}) {
  const r = await t.gql('FINANCE', RUN, { input: { from: iso(from), to: iso(to), ...extra } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  assert.deepEqual(r.data.runReconciliation.userErrors, []);
  return r.data.runReconciliation;
}
const runCount = async () => Number((await rows(t, 'SELECT COUNT(*) AS n FROM reconciliation_run'))[0].n);

interface Refunded {
  orderId: string;
  refunds: { id: string; pspRefundId: string; amount: { amount: string } }[];
}
/** A charged order with one return invoice (refunded at once through refundInvoice) per amount. */
async function refunded(amounts: string[], opts: { drain?: boolean; currency?: string } = {}): Promise<Refunded> {
  const total = String(amounts.reduce((a, b) => a + BigInt(b), 0n) + 1000n);
  const o = await paidOrder(t.sims, { id: uid('ord'), total, currency: opts.currency });
  const refunds = [];
  for (const a of amounts) {
    const inv = await returnInvoice(t.sims, o.orderId, a);
    const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
    assert.equal(r.data?.refundInvoice.refund?.status, 'SUCCEEDED', JSON.stringify(r));
    refunds.push(r.data.refundInvoice.refund);
    if (opts.drain !== false) await drain();
  }
  return { orderId: o.orderId, refunds };
}

/** The PSP's id of the refund for `x`'s `i`-th amount. */
function pspRefundIdOf(x: Refunded, i = 0): string {
  const r = x.refunds[i];
  assert.ok(r, `order ${x.orderId} has refund #${i}`);
  return r.pspRefundId;
}

/** The ERP simulator's documents as its /_state shows them (bigints as strings). */
async function erpDocuments(): Promise<
  { documentId: string; kind: string; externalRef: string; orderId: string | null; amount: string; currency: string; status: string; postedAt: string }[]
> {
  const s = await call(t.sims.urls.erp, 'GET', '/_state');
  return Object.values(s.postings);
}
async function documentsPerRef(refs: string[]): Promise<Record<string, number>> {
  const docs = await erpDocuments();
  return Object.fromEntries(refs.map((ref) => [ref, docs.filter((d) => d.kind === 'REFUND' && d.externalRef === ref).length]));
}

/**
 * The three columns computed without moneygraph: refunds the PSP simulator holds as SUCCEEDED for
 * the given orders, and the POSTED refund documents the ERP simulator holds under those refund ids.
 */
async function totalsFromSimulators(orderIds: string[]) {
  const psp = pspRefunds(t).filter((r) => r.orderId && orderIds.includes(r.orderId) && r.status === 'SUCCEEDED');
  const docs = (await erpDocuments()).filter((d) => d.kind === 'REFUND' && d.status === 'POSTED');
  const byCurrency = new Map<string, { psp: bigint; erp: bigint; n: number }>();
  for (const r of psp) {
    const cur = r.currency!;
    const c = byCurrency.get(cur) ?? { psp: 0n, erp: 0n, n: 0 };
    c.psp += r.amount!;
    c.n += 1;
    for (const d of docs.filter((x) => x.externalRef === r.refundId && x.currency === cur)) c.erp += BigInt(d.amount) < 0n ? -BigInt(d.amount) : BigInt(d.amount);
    byCurrency.set(cur, c);
  }
  return [...byCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cur, c]) => ({
      currencyCode: cur,
      pspTotal: { amount: formatMinor(c.psp, cur), currencyCode: cur },
      erpTotal: { amount: formatMinor(c.erp, cur), currencyCode: cur },
      netVariance: { amount: formatMinor(c.psp - c.erp, cur), currencyCode: cur },
      refunds: c.n,
    }));
}

const byKind = (v: { kind: string; count: number }[]) => [...v].sort((a, b) => a.kind.localeCompare(b.kind));
const byRef = <T extends { refundId?: string; externalRef?: string }>(v: T[]) =>
  [...v].sort((a, b) => String(a.refundId ?? a.externalRef).localeCompare(String(b.refundId ?? b.externalRef)));

describe('the three failure points, found by a checkpoint run and repaired', () => {
  test("each failure point is one variance row naming the system with the record, the delta and both statuses; the totals are the simulators' own sums", async () => {
    const from = await mark();
    const fine = await refunded(['1000']);
    const usd = await refunded(['1500'], { currency: 'USD' });
    // No idempotency on the ERP side: another integration books the same refund again, and that webhook is lost.
    const dup = await refunded(['1100']);
    await erpFaults({ nonIdempotent: true, webhooks: { dropNext: 1 } });
    const again = await call(t.sims.urls.erp, 'POST', '/journal-entries', {
      kind: 'REFUND',
      externalRef: pspRefundIdOf(dup, 0),
      orderId: dup.orderId,
      amount: '1100',
      currency: 'EUR',
    });
    await erpFaults({ nonIdempotent: false });
    // Failure point 1, status mismatch: the refund succeeded, the ERP rejects its posting.
    await erpFaults({ rejectNext: 1 });
    const rejected = await refunded(['700']);
    // Failure point 2, partial refunds: the ERP overwrites the first partial refund's document with the second.
    const partial = await refunded(['600']);
    await erpFaults({ overwritePartials: true });
    const inv2 = await returnInvoice(t.sims, partial.orderId, '400');
    const second = (await refundInvoice(t, { orderId: partial.orderId, invoiceId: inv2 })).data.refundInvoice.refund;
    partial.refunds.push(second);
    await drain();
    await erpFaults({ overwritePartials: false });

    // The lost webhook left moneygraph's mirror one document short; the read-back (syncOrder) restores it.
    const postingsOf = async (orderId: string) =>
      (await t.gql('FINANCE', 'query($id: ID!) { order(id: $id) { erpPostings { id } } }', { id: orderId })).data.order.erpPostings.map((p: any) => p.id).sort();
    assert.equal((await postingsOf(dup.orderId)).includes(again.documentId), false);
    const sync = await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: dup.orderId } });
    assert.deepEqual(sync.data.syncOrder.userErrors, []);
    assert.equal((await postingsOf(dup.orderId)).includes(again.documentId), true);

    // Confirmation lag: the ERP goes down as the last refund's writeback goes out, and stays down.
    await erpFaults({ failNext: 1_000_000 });
    const lagging = await refunded(['2000']);
    const to = await mark();
    const orders = [fine, usd, lagging, dup, rejected, partial];
    assert.equal(Number((await rows(t, "SELECT COUNT(*) n FROM outbox_message WHERE order_id = ? AND topic = 'erp.post' AND status = 'PENDING'", [lagging.orderId]))[0].n), 1);

    // Step 1, the audit trail review: exactly the disagreeing refund ids.
    const r = (await run(from, to)).run;
    assert.equal(r.status, 'VARIANCE');
    assert.equal(r.requestedBy, 'finance-demo');
    const docs = await erpDocuments();
    const docsOf = (ref: string) =>
      docs
        .filter((d) => d.kind === 'REFUND' && d.externalRef === ref)
        .sort((a, b) => a.postedAt.localeCompare(b.postedAt) || a.documentId.localeCompare(b.documentId))
        .map((d) => d.documentId);
    const row = (x: Refunded, i: number, kind: string, recordIn: string, psp: string, erp: string | null, delta: string, erpStatus: string) => ({
      refundId: pspRefundIdOf(x, i),
      kind,
      recordIn,
      orderId: x.orderId,
      pspAmount: { amount: psp, currencyCode: 'EUR' },
      erpAmount: erp === null ? null : { amount: erp },
      amountDelta: { amount: delta, currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus,
      erpDocumentIds: docsOf(pspRefundIdOf(x, i)),
    });
    const expectedRows = byRef([
      row(lagging, 0, 'MISSING_IN_ERP', 'PSP', '20.00', null, '20.00', 'NOT_POSTED'),
      row(dup, 0, 'DUPLICATE_IN_ERP', 'BOTH', '11.00', '22.00', '-11.00', 'DUPLICATE'),
      row(rejected, 0, 'STATUS_MISMATCH', 'BOTH', '7.00', '0.00', '7.00', 'REJECTED'),
      row(partial, 0, 'PARTIAL_REFUND_OVERWRITTEN', 'BOTH', '6.00', '4.00', '2.00', 'REVISED'),
      row(partial, 1, 'MISSING_IN_ERP', 'PSP', '4.00', null, '4.00', 'NOT_POSTED'),
    ]);
    const strip = (v: any[]) => byRef(v.map(({ firstDetectedAt: _f, ageSeconds: _a, ...rest }) => rest));
    assert.deepEqual(strip(r.variances.nodes), expectedRows);
    assert.deepEqual(
      expectedRows.map((x) => x.erpDocumentIds.length),
      expectedRows.map((x) => ({ MISSING_IN_ERP: 0, DUPLICATE_IN_ERP: 2, STATUS_MISMATCH: 1, PARTIAL_REFUND_OVERWRITTEN: 1 })[x.kind]),
    );
    assert.equal(r.varianceCount, 5);
    assert.deepEqual(byKind(r.variancesByKind), [
      { kind: 'DUPLICATE_IN_ERP', count: 1 },
      { kind: 'MISSING_IN_ERP', count: 2 },
      { kind: 'PARTIAL_REFUND_OVERWRITTEN', count: 1 },
      { kind: 'STATUS_MISMATCH', count: 1 },
    ]);

    // Step 3, the three columns: equal to the simulators' own sums, and the net variance is the sum of the rows.
    const independent = await totalsFromSimulators(orders.map((o) => o.orderId));
    assert.deepEqual(r.totals, independent);
    assert.deepEqual(r.totals, [
      {
        currencyCode: 'EUR',
        pspTotal: { amount: '58.00', currencyCode: 'EUR' },
        erpTotal: { amount: '36.00', currencyCode: 'EUR' },
        netVariance: { amount: '22.00', currencyCode: 'EUR' },
        refunds: 6,
      },
      {
        currencyCode: 'USD',
        pspTotal: { amount: '15.00', currencyCode: 'USD' },
        erpTotal: { amount: '15.00', currencyCode: 'USD' },
        netVariance: { amount: '0.00', currencyCode: 'USD' },
        refunds: 1,
      },
    ]);
    const rowSum = r.variances.nodes.reduce((s: bigint, v: any) => s + BigInt(v.amountDelta.amount.replace('.', '')), 0n);
    assert.equal(formatMinor(rowSum, 'EUR'), r.totals[0].netVariance.amount);
    assert.equal(r.confirmation, '5 refund id(s) disagree; net variance EUR 22.00, USD 0.00.');
    assert.deepEqual([r.events.pspRefunds, r.events.orders, r.events.captures], [7, 6, 6]);

    // Filtered by currency, the live report confirms the agreeing USD side positively.
    const onlyUsd = (await t.gql('ANALYST', REPORT, { from: iso(from), to: iso(to), cur: 'USD' })).data.reconciliationReport;
    assert.equal(onlyUsd.status, 'CLEAN');
    assert.equal(onlyUsd.confirmation, 'Positive confirmation: 1 PSP refund(s) (USD 15.00) matched 1 ERP refund posting(s); zero variance.');
    assert.deepEqual(onlyUsd.totals, [r.totals[1]]);
    assert.deepEqual(onlyUsd.variances.nodes, []);

    // Step 4, the writeback validation dry run: what the ERP should hold, diffed with what it holds; nothing persisted.
    const runsBefore = await runCount();
    const dry = await run(from, to, { dryRun: true });
    assert.equal(dry.run, null);
    assert.equal(await runCount(), runsBefore);
    assert.deepEqual(dry.report.totals, r.totals);
    assert.deepEqual(strip(dry.report.variances.nodes), expectedRows);
    assert.deepEqual(
      { ...dry.writebackValidation, outcomes: byOutcome(dry.writebackValidation.outcomes) },
      {
        expectedPostings: 7,
        matching: 2,
        differing: 5,
        unexpected: 0,
        outcomes: [
          { outcome: 'DUPLICATE', count: 1 },
          { outcome: 'MATCH', count: 2 },
          { outcome: 'MISSING', count: 2 },
          { outcome: 'OVERWRITTEN', count: 1 },
          { outcome: 'REJECTED', count: 1 },
        ],
      },
    );
    const wb = (await t.gql('FINANCE', WRITEBACK, { from: iso(from), to: iso(to) })).data.writebackValidation;
    assert.equal(wb.expectedPostings, 7);
    const expected = (x: Refunded, i: number, amount: string) => ({
      kind: 'REFUND',
      externalRef: pspRefundIdOf(x, i),
      orderId: x.orderId,
      amount: { amount, currencyCode: 'EUR' },
    });
    const diff = (x: Refunded, i: number, outcome: string, amount: string, actual: { order: string | null; amount: string | null; status: string | null }) => ({
      externalRef: pspRefundIdOf(x, i),
      outcome,
      expected: expected(x, i, amount),
      actualDocumentIds: docsOf(pspRefundIdOf(x, i)),
      actualOrderId: actual.order,
      actualAmount: actual.amount === null ? null : { amount: actual.amount },
      actualStatus: actual.status,
    });
    assert.deepEqual(
      byRef(wb.diffs.nodes),
      byRef([
        diff(lagging, 0, 'MISSING', '20.00', { order: null, amount: null, status: null }),
        diff(dup, 0, 'DUPLICATE', '11.00', { order: dup.orderId, amount: '11.00', status: 'POSTED' }),
        diff(rejected, 0, 'REJECTED', '7.00', { order: null, amount: null, status: 'REJECTED' }),
        diff(partial, 0, 'OVERWRITTEN', '6.00', { order: partial.orderId, amount: '4.00', status: 'POSTED' }),
        diff(partial, 1, 'MISSING', '4.00', { order: null, amount: null, status: null }),
      ]),
    );

    // The ERP is back: the lagging writeback goes out with its key and books once; the next run no longer lists it.
    await erpFaults({ failNext: 0 });
    await drain();
    assert.deepEqual(await documentsPerRef([pspRefundIdOf(lagging, 0)]), { [pspRefundIdOf(lagging, 0)]: 1 });
    const next = (await run(from, to)).run;
    assert.deepEqual(
      strip(next.variances.nodes),
      expectedRows.filter((x) => x.refundId !== pspRefundIdOf(lagging, 0)).map((x) => ({ ...x, erpDocumentIds: docsOf(x.refundId) })),
    );
    const firstSeen = Object.fromEntries(r.variances.nodes.map((v: any) => [v.refundId, v.firstDetectedAt]));
    for (const v of next.variances.nodes) assert.equal(v.firstDetectedAt, firstSeen[v.refundId], 'a discrepancy keeps its first detection');
    assert.deepEqual(next.totals, await totalsFromSimulators(orders.map((o) => o.orderId)));
    assert.equal(next.totals[0].netVariance.amount, '2.00');
  });
});

const byOutcome = (v: { outcome: string; count: number }[]) => [...v].sort((a, b) => a.outcome.localeCompare(b.outcome));

describe('step 2, the idempotency check: moneygraph books each refund once, whatever the ERP does with keys', () => {
  test('outcome replays, duplicated webhooks, a resync and a retried 503 against a non-idempotent ERP: one document per PSP refund id', async () => {
    await erpFaults({ nonIdempotent: true });
    await pspFaults(t, { webhooks: { duplicate: true } });
    const x = await refunded(['1000', '2500'], { drain: false });
    await t.gql('ADMIN', 'mutation($input: SyncOrderInput!) { syncOrder(input: $input) { userErrors { code } } }', { input: { orderId: x.orderId } });
    // The ERP refuses the first writeback without booking it: the retry books it, once.
    await erpFaults({ failNext: 1 });
    await drain();
    assert.equal((await call(t.sims.urls.erp, 'GET', '/_state')).faults.failNext, 0, 'the failure was spent on a writeback');
    await drain();
    const refs = x.refunds.map((r) => r.pspRefundId);
    assert.deepEqual(await documentsPerRef(refs), Object.fromEntries(refs.map((ref) => [ref, 1])));
    assert.deepEqual(
      (await rows(t, "SELECT dedupe_key, status FROM outbox_message WHERE order_id = ? AND topic = 'erp.post' ORDER BY dedupe_key", [x.orderId])).map((m) => [
        m.dedupe_key,
        m.status,
      ]),
      refs.map((ref) => [`erp.post:REFUND:${ref}`, 'DONE']).sort(),
    );
  });

  test('the ERP books the writeback but its answer is lost; the retry must not book it again on a non-idempotent ERP', async () => {
    const x = await refunded(['1800'], { drain: false });
    // The first POST is performed, its answer held back past UPSTREAM_TIMEOUT_MS (1 s): the client retries.
    await erpFaults({ nonIdempotent: true, timeoutNext: 1, hangMs: 1500 });
    await drain();
    await drain();
    const ref = pspRefundIdOf(x, 0);
    assert.deepEqual(await documentsPerRef([ref]), { [ref]: 1 });
  });
});

describe('step 3, the checkpoint: a positive confirmation, never an empty report', () => {
  test('a clean period is confirmed; a period without any event and a period where the ERP stayed silent are alarms', async () => {
    const from = await mark();
    const x = await refunded(['1250', '500']);
    const to = await mark();
    const clean = (await run(from, to)).run;
    assert.equal(clean.status, 'CLEAN');
    assert.equal(clean.confirmation, 'Positive confirmation: 2 PSP refund(s) (EUR 17.50) matched 2 ERP refund posting(s); zero variance.');
    assert.equal(clean.varianceCount, 0);
    assert.deepEqual(clean.variances.nodes, []);
    assert.deepEqual(clean.totals, await totalsFromSimulators([x.orderId]));
    assert.deepEqual(
      clean.totals.map((c: any) => [c.currencyCode, c.pspTotal.amount, c.erpTotal.amount, c.netVariance.amount, c.refunds]),
      [['EUR', '17.50', '17.50', '0.00', 2]],
    );
    assert.deepEqual([clean.events.pspRefunds, clean.events.erpRefundPostings, clean.events.captures, clean.events.orders], [2, 2, 1, 1]);
    const runs = (await t.gql('ANALYST', '{ reconciliationRuns(first: 1) { nodes { id status confirmation } } }')).data.reconciliationRuns.nodes;
    assert.deepEqual(runs, [{ id: clean.id, status: 'CLEAN', confirmation: clean.confirmation }]);

    const nothing = (await run(new Date('2020-01-01T00:00:00Z'), new Date('2020-01-02T00:00:00Z'))).run;
    assert.equal(nothing.status, 'NO_EVENTS_ALARM');
    assert.equal(nothing.confirmation, 'ALARM: no webhook events at all arrived in the period; the feeds may be down.');
    assert.deepEqual(nothing.totals, []);
    assert.deepEqual(nothing.events, { pspRefunds: 0, erpRefundPostings: 0, erpPostings: 0, captures: 0, orders: 0, webhookEvents: 0 });

    // The refund happens, the ERP feed delivers nothing: an alarm, with the missing posting still listed.
    const silentFrom = await mark();
    const silent = await refunded(['800'], { drain: false });
    const silentTo = await mark();
    const alarm = (await run(silentFrom, silentTo)).run;
    assert.equal(alarm.status, 'NO_EVENTS_ALARM');
    assert.equal(alarm.confirmation, 'ALARM: the ERP shows no postings in the period while the PSP/OMS show 1 refund(s), 1 capture(s) and 1 order(s).');
    assert.deepEqual(
      alarm.variances.nodes.map((v: any) => [v.refundId, v.kind, v.recordIn, v.erpStatus]),
      [[pspRefundIdOf(silent, 0), 'MISSING_IN_ERP', 'PSP', 'NOT_POSTED']],
    );

    // Once the feed delivers, the checkpoint up to now confirms the period positively.
    await drain();
    const now = await mark();
    const recovered = (await run(silentFrom, now)).run;
    assert.equal(recovered.status, 'CLEAN');
    assert.equal(recovered.confirmation, 'Positive confirmation: 1 PSP refund(s) (EUR 8.00) matched 1 ERP refund posting(s); zero variance.');
  });
});
