/** ERP writeback validation (seed 002 step 4): what the ERP should hold for the period's refunds against what it holds. */
import { RequestContext } from '../db/context';
import { Period } from './period';
import { big, bigOrNull, sql } from './sql';
import { ALL, erpOnlySql, refundPeriod } from './variance.sql';

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
