/**
 * Recovery: refunds left REQUESTED or SUBMITTED (a crash, a timeout, a failed outcome transaction)
 * are driven to their outcome with their original merchantTransactionId — never re-targeted, never
 * given a new key. First ask the PSP what it holds under the key; only if it holds nothing is the
 * stored request sent again (and "already exists" then means: adopt it).
 */
import { AppServices, RequestContext } from '../db/context';
import { isOrderOnHold } from '../reconciliation';
import { RefundEntity } from './entities/refund.entity';
import { applyOutcome, findAtPsp, leaseEnd, outcomeOfRecord, submitAndSettle } from './refund-execution';
import { claimLease, deleteExpiredKeys, loadRefund, releaseLease, staleRefundIds } from './refund.store';
import { PeriodicWorker } from '../shared/periodic-worker';

export interface RecoverOptions {
  /** Automated callers (worker, auto-refund) leave orders on hold alone; an admin's request does not. */
  automated?: boolean;
}

/**
 * Drives one in-flight refund. Returns null when it is not ours to drive now: settled already,
 * owned by a live request or another recoverer (lease), or on hold for an automated caller.
 */
export async function recoverRefund(ctx: RequestContext, refundId: string, opts: RecoverOptions = {}): Promise<RefundEntity | null> {
  const now = ctx.now;
  if (!(await claimLease(ctx, refundId, { now, leaseUntil: leaseEnd(ctx) }))) return null;
  const r = (await loadRefund(ctx, refundId))!;
  if (opts.automated && (await isOrderOnHold(ctx, r.orderId))) {
    await releaseLease(ctx, r.id);
    return null;
  }
  const rec = await findAtPsp(ctx, r);
  if (rec) return applyOutcome(ctx, r, outcomeOfRecord(rec, 'RECOVERY'));
  if (rec === undefined) {
    // The PSP cannot be asked now, or has not decided the refund: try again later rather than send blind.
    await releaseLease(ctx, r.id);
    return (await loadRefund(ctx, r.id))!;
  }
  return submitAndSettle(ctx, r, 'RECOVERY');
}

/**
 * Recovers the stale refunds of one order, or of all orders in batches. Each refund is tried once
 * per call; the result lists every refund it drove, in its state afterwards.
 */
export async function recoverRefunds(
  ctx: RequestContext,
  opts: RecoverOptions & { orderId?: string; max?: number; /** After each refund tried, with how many were tried so far. */ onProgress?: (tried: number) => void } = {},
): Promise<RefundEntity[]> {
  const batch = ctx.app.config.refunds.recoveryBatch;
  const max = opts.max ?? batch * 10;
  const seen = new Set<string>();
  const out: RefundEntity[] = [];
  while (seen.size < max) {
    const ids = await staleRefundIds(ctx, { orderId: opts.orderId, automated: opts.automated, exclude: seen, limit: Math.min(batch, max - seen.size) });
    if (ids.length === 0) break;
    for (const id of ids) {
      seen.add(id);
      try {
        const r = await recoverRefund(ctx, id, opts);
        if (r) out.push(r);
      } catch (err) {
        // One refund that cannot be settled now must not keep the others waiting.
        ctx.log.error({ err, refundId: id }, 'refund recovery failed; it will be tried again');
      }
      opts.onProgress?.(seen.size);
    }
  }
  return out;
}

/** Recovers stale refunds and forgets expired idempotency keys, every REFUND_RECOVERY_INTERVAL_MS. */
export class RecoveryWorker extends PeriodicWorker {
  constructor(private readonly app: AppServices) {
    super('refund recovery', app.logger, app.config.refunds.recoveryIntervalMs);
  }

  async tick(): Promise<number> {
    const ctx = RequestContext.system(this.app);
    const done = await recoverRefunds(ctx, { automated: true });
    if (done.length) ctx.log.info({ refunds: done.map((r) => ({ id: r.id, status: r.status })) }, 'refunds recovered');
    await deleteExpiredKeys(ctx, ctx.now);
    return this.app.config.refunds.recoveryIntervalMs;
  }

  protected retryDelayMs(): number {
    return this.app.config.refunds.recoveryIntervalMs;
  }
}
