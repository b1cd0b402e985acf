/**
 * Refund reconciliation (seed 002): the three-column report, checkpoint runs with one variance row
 * per disagreeing refund id (every discrepancy kind produced through the ERP simulator's faults),
 * the positive confirmation, the no-events alarm, the writeback validation, bad periods,
 * permissions, and the cron command's output and exit codes.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { countStatements } from '../../src/db/sql-counter';
import { drainOutbox } from '../../src/outbox';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { AdvancingClock, UNLIMITED_GRAPHQL } from '../support/recon';
import { refundInvoice } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const clock = new AdvancingClock();
let t: TestApp;
let seq = 0;
const uid = (p: string) => `${p}-${process.pid}-${++seq}`;
const iso = (d: Date) => d.toISOString();

before(async () => {
  // One outbox attempt: a writeback that fails stays failed (dead-lettered), as when the ERP never came back.
  t = await createTestApp({
    clock,
    env: { AUTO_REFUND_INPUT_INVOICES: 'false', UPSTREAM_RETRIES: '0', UPSTREAM_BREAKER_THRESHOLD: '1000', OUTBOX_MAX_ATTEMPTS: '1', GRAPHQL_LIMITS: UNLIMITED_GRAPHQL },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});
beforeEach(async () => {
  await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: false, rejectNext: 0, overwritePartials: false, failNext: 0 });
});

const FIGURES = `from to currencyCode status confirmation varianceCount variancesByKind { kind count }
  totals { currencyCode pspTotal { amount currencyCode } erpTotal { amount } netVariance { amount } refunds }
  events { pspRefunds erpRefundPostings erpPostings captures orders webhookEvents }`;
const VARIANCES = `variances(first: 100) { nodes { refundId kind recordIn orderId pspAmount { amount } erpAmount { amount } amountDelta { amount currencyCode }
  pspStatus erpStatus erpDocumentIds firstDetectedAt ageSeconds } }`;
const RUN = `mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) {
  run { id requestedBy startedAt ${FIGURES} ${VARIANCES} }
  report { ${FIGURES} ${VARIANCES} }
  writebackValidation { expectedPostings matching differing unexpected outcomes { outcome count } }
  userErrors { code message field } } }`;
const REPORT = `query($from: DateTimeISO!, $to: DateTimeISO!, $cur: CurrencyCode) { reconciliationReport(from: $from, to: $to, currencyCode: $cur) {
  ${FIGURES} generatedAt ${VARIANCES} } }`;
const WRITEBACK = `query($from: DateTimeISO!, $to: DateTimeISO!) { writebackValidation(from: $from, to: $to) {
  expectedPostings matching differing unexpected outcomes { outcome count }
  diffs(first: 100) { nodes { externalRef outcome expected { kind externalRef orderId amount { amount } } actualDocumentIds actualOrderId actualAmount { amount } actualStatus } } } }`;

async function run(from: Date, to: Date, extra: Record<string, unknown> = {}, role: 'FINANCE' | 'ADMIN' = 'FINANCE') {
  const r = await t.gql(role, RUN, { input: { from: iso(from), to: iso(to), ...extra } });
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data.runReconciliation;
}
async function refunded(amounts: string[], opts: { drain?: boolean; currency?: string } = {}) {
  const total = String(amounts.reduce((a, b) => a + Number(b), 0) + 1000);
  const o = await paidOrder(t.sims, { id: uid('ord'), total, currency: opts.currency });
  const refunds = [];
  for (const a of amounts) {
    const inv = await returnInvoice(t.sims, o.orderId, a);
    const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
    assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
    refunds.push(r.data.refundInvoice.refund);
    if (opts.drain !== false) await drainOutbox(t.app.services);
  }
  return { ...o, refunds };
}
const runCount = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM reconciliation_run'))[0].n);

describe('checkpoint runs', () => {
  test('a period without any event is an alarm, never a clean result', async () => {
    const r = await run(new Date(Date.now() - 3_600_000), new Date());
    assert.deepEqual(r.userErrors, []);
    assert.equal(r.run.status, 'NO_EVENTS_ALARM');
    assert.match(r.run.confirmation, /no webhook events at all/);
    assert.equal(r.run.varianceCount, 0);
    assert.equal(r.run.events.webhookEvents, 0);
    assert.equal(r.run.requestedBy, 'finance-demo');
  });

  test('zero variance is recorded as a positive confirmation', async () => {
    const from = clock.now();
    const a = await refunded(['3000']);
    const b = await refunded(['1250', '500']);
    const to = new Date(clock.now().getTime() + 1000);
    const r = await run(from, to);
    assert.equal(r.run.status, 'CLEAN');
    assert.match(r.run.confirmation, /^Positive confirmation: 3 PSP refund\(s\) \(EUR 47\.50\) matched 3 ERP refund posting\(s\); zero variance\.$/);
    assert.deepEqual(r.run.totals, [
      { currencyCode: 'EUR', pspTotal: { amount: '47.50', currencyCode: 'EUR' }, erpTotal: { amount: '47.50' }, netVariance: { amount: '0.00' }, refunds: 3 },
    ]);
    assert.equal(r.run.events.pspRefunds, 3);
    assert.equal(r.run.events.erpRefundPostings, 3);
    assert.ok(r.run.events.captures >= 2 && r.run.events.webhookEvents > 0);
    assert.deepEqual(r.run.variances.nodes, []);
    const report = await t.gql('ANALYST', REPORT, { from: iso(from), to: iso(to) });
    assert.equal(report.data.reconciliationReport.status, 'CLEAN');
    assert.deepEqual(report.data.reconciliationReport.totals, r.run.totals);
    const wb = await t.gql('ANALYST', WRITEBACK, { from: iso(from), to: iso(to) });
    assert.deepEqual(
      { ...wb.data.writebackValidation, diffs: wb.data.writebackValidation.diffs.nodes },
      { expectedPostings: 3, matching: 3, differing: 0, unexpected: 0, outcomes: [{ outcome: 'MATCH', count: 3 }], diffs: [] },
    );
    assert.ok(a.refunds.length + b.refunds.length === 3);
  });

  test('every discrepancy kind, one row per refund id, with the system of record, delta, both statuses and age', async () => {
    const from = clock.now();
    const erpFaults = (f: Record<string, unknown>) => call(t.sims.urls.erp, 'POST', '/_faults', f);
    const erpPost = (body: Record<string, unknown>) => call(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'REFUND', currency: 'EUR', ...body });

    const fine = await refunded(['1000']);
    // MISSING_IN_ERP: the ERP is down when the writeback is sent, and the writeback gives up.
    await erpFaults({ failNext: 100 });
    const missing = await refunded(['2000']);
    await erpFaults({ failNext: 0 });
    // AMOUNT_MISMATCH: another integration posted the refund id first, with the wrong amount.
    const wrong = await refunded(['3000'], { drain: false });
    await erpPost({ externalRef: wrong.refunds[0].pspRefundId, orderId: wrong.orderId, amount: '2900' });
    await drainOutbox(t.app.services);
    // DUPLICATE_IN_ERP: the writeback is sent again to an ERP that ignores the idempotency key.
    const dup = await refunded(['1100']);
    await erpFaults({ nonIdempotent: true });
    await erpPost({ externalRef: dup.refunds[0].pspRefundId, orderId: dup.orderId, amount: '1100' });
    await erpFaults({ nonIdempotent: false });
    // STATUS_MISMATCH: the refund succeeded, the ERP rejected its posting.
    await erpFaults({ rejectNext: 1 });
    const rejected = await refunded(['700']);
    // PARTIAL_REFUND_OVERWRITTEN: the second partial refund overwrites the first one's document.
    const partial = await refunded(['600'], { drain: true });
    await erpFaults({ overwritePartials: true });
    const inv2 = await returnInvoice(t.sims, partial.orderId, '400');
    const second = (await refundInvoice(t, { orderId: partial.orderId, invoiceId: inv2 })).data.refundInvoice.refund;
    await drainOutbox(t.app.services);
    await erpFaults({ overwritePartials: false });
    // MISSING_AT_PSP: the books show a refund the PSP never made.
    const ghost = uid('rf-ghost');
    await erpPost({ externalRef: ghost, orderId: fine.orderId, amount: '900' });
    const to = new Date(clock.now().getTime() + 1000);

    const r = (await run(from, to)).run;
    assert.equal(r.status, 'VARIANCE');
    const rows = Object.fromEntries(r.variances.nodes.map((v: any) => [v.refundId, v]));
    const row = (ref: string) => {
      assert.ok(rows[ref], `a variance row for ${ref}`);
      const { firstDetectedAt: _f, ageSeconds: _a, erpDocumentIds, ...rest } = rows[ref];
      return { ...rest, docs: erpDocumentIds.length };
    };
    assert.deepEqual(row(missing.refunds[0].pspRefundId), {
      refundId: missing.refunds[0].pspRefundId,
      kind: 'MISSING_IN_ERP',
      recordIn: 'PSP',
      orderId: missing.orderId,
      pspAmount: { amount: '20.00' },
      erpAmount: null,
      amountDelta: { amount: '20.00', currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus: 'NOT_POSTED',
      docs: 0,
    });
    assert.deepEqual(row(wrong.refunds[0].pspRefundId), {
      refundId: wrong.refunds[0].pspRefundId,
      kind: 'AMOUNT_MISMATCH',
      recordIn: 'BOTH',
      orderId: wrong.orderId,
      pspAmount: { amount: '30.00' },
      erpAmount: { amount: '29.00' },
      amountDelta: { amount: '1.00', currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus: 'POSTED',
      docs: 1,
    });
    assert.deepEqual(row(dup.refunds[0].pspRefundId), {
      refundId: dup.refunds[0].pspRefundId,
      kind: 'DUPLICATE_IN_ERP',
      recordIn: 'BOTH',
      orderId: dup.orderId,
      pspAmount: { amount: '11.00' },
      erpAmount: { amount: '22.00' },
      amountDelta: { amount: '-11.00', currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus: 'DUPLICATE',
      docs: 2,
    });
    assert.deepEqual(row(rejected.refunds[0].pspRefundId), {
      refundId: rejected.refunds[0].pspRefundId,
      kind: 'STATUS_MISMATCH',
      recordIn: 'BOTH',
      orderId: rejected.orderId,
      pspAmount: { amount: '7.00' },
      erpAmount: { amount: '0.00' },
      amountDelta: { amount: '7.00', currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus: 'REJECTED',
      docs: 1,
    });
    assert.deepEqual(row(partial.refunds[0].pspRefundId), {
      refundId: partial.refunds[0].pspRefundId,
      kind: 'PARTIAL_REFUND_OVERWRITTEN',
      recordIn: 'BOTH',
      orderId: partial.orderId,
      pspAmount: { amount: '6.00' },
      erpAmount: { amount: '4.00' },
      amountDelta: { amount: '2.00', currencyCode: 'EUR' },
      pspStatus: 'SUCCEEDED',
      erpStatus: 'REVISED',
      docs: 1,
    });
    assert.equal(row(second.pspRefundId).kind, 'MISSING_IN_ERP', 'the overwriting refund has no document of its own');
    assert.deepEqual(row(ghost), {
      refundId: ghost,
      kind: 'MISSING_AT_PSP',
      recordIn: 'ERP',
      orderId: fine.orderId,
      pspAmount: null,
      erpAmount: { amount: '9.00' },
      amountDelta: { amount: '-9.00', currencyCode: 'EUR' },
      pspStatus: null,
      erpStatus: 'POSTED',
      docs: 1,
    });
    assert.equal(rows[fine.refunds[0].pspRefundId], undefined, 'agreeing refund ids have no row');
    assert.equal(r.varianceCount, 7);
    assert.deepEqual(r.variancesByKind, [
      { kind: 'AMOUNT_MISMATCH', count: 1 },
      { kind: 'DUPLICATE_IN_ERP', count: 1 },
      { kind: 'MISSING_AT_PSP', count: 1 },
      { kind: 'MISSING_IN_ERP', count: 2 },
      { kind: 'PARTIAL_REFUND_OVERWRITTEN', count: 1 },
      { kind: 'STATUS_MISMATCH', count: 1 },
    ]);
    // PSP: 10 + 20 + 30 + 11 + 7 + 6 + 4 = 88.00; ERP: 10 + 29 + 22 + 4 + 9 = 74.00.
    assert.deepEqual(r.totals, [
      { currencyCode: 'EUR', pspTotal: { amount: '88.00', currencyCode: 'EUR' }, erpTotal: { amount: '74.00' }, netVariance: { amount: '14.00' }, refunds: 7 },
    ]);
    assert.match(r.confirmation, /7 refund id\(s\) disagree; net variance EUR 14\.00/);

    // The live report agrees with the run, and so does a second run, whose rows keep their first detection.
    const live = (await t.gql('ANALYST', REPORT, { from: iso(from), to: iso(to), cur: 'EUR' })).data.reconciliationReport;
    assert.deepEqual(live.totals, r.totals);
    assert.deepEqual(
      live.variances.nodes.map((v: any) => [v.refundId, v.kind]),
      r.variances.nodes.map((v: any) => [v.refundId, v.kind]),
    );
    clock.advance(3_600_000);
    const again = (await run(from, to)).run;
    assert.deepEqual(
      again.variances.nodes.map((v: any) => v.firstDetectedAt),
      r.variances.nodes.map((v: any) => v.firstDetectedAt),
    );
    assert.ok(again.variances.nodes.every((v: any) => v.ageSeconds >= 3600));

    // The dry run computes the same and the writeback validation, and persists nothing.
    const before = await runCount();
    const dry = await run(from, to, { dryRun: true });
    assert.equal(dry.run, null);
    assert.deepEqual(dry.report.totals, r.totals);
    assert.equal(await runCount(), before);
    assert.deepEqual(dry.writebackValidation, {
      expectedPostings: 7,
      matching: 1,
      differing: 6,
      unexpected: 1,
      outcomes: [
        { outcome: 'AMOUNT_DIFFERS', count: 1 },
        { outcome: 'DUPLICATE', count: 1 },
        { outcome: 'MATCH', count: 1 },
        { outcome: 'MISSING', count: 2 },
        { outcome: 'OVERWRITTEN', count: 1 },
        { outcome: 'REJECTED', count: 1 },
        { outcome: 'UNEXPECTED', count: 1 },
      ],
    });
    const wb = (await t.gql('FINANCE', WRITEBACK, { from: iso(from), to: iso(to) })).data.writebackValidation;
    const missingDiff = wb.diffs.nodes.find((d: any) => d.externalRef === missing.refunds[0].pspRefundId);
    assert.deepEqual(missingDiff, {
      externalRef: missing.refunds[0].pspRefundId,
      outcome: 'MISSING',
      expected: { kind: 'REFUND', externalRef: missing.refunds[0].pspRefundId, orderId: missing.orderId, amount: { amount: '20.00' } },
      actualDocumentIds: [],
      actualOrderId: null,
      actualAmount: null,
      actualStatus: null,
    });
    assert.equal(wb.diffs.nodes.find((d: any) => d.externalRef === ghost).expected, null);
  });

  test('the ERP showing nothing while the PSP refunded is an alarm', async () => {
    clock.advance(86_400_000);
    const from = clock.now();
    // The refund lands in moneygraph's period; its writeback never reaches the ERP.
    await refunded(['800'], { drain: false });
    const r = (await run(from, new Date(clock.now().getTime() + 1000))).run;
    assert.equal(r.status, 'NO_EVENTS_ALARM');
    assert.match(r.confirmation, /the ERP shows no postings in the period while the PSP\/OMS show 1 refund/);
    assert.equal(r.varianceCount, 1, 'the missing posting is still listed');
  });

  test('reconciliationRuns: newest first, paged, and the statement count does not grow with `first`', async () => {
    const q = `query($first: Int, $after: String) { reconciliationRuns(first: $first, after: $after) { pageInfo { hasNextPage endCursor }
      nodes { id status startedAt totals { pspTotal { amount } } variancesByKind { kind count } variances(first: 5) { nodes { refundId kind } } } } }`;
    const all = (await t.gql('ANALYST', q, { first: 100 })).data.reconciliationRuns.nodes;
    assert.ok(all.length >= 4);
    const starts = all.map((n: any) => n.startedAt);
    assert.deepEqual([...starts].sort().reverse(), starts);
    const p1 = (await t.gql('ANALYST', q, { first: 2 })).data.reconciliationRuns;
    const p2 = (await t.gql('ANALYST', q, { first: 2, after: p1.pageInfo.endCursor })).data.reconciliationRuns;
    assert.deepEqual(
      [...p1.nodes, ...p2.nodes].map((n: any) => n.id),
      all.slice(0, 4).map((n: any) => n.id),
    );
    const one = await countStatements(() => t.gql('ANALYST', q, { first: 1 }));
    const many = await countStatements(() => t.gql('ANALYST', q, { first: 100 }));
    assert.equal(many.count, one.count, `first=1 → ${one.count}, first=100 → ${many.count}`);
  });

  test('reconciliationRun(id): one run with its rows, the same as in the list; null for an unknown id; not for SUPPORT', async () => {
    const q = `{ reconciliationRuns(first: 100) { nodes { id status varianceCount variances(first: 100) { nodes { refundId kind amountDelta { amount } } } } } }`;
    const runs = (await t.gql('ANALYST', q)).data.reconciliationRuns.nodes;
    const withRows = runs.find((r: any) => r.varianceCount > 0);
    assert.ok(withRows, 'a run with variance rows');
    const one = await t.gql(
      'FINANCE',
      `query($id: ID!) { reconciliationRun(id: $id) { id status varianceCount variances(first: 100) { nodes { refundId kind amountDelta { amount } } } } }`,
      { id: withRows.id },
    );
    assert.deepEqual(one.data.reconciliationRun, withRows);
    const unknown = await t.gql('ANALYST', '{ reconciliationRun(id: "no-such-run") { id } }');
    assert.equal(unknown.errors, undefined);
    assert.equal(unknown.data.reconciliationRun, null);
    assert.equal((await t.gql('SUPPORT', `{ reconciliationRun(id: "${withRows.id}") { id } }`)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});

describe('bad input changes nothing', () => {
  test('inverted and too long periods: userErrors on the mutation, BAD_USER_INPUT on the queries; unbounded periods do not parse', async () => {
    const before = await runCount();
    const now = clock.now();
    const inverted = await run(now, new Date(now.getTime() - 1000));
    assert.deepEqual(inverted.userErrors, [{ code: 'INVALID_PERIOD', message: '`to` must be after `from`', field: ['to'] }]);
    assert.equal(inverted.run, null);
    const long = await run(new Date(now.getTime() - 40 * 86_400_000), now);
    assert.equal(long.userErrors[0].code, 'PERIOD_TOO_LONG');
    assert.equal(await runCount(), before);

    const q = await t.gql('ANALYST', REPORT, { from: iso(now), to: iso(new Date(now.getTime() - 1)) });
    assert.equal(q.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(q.errors?.[0]?.extensions?.reason, 'INVALID_PERIOD');
    const w = await t.gql('ANALYST', WRITEBACK, { from: iso(new Date(now.getTime() - 40 * 86_400_000)), to: iso(now) });
    assert.equal(w.errors?.[0]?.extensions?.reason, 'PERIOD_TOO_LONG');
    const unbounded = await t.gql('ANALYST', `query($from: DateTimeISO!) { reconciliationReport(from: $from) { status } }`, { from: iso(now) });
    assert.ok(unbounded.errors?.length && !unbounded.data?.reconciliationReport);
    const noTo = await t.gql('FINANCE', `mutation { runReconciliation(input: { from: "${iso(now)}" }) { userErrors { code } } }`);
    assert.ok(noTo.errors?.length);
    assert.equal(await runCount(), before);
  });

  test('permissions: reports for ANALYST/FINANCE/ADMIN, runs for FINANCE/ADMIN, nothing for SUPPORT', async () => {
    const vars = { from: iso(new Date(Date.now() - 3_600_000)), to: iso(new Date()) };
    assert.equal((await t.gql('SUPPORT', REPORT, vars)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await t.gql('SUPPORT', WRITEBACK, vars)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await t.gql('SUPPORT', '{ reconciliationRuns { nodes { id } } }')).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal((await t.gql('ANALYST', REPORT, vars)).errors, undefined);
    for (const role of ['SUPPORT', 'ANALYST'] as const) {
      const r = await t.gql(role, RUN, { input: vars });
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
    }
    assert.equal((await t.gql('ADMIN', RUN, { input: vars })).errors, undefined);
    assert.equal((await t.gql(null, REPORT, vars)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });
});

describe('the reconcile command', () => {
  const script = path.resolve(__dirname, '..', '..', 'scripts', 'reconcile.js');
  const exec = async (args: string[], env: Record<string, string | undefined> = { DATABASE_URL: t.db.url }) => {
    try {
      const r = await promisify(execFile)(process.execPath, [script, ...args], { env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env } });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e: any) {
      return { code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string };
    }
  };

  test('machine-readable JSON and CSV, exit 0 when clean, 1 on variance, 2 on the alarm, 3 on bad input', async () => {
    // The service's clock runs ahead of the simulators' here: the period spans both, and the
    // currency keeps the earlier tests' refunds out of it.
    const from = new Date();
    const r = await refunded(['1500'], { currency: 'USD' });
    const to = new Date(clock.now().getTime() + 1000);
    const clean = await exec(['--from', iso(from), '--to', iso(to), '--currency', 'USD']);
    assert.equal(clean.code, 0, clean.stderr);
    const doc = JSON.parse(clean.stdout);
    assert.equal(doc.run.status, 'CLEAN');
    assert.deepEqual(doc.run.totals, [{ currency: 'USD', pspTotal: '15.00', erpTotal: '15.00', netVariance: '0.00', refunds: 1 }]);
    assert.deepEqual(doc.variances, []);
    assert.ok(doc.run.id, 'the run is persisted');

    await call(t.sims.urls.erp, 'POST', '/_faults', { nonIdempotent: true });
    await call(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'REFUND', externalRef: r.refunds[0].pspRefundId, orderId: r.orderId, amount: '1500', currency: 'USD' });
    const csv = await exec(['--from', iso(from), '--to', iso(to), '--currency', 'usd', '--format', 'csv']);
    assert.equal(csv.code, 1, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'refundId,kind,recordIn,orderId,currency,pspAmount,erpAmount,amountDelta,pspStatus,erpStatus,erpDocumentIds,firstDetectedAt,ageSeconds');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(0, 8)),
      [[r.refunds[0].pspRefundId, 'DUPLICATE_IN_ERP', 'BOTH', r.orderId, 'USD', '15.00', '30.00', '-15.00']],
    );
    assert.match(csv.stderr, /^VARIANCE: 1 refund id\(s\) disagree/m);

    const dry = await exec(['--from', iso(from), '--to', iso(to), '--currency', 'USD', '--dry-run']);
    assert.equal(dry.code, 1);
    const d = JSON.parse(dry.stdout);
    assert.equal(d.run.id, null);
    assert.deepEqual(d.writebackValidation.byOutcome, { DUPLICATE: 1 });
    assert.equal(d.writebackDiffs[0].outcome, 'DUPLICATE');

    const empty = await exec(['--from', '2020-01-01T00:00:00Z', '--to', '2020-01-02T00:00:00Z']);
    assert.equal(empty.code, 2);
    assert.equal(JSON.parse(empty.stdout).run.status, 'NO_EVENTS_ALARM');

    assert.equal((await exec(['--from', iso(from)])).code, 3);
    assert.equal((await exec(['--from', iso(to), '--to', iso(from)])).code, 3);
    assert.equal((await exec(['--from', iso(from), '--to', iso(to), '--format', 'xml'])).code, 3);
    const noDb = await exec(['--from', iso(from), '--to', iso(to)], { DATABASE_URL: undefined });
    assert.equal(noDb.code, 3);
    assert.match(noDb.stderr, /DATABASE_URL is required/);
  });
});
