/** The period's event counts and the verdict drawn from them, shared by the live report and checkpoint runs. */
import { RequestContext } from '../db/context';
import { formatMinor } from '../shared/money';
import { CurrencyTotals, EventCounts, ReconciliationStatus } from './reconciliation.model';
import { sqlRow } from './sql';

export async function countEvents(ctx: RequestContext, p: Record<string, unknown>): Promise<Omit<EventCounts, 'pspRefunds'>> {
  const c = await sqlRow<Record<string, string>>(
    ctx,
    `SELECT
       (SELECT COUNT(*) FROM psp_capture c WHERE c.captured_at >= :from AND c.captured_at < :to AND (:currency IS NULL OR c.currency = :currency)) AS captures,
       (SELECT COUNT(*) FROM oms_order o WHERE o.created_at >= :from AND o.created_at < :to AND (:currency IS NULL OR o.currency = :currency)) AS orders,
       (SELECT COUNT(*) FROM webhook_event w WHERE w.status IN ('RECEIVED', 'PROCESSED', 'REJECTED', 'FAILED') AND w.received_at >= :from AND w.received_at < :to) AS webhooks`,
    p,
  );
  // One pass over the covering index: currency is not in (kind, posted_at), and a row lookup per posting is what makes counts slow.
  const e = await sqlRow<Record<string, string | null>>(
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

export function verdict(events: EventCounts, varianceCount: number, totals: CurrencyTotals[]): { status: ReconciliationStatus; confirmation: string } {
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
