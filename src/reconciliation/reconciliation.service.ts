/**
 * Refund reconciliation (seed 002): PSP/OMS refund ledger against ERP refund postings, per PSP
 * refund id. Everything is computed in the database, in consecutive ranges of PSP refund ids read in
 * index order from covering indexes on both sides (so each join probe lands next to the previous
 * one), so neither the service nor the database holds the whole period in memory, and a run can
 * report progress.
 */
import { randomUUID } from 'node:crypto';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { formatMinor } from '../shared/money';
import { ReconciliationRunEntity, ReconciliationRunTotalEntity } from './entities';
import { refreshExceptions } from './exceptions.service';
import { BusinessError } from '../shared/errors';
import { checkPeriod, Period } from './period';
import { big, bigOrNull, sql } from './sql';

export enum DiscrepancyKind {
  MISSING_IN_ERP = 'MISSING_IN_ERP',
  MISSING_AT_PSP = 'MISSING_AT_PSP',
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  STATUS_MISMATCH = 'STATUS_MISMATCH',
  DUPLICATE_IN_ERP = 'DUPLICATE_IN_ERP',
  PARTIAL_REFUND_OVERWRITTEN = 'PARTIAL_REFUND_OVERWRITTEN',
}

export enum ReconciliationStatus {
  /** Positive confirmation: events were seen and every refund id agrees. */
  CLEAN = 'CLEAN',
  VARIANCE = 'VARIANCE',
  /** Nothing arrived where something was expected: a broken feed must not look like a clean period. */
  NO_EVENTS_ALARM = 'NO_EVENTS_ALARM',
}

/** A range (lo, hi] of PSP refund ids; null bounds are open. */
export interface RefRange {
  lo: string | null;
  hi: string | null;
}
const ALL: RefRange = { lo: null, hi: null };
/** Refund ids per slice of a persisted run: bounds each statement and paces the progress bar. */
export const SLICE_SIZE = 100_000;

const refundPeriod = `r.psp_refund_id IS NOT NULL AND COALESCE(r.completed_at, r.updated_at) >= :from AND COALESCE(r.completed_at, r.updated_at) < :to
  AND (:currency IS NULL OR r.currency = :currency)`;
const inRange = (col: string, r: RefRange) => `${r.lo === null ? '' : `AND ${col} > :lo `}${r.hi === null ? '' : `AND ${col} <= :hi`}`;

/**
 * One row per PSP refund id of the period with the ERP's side aggregated beside it, and the
 * discrepancy kind (NULL when both sides agree). Only ERP postings of the same currency count as
 * the ERP amount; a posting in another currency is an amount mismatch.
 */
function refundSideSql(range: RefRange, onlyDisagreeing = false): string {
  return `SELECT t.*,
      CASE WHEN t.psp_status = 'SUCCEEDED' AND t.posted + t.posted_other = 0 AND t.rejected = 0 THEN 'MISSING_IN_ERP'
           WHEN t.psp_status = 'SUCCEEDED' AND t.posted + t.posted_other = 0 THEN 'STATUS_MISMATCH'
           WHEN t.psp_status <> 'SUCCEEDED' AND t.posted + t.posted_other > t.reversed THEN 'STATUS_MISMATCH'
           WHEN t.psp_status = 'SUCCEEDED' AND t.reversed > 0 THEN 'STATUS_MISMATCH'
           WHEN t.posted + t.posted_other > 1 THEN 'DUPLICATE_IN_ERP'
           WHEN t.psp_status = 'SUCCEEDED' AND (t.posted_other > 0 OR t.erp_amount <> t.psp_amount)
             THEN IF(t.revised > 1, 'PARTIAL_REFUND_OVERWRITTEN', 'AMOUNT_MISMATCH')
      END AS kind,
      CASE WHEN t.posted + t.posted_other > 1 THEN 'DUPLICATE' WHEN t.posted + t.posted_other = 1 THEN IF(t.revised > 1, 'REVISED', 'POSTED')
           WHEN t.rejected > 0 THEN 'REJECTED' ELSE 'NOT_POSTED' END AS erp_status
    FROM (SELECT r.psp_refund_id AS ref, MAX(r.order_id) AS order_id, MAX(r.currency) AS currency, MAX(r.status) AS psp_status,
            MAX(IF(r.status = 'SUCCEEDED', r.amount_minor, 0)) AS psp_amount, MAX(COALESCE(r.completed_at, r.updated_at)) AS occurred_at,
            COUNT(e.id) AS docs,
            COALESCE(SUM(e.status = 'POSTED' AND e.currency = r.currency), 0) AS posted,
            COALESCE(SUM(e.status = 'POSTED' AND e.currency <> r.currency), 0) AS posted_other,
            COALESCE(SUM(IF(e.status = 'POSTED' AND e.currency = r.currency, ABS(e.amount_minor), 0)), 0) AS erp_amount,
            COALESCE(SUM(e.status = 'REJECTED'), 0) AS rejected,
            COALESCE(MAX(IF(e.status = 'POSTED', e.source_version, 0)), 0) AS revised,
            -- A refund the PSP reversed (or failed after it succeeded) is netted in the books by a reversing posting.
            (SELECT COUNT(*) FROM erp_posting x WHERE x.external_ref = CONCAT(r.psp_refund_id, ':', 'reversal') AND x.kind = 'REFUND' AND x.status = 'POSTED') AS reversed
          FROM refund r FORCE INDEX (idx_refund_reconcile)
          LEFT JOIN erp_posting e FORCE INDEX (idx_erp_posting_reconcile) ON e.external_ref = r.psp_refund_id AND e.kind = 'REFUND'
          WHERE ${refundPeriod} ${inRange('r.psp_refund_id', range)}
          GROUP BY r.psp_refund_id
          ${onlyDisagreeing ? AGREES_NOT : ''}) t`;
}

/**
 * The negation of "both sides agree", on the aggregates: lets the database drop agreeing ids while
 * grouping, so only the disagreeing ones are ever materialised.
 */
const AGREES_NOT = `HAVING NOT IF(psp_status = 'SUCCEEDED', posted = 1 AND posted_other = 0 AND erp_amount = psp_amount AND reversed = 0, posted + posted_other = reversed)`;

/** ERP refund postings of the period whose refund id the ledger has never seen. */
const erpOnlySql = (range: RefRange) => `SELECT g.ref,
    (SELECT MAX(e2.order_id) FROM erp_posting e2 WHERE e2.external_ref = g.ref AND e2.kind = 'REFUND') AS order_id,
    g.currency, NULL AS psp_status, 0 AS psp_amount, g.occurred_at, g.docs, g.docs AS posted, 0 AS posted_other, g.erp_amount,
    0 AS rejected, g.revised, 0 AS reversed, 'MISSING_AT_PSP' AS kind, IF(g.docs > 1, 'DUPLICATE', 'POSTED') AS erp_status
  FROM (SELECT e.external_ref AS ref, MAX(e.currency) AS currency, MIN(e.posted_at) AS occurred_at, COUNT(*) AS docs,
          SUM(ABS(e.amount_minor)) AS erp_amount, MAX(e.source_version) AS revised
        FROM erp_posting e FORCE INDEX (idx_erp_posting_reconcile)
        WHERE e.kind = 'REFUND' AND e.status = 'POSTED' AND e.posted_at >= :from AND e.posted_at < :to AND (:currency IS NULL OR e.currency = :currency)
          ${inRange('e.external_ref', range)}
          AND NOT EXISTS (SELECT 1 FROM refund r2 WHERE r2.psp_refund_id = e.external_ref)
          -- the reversing posting of a refund ("<id>" followed by ":" and "reversal") is netted with it, not a refund of its own
          AND NOT (e.external_ref LIKE CONCAT('%:', 'reversal') AND EXISTS (SELECT 1 FROM refund r3 WHERE r3.psp_refund_id = SUBSTRING(e.external_ref, 1, CHAR_LENGTH(e.external_ref) - 9)))
        GROUP BY e.external_ref) g`;

/** Both sides of a range: every compared refund id, agreeing or not. */
const comparedSql = (range: RefRange, onlyDisagreeing = false) => `${refundSideSql(range, onlyDisagreeing)} UNION ALL ${erpOnlySql(range)}`;

/** The columns a variance row is made of, from a compared row `t`. */
const VARIANCE_SELECT = `t.ref, t.kind, CASE t.kind WHEN 'MISSING_IN_ERP' THEN 'PSP' WHEN 'MISSING_AT_PSP' THEN 'ERP' ELSE 'BOTH' END AS record_in,
  t.order_id, t.currency, IF(t.psp_status IS NULL, NULL, t.psp_amount) AS psp_amount, IF(t.docs = 0, NULL, t.erp_amount) AS erp_amount,
  t.psp_amount - t.erp_amount AS delta, t.psp_status, t.erp_status,
  (SELECT LEFT(GROUP_CONCAT(e.id ORDER BY e.posted_at, e.id SEPARATOR ','), 512) FROM erp_posting e WHERE e.external_ref = t.ref AND e.kind = 'REFUND') AS doc_ids,
  t.occurred_at,
  COALESCE((SELECT MIN(v.first_detected_at) FROM reconciliation_variance v WHERE v.refund_ref = t.ref AND v.kind = t.kind), :now) AS first_detected_at`;

export interface CurrencyTotals {
  currency: string;
  pspTotalMinor: bigint;
  erpTotalMinor: bigint;
  varianceMinor: bigint;
  refundCount: number;
}

export interface EventCounts {
  pspRefunds: number;
  erpRefundPostings: number;
  erpPostings: number;
  captures: number;
  orders: number;
  webhookEvents: number;
}

export interface ReconciliationResult {
  id: string | null;
  period: Period;
  currency: string | null;
  status: ReconciliationStatus;
  confirmation: string;
  totals: CurrencyTotals[];
  events: EventCounts;
  varianceCount: number;
  varianceByKind: Record<string, number>;
  requestedBy: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface VarianceRow {
  refundRef: string;
  kind: DiscrepancyKind;
  recordIn: 'PSP' | 'ERP' | 'BOTH';
  orderId: string | null;
  currency: string;
  pspAmountMinor: bigint | null;
  erpAmountMinor: bigint | null;
  deltaMinor: bigint;
  pspStatus: string | null;
  erpStatus: string | null;
  erpDocumentIds: string[];
  occurredAt: Date | null;
  firstDetectedAt: Date;
}

export type Progress = (done: number, total: number, stage: string) => void;

async function countEvents(ctx: RequestContext, p: Record<string, unknown>): Promise<Omit<EventCounts, 'pspRefunds'>> {
  const [c] = await sql<Record<string, string>>(
    ctx,
    `SELECT
       (SELECT COUNT(*) FROM psp_capture c WHERE c.captured_at >= :from AND c.captured_at < :to AND (:currency IS NULL OR c.currency = :currency)) AS captures,
       (SELECT COUNT(*) FROM oms_order o WHERE o.created_at >= :from AND o.created_at < :to AND (:currency IS NULL OR o.currency = :currency)) AS orders,
       (SELECT COUNT(*) FROM webhook_event w WHERE w.status IN ('RECEIVED', 'PROCESSED', 'REJECTED', 'FAILED') AND w.received_at >= :from AND w.received_at < :to) AS webhooks`,
    p,
  );
  // One pass over the covering index: currency is not in (kind, posted_at), and a row lookup per posting is what makes counts slow.
  const [e] = await sql<Record<string, string | null>>(
    ctx,
    `SELECT COUNT(*) AS erp_all, COALESCE(SUM(e.kind = 'REFUND'), 0) AS erp_refunds FROM erp_posting e FORCE INDEX (idx_erp_posting_reconcile)
     WHERE e.posted_at >= :from AND e.posted_at < :to AND (:currency IS NULL OR e.currency = :currency)`,
    p,
  );
  return {
    erpRefundPostings: Number(e.erp_refunds),
    erpPostings: Number(e.erp_all),
    captures: Number(c.captures),
    orders: Number(c.orders),
    webhookEvents: Number(c.webhooks),
  };
}

function verdict(events: EventCounts, varianceCount: number, totals: CurrencyTotals[]): { status: ReconciliationStatus; confirmation: string } {
  const money = (f: (t: CurrencyTotals) => bigint) => totals.map((t) => `${t.currency} ${formatMinor(f(t), t.currency)}`).join(', ') || 'nothing';
  if (events.webhookEvents === 0) {
    return { status: ReconciliationStatus.NO_EVENTS_ALARM, confirmation: 'ALARM: no webhook events at all arrived in the period; the feeds may be down.' };
  }
  if (events.erpPostings === 0 && (events.pspRefunds > 0 || events.captures > 0 || events.orders > 0)) {
    return {
      status: ReconciliationStatus.NO_EVENTS_ALARM,
      confirmation: `ALARM: the ERP shows no postings in the period while the PSP/OMS show ${events.pspRefunds} refund(s), ${events.captures} capture(s) and ${events.orders} order(s).`,
    };
  }
  if (varianceCount > 0) {
    return { status: ReconciliationStatus.VARIANCE, confirmation: `${varianceCount} refund id(s) disagree; net variance ${money((t) => t.varianceMinor)}.` };
  }
  return {
    status: ReconciliationStatus.CLEAN,
    confirmation: `Positive confirmation: ${events.pspRefunds} PSP refund(s) (${money((t) => t.pspTotalMinor)}) matched ${events.erpRefundPostings} ERP refund posting(s); zero variance.`,
  };
}

/**
 * The live three-column report (nothing persisted): totals per currency, event counts, verdict.
 * Its variance rows are paged with `listLiveVariances`.
 */
export async function reconciliationReport(ctx: RequestContext, period: Period, currency: string | null): Promise<ReconciliationResult> {
  const startedAt = ctx.now;
  const p = { ...period, currency, now: startedAt };
  const rows = await sql<Record<string, string | null>>(
    ctx,
    `SELECT c.currency, c.kind, SUM(c.psp_amount) AS psp, SUM(c.erp_amount) AS erp, SUM(c.psp_status IS NOT NULL) AS refunds, COUNT(*) AS n
     FROM (${comparedSql(ALL)}) c GROUP BY c.currency, c.kind`,
    p,
  );
  const perCurrency = new Map<string, CurrencyTotals>();
  const kinds = new Map<string, number>();
  for (const r of rows) {
    const t = perCurrency.get(r.currency!) ?? { currency: r.currency!, pspTotalMinor: 0n, erpTotalMinor: 0n, varianceMinor: 0n, refundCount: 0 };
    t.pspTotalMinor += big(r.psp);
    t.erpTotalMinor += big(r.erp);
    t.refundCount += Number(r.refunds);
    perCurrency.set(t.currency, t);
    if (r.kind) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + Number(r.n));
  }
  const totals = [...perCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)).map((t) => ({ ...t, varianceMinor: t.pspTotalMinor - t.erpTotalMinor }));
  const byKind = [...kinds].map(([kind, n]) => ({ kind, n: String(n) }));
  const events = { pspRefunds: totals.reduce((n, t) => n + t.refundCount, 0), ...(await countEvents(ctx, p)) };
  const varianceCount = byKind.reduce((n, k) => n + Number(k.n), 0);
  return {
    id: null,
    period,
    currency,
    ...verdict(events, varianceCount, totals),
    totals,
    events,
    varianceCount,
    varianceByKind: Object.fromEntries(byKind.map((k) => [k.kind, Number(k.n)])),
    requestedBy: ctx.actor.subject,
    startedAt,
    finishedAt: ctx.now,
  };
}

/** Variance rows of the live report, ordered by refund id, keyset-paged. */
export async function listLiveVariances(ctx: RequestContext, period: Period, currency: string | null, size: number, after: string | null): Promise<VarianceRow[]> {
  const rows = await sql(
    ctx,
    `SELECT ${VARIANCE_SELECT} FROM (${comparedSql(ALL, true)}) t
     WHERE t.kind IS NOT NULL AND (:after IS NULL OR t.ref > :after) ORDER BY t.ref LIMIT :limit`,
    { ...period, currency, now: ctx.now, after, limit: size + 1 },
  );
  return rows.map(toVarianceRow);
}

/**
 * A persisted checkpoint run: variance rows are written slice by slice with INSERT … SELECT, the
 * totals are aggregated in the same slices, and the run row records the verdict. Refreshes the
 * money exceptions afterwards so the ERP-side exceptions match what the run saw.
 */
export async function runReconciliation(
  ctx: RequestContext,
  period: Period,
  currency: string | null,
  onProgress: Progress = () => {},
): Promise<ReconciliationResult> {
  const id = randomUUID();
  const startedAt = ctx.now;
  const p = { ...period, currency, now: startedAt, runId: id };
  const [{ estimate }] = await sql<{ estimate: string | null }>(
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
  for (let lo: string | null = null, last = false; !last; ) {
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
    const rows = await sql<Record<string, string>>(
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
      confirmation: result.confirmation.slice(0, 512),
      requestedBy: ctx.actor.subject.slice(0, 128),
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

function toVarianceRow(r: Record<string, unknown>): VarianceRow {
  return {
    refundRef: String(r.ref),
    kind: r.kind as DiscrepancyKind,
    recordIn: r.record_in as VarianceRow['recordIn'],
    orderId: (r.order_id as string | null) ?? null,
    currency: String(r.currency),
    pspAmountMinor: bigOrNull(r.psp_amount),
    erpAmountMinor: bigOrNull(r.erp_amount),
    deltaMinor: big(r.delta),
    pspStatus: (r.psp_status as string | null) ?? null,
    erpStatus: (r.erp_status as string | null) ?? null,
    erpDocumentIds: r.doc_ids ? String(r.doc_ids).split(',') : [],
    occurredAt: r.occurred_at ? new Date(r.occurred_at as Date) : null,
    firstDetectedAt: new Date(r.first_detected_at as Date),
  };
}

export async function loadRun(ctx: RequestContext, id: string): Promise<ReconciliationResult | null> {
  const run = await ctx.manager.getRepository(ReconciliationRunEntity).findOne({ where: { id } });
  return run ? (await toResults(ctx, [run]))[0] : null;
}

/** Newest first, keyset-paged on (startedAt, id). */
export async function listRuns(ctx: RequestContext, size: number, after: [string, string] | null): Promise<ReconciliationResult[]> {
  const qb = ctx.manager.getRepository(ReconciliationRunEntity).createQueryBuilder('r');
  if (after) qb.where('(r.startedAt < :at OR (r.startedAt = :at AND r.id < :id))', { at: new Date(after[0]), id: after[1] });
  const runs = await qb.orderBy('r.startedAt', 'DESC').addOrderBy('r.id', 'DESC').take(size + 1).getMany();
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

// ---------------------------------------------------------------- writeback validation (seed 002 step 4)

export enum WritebackOutcome {
  MATCH = 'MATCH',
  MISSING = 'MISSING',
  REJECTED = 'REJECTED',
  AMOUNT_DIFFERS = 'AMOUNT_DIFFERS',
  CURRENCY_DIFFERS = 'CURRENCY_DIFFERS',
  ORDER_DIFFERS = 'ORDER_DIFFERS',
  DUPLICATE = 'DUPLICATE',
  OVERWRITTEN = 'OVERWRITTEN',
  /** The ERP holds a refund posting no refund of the ledger explains. */
  UNEXPECTED = 'UNEXPECTED',
}

export interface WritebackDiff {
  externalRef: string;
  outcome: WritebackOutcome;
  expected: { orderId: string | null; amountMinor: bigint; currency: string } | null;
  actual: { documentIds: string[]; orderId: string | null; amountMinor: bigint | null; currency: string | null; status: string | null };
}

/**
 * What the ERP should hold for the period's SUCCEEDED refunds — one REFUND posting each, externalRef =
 * PSP refund id, same amount, currency and order — compared with what it holds. A dry run: nothing is written.
 */
const WRITEBACK_SQL = `SELECT t.*, CASE
      WHEN t.docs = 0 THEN 'MISSING'
      WHEN t.posted = 0 THEN 'REJECTED'
      WHEN t.posted > 1 THEN 'DUPLICATE'
      WHEN t.erp_currency <> t.currency THEN 'CURRENCY_DIFFERS'
      WHEN t.erp_amount <> t.amount THEN IF(t.revised > 1, 'OVERWRITTEN', 'AMOUNT_DIFFERS')
      WHEN NOT (t.erp_order <=> t.order_id) THEN 'ORDER_DIFFERS'
      ELSE 'MATCH' END AS outcome
  FROM (SELECT r.psp_refund_id AS ref, MAX(r.order_id) AS order_id, MAX(r.amount_minor) AS amount, MAX(r.currency) AS currency,
          COUNT(e.id) AS docs, COALESCE(SUM(e.status = 'POSTED'), 0) AS posted,
          MAX(IF(e.status = 'POSTED', ABS(e.amount_minor), NULL)) AS erp_amount, MAX(IF(e.status = 'POSTED', e.currency, NULL)) AS erp_currency,
          MAX(IF(e.status = 'POSTED', e.order_id, NULL)) AS erp_order, MAX(e.source_version) AS revised, MAX(e.status) AS erp_status,
          LEFT(GROUP_CONCAT(e.id ORDER BY e.posted_at, e.id SEPARATOR ','), 512) AS doc_ids
        FROM refund r FORCE INDEX (idx_refund_reconcile)
        LEFT JOIN erp_posting e FORCE INDEX (idx_erp_posting_reconcile) ON e.external_ref = r.psp_refund_id AND e.kind = 'REFUND'
        WHERE r.status = 'SUCCEEDED' AND ${refundPeriod}
        GROUP BY r.psp_refund_id) t
  UNION ALL
  SELECT eo.ref, NULL, NULL, NULL, eo.docs, eo.posted, eo.erp_amount, eo.currency, eo.order_id, eo.revised, 'POSTED',
    (SELECT LEFT(GROUP_CONCAT(e.id ORDER BY e.posted_at, e.id SEPARATOR ','), 512) FROM erp_posting e WHERE e.external_ref = eo.ref AND e.kind = 'REFUND'),
    'UNEXPECTED'
  FROM (${erpOnlySql(ALL)}) eo`;

export interface WritebackSummary {
  period: Period;
  currency: string | null;
  expected: number;
  matching: number;
  differing: number;
  unexpected: number;
  byOutcome: Record<string, number>;
}

export async function writebackSummary(ctx: RequestContext, period: Period, currency: string | null): Promise<WritebackSummary> {
  const rows = await sql<{ outcome: string; n: string }>(ctx, `SELECT w.outcome, COUNT(*) AS n FROM (${WRITEBACK_SQL}) w GROUP BY w.outcome`, {
    ...period,
    currency,
  });
  const byOutcome = Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
  const total = rows.reduce((n, r) => n + Number(r.n), 0);
  const unexpected = byOutcome.UNEXPECTED ?? 0;
  const matching = byOutcome.MATCH ?? 0;
  return { period, currency, expected: total - unexpected, matching, differing: total - unexpected - matching, unexpected, byOutcome };
}

export async function listWritebackDiffs(ctx: RequestContext, period: Period, currency: string | null, size: number, after: string | null): Promise<WritebackDiff[]> {
  const rows = await sql<Record<string, unknown>>(
    ctx,
    `SELECT w.* FROM (${WRITEBACK_SQL}) w WHERE w.outcome <> 'MATCH' AND (:after IS NULL OR w.ref > :after) ORDER BY w.ref LIMIT :limit`,
    { ...period, currency, after, limit: size + 1 },
  );
  return rows.map((r) => ({
    externalRef: String(r.ref),
    outcome: r.outcome as WritebackOutcome,
    expected: r.outcome === WritebackOutcome.UNEXPECTED ? null : { orderId: (r.order_id as string) ?? null, amountMinor: big(r.amount), currency: String(r.currency) },
    actual: {
      documentIds: r.doc_ids ? String(r.doc_ids).split(',') : [],
      orderId: (r.erp_order as string | null) ?? null,
      amountMinor: bigOrNull(r.erp_amount),
      currency: (r.erp_currency as string | null) ?? null,
      status: Number(r.docs) === 0 ? null : Number(r.posted) > 0 ? 'POSTED' : 'REJECTED',
    },
  }));
}

// ---------------------------------------------------------------- the command (GraphQL and CLI)

export interface ReconcileInput {
  from?: Date | null;
  to?: Date | null;
  currencyCode?: string | null;
  dryRun?: boolean | null;
}

export interface ReconcileOutcome {
  run: ReconciliationResult | null;
  report: ReconciliationResult | null;
  writeback: WritebackSummary | null;
  userErrors: BusinessError[];
}

/** Validates the period, then either persists a checkpoint run or, as a dry run, computes the report and the writeback validation. */
export async function reconcile(ctx: RequestContext, input: ReconcileInput, onProgress?: Progress): Promise<ReconcileOutcome> {
  let period: Period;
  try {
    period = checkPeriod(ctx.app.config, input.from, input.to);
  } catch (e) {
    if (e instanceof BusinessError) return { run: null, report: null, writeback: null, userErrors: [e] };
    throw e;
  }
  const currency = input.currencyCode ?? null;
  if (input.dryRun) {
    const report = await reconciliationReport(ctx, period, currency);
    const writeback = await writebackSummary(ctx, period, currency);
    return { run: null, report, writeback, userErrors: [] };
  }
  return { run: await runReconciliationAndRefresh(ctx, period, currency, onProgress), report: null, writeback: null, userErrors: [] };
}
