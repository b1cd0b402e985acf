/** Money exceptions, refreshed: the classifier run, and the staleness check queries make first. */
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { CLASSIFY_SQL, INDEX_WEBHOOKS_SQL, RESOLVE_UNSEEN_SQL } from './classifier.sql';
import { big, sql, sqlRow } from './sql';

/** Events committed out of id order are picked up by re-reading this many ids below the watermark. */
const WEBHOOK_INDEX_SLACK = 500;

export interface RefreshResult {
  seq: bigint;
  refreshed: boolean;
}

/**
 * Re-classifies every exception in one transaction, serialised by the refresh row's lock. Without
 * `force` it does nothing when another refresh finished within the staleness window.
 */
export async function refreshExceptions(ctx: RequestContext, opts: { force?: boolean } = {}): Promise<RefreshResult> {
  const cfg = ctx.app.config.exceptions;
  return withTransaction(ctx, async (tx) => {
    const now = tx.now;
    const [ctl] = await sql<{ seq: string; refreshed_at: Date | null; webhook_watermark: string }>(
      tx,
      'SELECT seq, refreshed_at, webhook_watermark FROM money_exception_refresh WHERE id = 1 FOR UPDATE',
    );
    if (!ctl) throw new Error('money_exception_refresh has no control row: run the migrations');
    if (!opts.force && !isStale(ctl.refreshed_at, now, cfg.staleAfterSeconds)) return { seq: big(ctl.seq), refreshed: false };
    const seq = big(ctl.seq) + 1n;
    const watermark = big(ctl.webhook_watermark);
    const { maxId } = await sqlRow<{ maxId: string | null }>(tx, 'SELECT MAX(id) AS maxId FROM webhook_event');
    const top = big(maxId);
    if (top > watermark) {
      const fromId = watermark > BigInt(WEBHOOK_INDEX_SLACK) ? watermark - BigInt(WEBHOOK_INDEX_SLACK) : 0n;
      await sql(tx, INDEX_WEBHOOKS_SQL, { fromId, toId: top });
    }
    await sql(tx, CLASSIFY_SQL, {
      now,
      seq,
      inFlightSeconds: cfg.refundInFlightTooLongSeconds,
      graceSeconds: cfg.postingGraceSeconds,
      invoiceGraceSeconds: cfg.inputInvoiceRefundGraceSeconds,
      driftSeconds: ctx.app.config.invoiceDataDriftWindowSeconds,
      omsKeepsCopy: ctx.app.connectors.oms.capabilities.keepsInvoiceData ? 1 : 0,
      cutoffHour: cfg.settlementCutoffHourUtc,
      webhookWaitSeconds: cfg.webhookWaitSeconds,
    });
    await sql(tx, RESOLVE_UNSEEN_SQL, { now, seq });
    await sql(tx, 'UPDATE money_exception_refresh SET seq = :seq, refreshed_at = :now, webhook_watermark = :wm WHERE id = 1', {
      seq,
      now,
      wm: top > watermark ? top : watermark,
    });
    return { seq, refreshed: true };
  });
}

function isStale(refreshedAt: Date | null, now: Date, staleAfterSeconds: number): boolean {
  if (!refreshedAt) return true;
  const age = now.getTime() - new Date(refreshedAt).getTime();
  return age < 0 || age >= staleAfterSeconds * 1000;
}

/** Requests already checked: one request reads one classification, however many fields ask. */
const freshFor = new WeakSet<RequestContext>();

/**
 * Queries call this first: one cheap read, and a refresh only when the last one is older than the
 * staleness window. Once per request, so the statement count depends on the query's shape only.
 */
export async function ensureFresh(ctx: RequestContext): Promise<void> {
  if (freshFor.has(ctx)) return;
  freshFor.add(ctx);
  const [ctl] = await sql<{ refreshed_at: Date | null }>(ctx, 'SELECT refreshed_at FROM money_exception_refresh WHERE id = 1');
  if (ctl && !isStale(ctl.refreshed_at, ctx.now, ctx.app.config.exceptions.staleAfterSeconds)) return;
  await refreshExceptions(ctx);
}
