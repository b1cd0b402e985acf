/**
 * Persisted checkpoint runs: the run itself, written slice by slice so neither the service nor the
 * database holds the whole period in memory and the run can report progress, and the listing of
 * past runs and their variance rows.
 */
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { truncate } from '../shared/text';
import { ReconciliationRunEntity, ReconciliationRunTotalEntity } from './entities';
import { refreshExceptions } from './exceptions.refresh';
import { Period } from './period';
import { CurrencyTotals, Progress, ReconciliationResult, ReconciliationStatus, toVarianceRow, VarianceRow } from './reconciliation.model';
import { big, sql, sqlRow } from './sql';
import { comparedSql, inRange, RefRange, refundPeriod, VARIANCE_SELECT } from './variance.sql';
import { countEvents, verdict } from './verdict';

/** Refund ids per slice of a persisted run: bounds each statement and paces the progress bar. */
const SLICE_SIZE = 100_000;

/**
 * A persisted checkpoint run: variance rows are written slice by slice with INSERT … SELECT, the
 * totals are aggregated in the same slices, and the run row records the verdict. Refreshes the
 * money exceptions afterwards so the ERP-side exceptions match what the run saw.
 */
export async function runReconciliation(ctx: RequestContext, period: Period, currency: string | null, onProgress: Progress = () => {}): Promise<ReconciliationResult> {
  const id = randomUUID();
  const startedAt = ctx.now;
  const p = { ...period, currency, now: startedAt, runId: id };
  const { estimate } = await sqlRow<{ estimate: string | null }>(
    ctx,
    `SELECT TABLE_ROWS AS estimate FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'refund'`,
  );
  let steps = Math.max(1, Math.ceil(Number(estimate ?? 0) / SLICE_SIZE)) + 2;
  let done = 0;
  const step = (stage: string) => onProgress(++done, (steps = Math.max(steps, done + 1)), stage);
  const totals = new Map<string, CurrencyTotals>();
  const insert = (range: RefRange) => `INSERT INTO reconciliation_variance (run_id, refund_ref, kind, record_in, order_id, currency, psp_amount_minor,
      erp_amount_minor, delta_minor, psp_status, erp_status, erp_document_ids, occurred_at, first_detected_at)
    SELECT :runId, v.* FROM (SELECT ${VARIANCE_SELECT} FROM (${comparedSql(range, true)}) t WHERE t.kind IS NOT NULL) v`;
  for (let lo: string | null = null, last = false; !last;) {
    // The range ends SLICE_SIZE refund ids further on in index order; the last one is open-ended.
    const [b] = await sql<{ hi: string }>(
      ctx,
      `SELECT r.psp_refund_id AS hi FROM refund r FORCE INDEX (idx_refund_reconcile)
       WHERE r.psp_refund_id IS NOT NULL ${inRange('r.psp_refund_id', { lo, hi: null })} ORDER BY r.psp_refund_id LIMIT 1 OFFSET :offset`,
      { lo, offset: SLICE_SIZE - 1 },
    );
    const range: RefRange = { lo, hi: b?.hi ?? null };
    last = range.hi === null;
    const rp = { ...p, lo: range.lo, hi: range.hi };
    await sql(ctx, insert(range), rp);
    const rows = await sql<{ currency: string; refunds: string; psp: string }>(
      ctx,
      `SELECT r.currency, COUNT(*) AS refunds, COALESCE(SUM(IF(r.status = 'SUCCEEDED', r.amount_minor, 0)), 0) AS psp
       FROM refund r FORCE INDEX (idx_refund_reconcile) WHERE ${refundPeriod} ${inRange('r.psp_refund_id', range)} GROUP BY r.currency`,
      rp,
    );
    for (const r of rows) {
      const t = totals.get(r.currency) ?? { currency: r.currency, pspTotalMinor: 0n, erpTotalMinor: 0n, varianceMinor: 0n, refundCount: 0 };
      t.pspTotalMinor += big(r.psp);
      t.refundCount += Number(r.refunds);
      totals.set(r.currency, t);
    }
    step('comparing refunds with ERP postings');
    lo = range.hi;
  }
  // Every compared refund id contributes psp − erp to the variance rows, and agreeing ids contribute
  // nothing, so the ERP column is the PSP column minus the net variance, per currency.
  const deltas = await sql<{ currency: string; delta: string; n: string }>(
    ctx,
    'SELECT currency, SUM(delta_minor) AS delta, COUNT(*) AS n FROM reconciliation_variance WHERE run_id = :runId GROUP BY currency',
    p,
  );
  for (const d of deltas) {
    const t = totals.get(d.currency) ?? { currency: d.currency, pspTotalMinor: 0n, erpTotalMinor: 0n, varianceMinor: 0n, refundCount: 0 };
    t.varianceMinor = big(d.delta);
    totals.set(d.currency, t);
  }
  const byKind = await sql<{ kind: string; n: string }>(ctx, 'SELECT kind, COUNT(*) AS n FROM reconciliation_variance WHERE run_id = :runId GROUP BY kind', p);
  const sorted = [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((t) => ({ ...t, erpTotalMinor: t.pspTotalMinor - t.varianceMinor }));
  const events = { pspRefunds: sorted.reduce((n, t) => n + t.refundCount, 0), ...(await countEvents(ctx, p)) };
  step('counting events');
  const varianceCount = byKind.reduce((n, k) => n + Number(k.n), 0);
  const result: ReconciliationResult = {
    id,
    period,
    currency,
    ...verdict(events, varianceCount, sorted),
    totals: sorted,
    events,
    varianceCount,
    varianceByKind: Object.fromEntries(byKind.map((k) => [k.kind, Number(k.n)])),
    requestedBy: ctx.actor.subject,
    startedAt,
    finishedAt: ctx.now,
  };
  await withTransaction(ctx, async (tx) => {
    await tx.manager.getRepository(ReconciliationRunEntity).insert({
      id,
      periodFrom: period.from,
      periodTo: period.to,
      currency,
      status: result.status,
      confirmation: truncate(result.confirmation, 512),
      requestedBy: truncate(ctx.actor.subject, 128),
      startedAt,
      finishedAt: result.finishedAt,
      varianceCount,
      pspRefundCount: events.pspRefunds,
      erpRefundPostingCount: events.erpRefundPostings,
      erpPostingCount: events.erpPostings,
      captureCount: events.captures,
      orderCount: events.orders,
      webhookEventCount: events.webhookEvents,
    });
    if (sorted.length) {
      await tx.manager.getRepository(ReconciliationRunTotalEntity).insert(sorted.map((t) => ({ runId: id, ...t })));
    }
    await writeAudit(tx, { operation: 'runReconciliation', args: { ...period, currency }, outcome: result.status });
  });
  step('recording the run');
  ctx.log.info({ runId: id, status: result.status, varianceCount, confirmation: result.confirmation }, 'reconciliation checkpoint');
  return result;
}

/** After a run, the exception list should agree with what the run saw. */
export async function runReconciliationAndRefresh(ctx: RequestContext, period: Period, currency: string | null, onProgress?: Progress) {
  const result = await runReconciliation(ctx, period, currency, onProgress);
  await refreshExceptions(ctx, { force: true });
  return result;
}

/**
 * Variance rows of several runs at once (one statement for a page of runs): the first `size + 1`
 * rows after `after` of each run, by refund id.
 */
export async function listRunsVariances(ctx: RequestContext, runIds: readonly string[], size: number, after: string | null): Promise<Map<string, VarianceRow[]>> {
  const rows = await sql<Record<string, unknown>>(
    ctx,
    `SELECT x.*, x.refund_ref AS ref, x.psp_amount_minor AS psp_amount, x.erp_amount_minor AS erp_amount, x.delta_minor AS delta,
       x.erp_document_ids AS doc_ids
     FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.run_id ORDER BY v.refund_ref) AS rn FROM reconciliation_variance v
       WHERE v.run_id IN (:runIds) AND (:after IS NULL OR v.refund_ref > :after)) x
     WHERE x.rn <= :limit ORDER BY x.run_id, x.refund_ref`,
    { runIds: [...runIds], after, limit: size + 1 },
  );
  const byRun = new Map<string, VarianceRow[]>(runIds.map((id) => [id, []]));
  for (const r of rows) byRun.get(String(r.run_id))?.push(toVarianceRow(r));
  return byRun;
}

export async function listRunVariances(ctx: RequestContext, runId: string, size: number, after: string | null): Promise<VarianceRow[]> {
  return (await listRunsVariances(ctx, [runId], size, after)).get(runId) ?? [];
}

/** One persisted run by id, or null when there is none. */
export async function findRun(ctx: RequestContext, id: string): Promise<ReconciliationResult | null> {
  const run = await ctx.manager.getRepository(ReconciliationRunEntity).findOneBy({ id });
  return run ? ((await toResults(ctx, [run]))[0] ?? null) : null;
}

/** Newest first, keyset-paged on (startedAt, id). */
export async function listRuns(ctx: RequestContext, size: number, after: [string, string] | null): Promise<ReconciliationResult[]> {
  const qb = ctx.manager.getRepository(ReconciliationRunEntity).createQueryBuilder('r');
  if (after) qb.where('(r.startedAt < :at OR (r.startedAt = :at AND r.id < :id))', { at: new Date(after[0]), id: after[1] });
  const runs = await qb
    .orderBy('r.startedAt', 'DESC')
    .addOrderBy('r.id', 'DESC')
    .take(size + 1)
    .getMany();
  return toResults(ctx, runs);
}

async function toResults(ctx: RequestContext, runs: ReconciliationRunEntity[]): Promise<ReconciliationResult[]> {
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const [totals, kinds] = await Promise.all([
    ctx.manager.getRepository(ReconciliationRunTotalEntity).createQueryBuilder('t').where('t.runId IN (:...ids)', { ids }).orderBy('t.currency').getMany(),
    sql<{ run_id: string; kind: string; n: string }>(ctx, 'SELECT run_id, kind, COUNT(*) AS n FROM reconciliation_variance WHERE run_id IN (:ids) GROUP BY run_id, kind', { ids }),
  ]);
  return runs.map((r) => ({
    id: r.id,
    period: { from: r.periodFrom, to: r.periodTo },
    currency: r.currency,
    status: r.status as ReconciliationStatus,
    confirmation: r.confirmation,
    totals: totals.filter((t) => t.runId === r.id).map(({ runId: _r, ...t }) => t),
    events: {
      pspRefunds: r.pspRefundCount,
      erpRefundPostings: r.erpRefundPostingCount,
      erpPostings: r.erpPostingCount,
      captures: r.captureCount,
      orders: r.orderCount,
      webhookEvents: r.webhookEventCount,
    },
    varianceCount: r.varianceCount,
    varianceByKind: Object.fromEntries(kinds.filter((k) => k.run_id === r.id).map((k) => [k.kind, Number(k.n)])),
    requestedBy: r.requestedBy,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  }));
}
