/** The live reconciliation report: computed on request, nothing persisted. */
import { RequestContext } from '../db/context';
import { Period } from './period';
import { CurrencyTotals, ReconciliationResult, toVarianceRow, VarianceRow } from './reconciliation.model';
import { big, sql } from './sql';
import { ALL, comparedSql, VARIANCE_SELECT } from './variance.sql';
import { countEvents, verdict } from './verdict';

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
