/**
 * Phase 2 and 3 of a refund: the PSP call outside any transaction, then the outcome transaction.
 * Shared by a new refund and by recovery, which re-sends the stored request with its original key.
 */
import { RequestContext } from '../db/context';
import { lockOrderWithNextRead, withTransaction } from '../db/transaction';
import { UpstreamError } from '../shared/http-client';
import { faultPoint } from '../shared/fault-points';
import type { CreateRefundRequest, PspPort, PspRefund, PspRefundResult } from '../systems/psp';
import { RefundEntity } from './entities/refund.entity';
import type { OutcomeSource, RefundOutcome } from './refund-outcome.types';
import { recordRefundOutcome } from './refund-outcome-record';
import { inPspCallSpan } from './refund-span';
import { transition } from './refund.state';
import { loadRefund, markSubmitted, releaseLease } from './refund.store';

export function leaseEnd(ctx: RequestContext): Date {
  return new Date(ctx.now.getTime() + ctx.app.config.refunds.leaseMs);
}

/**
 * The PSP request of a refund, as the intent stored it with the row. Every refund sent from here
 * has one: a refund of origin PSP, the only kind stored without, leaves flight in the transaction
 * that inserts it.
 */
function pspRequestOf(r: RefundEntity): CreateRefundRequest {
  if (!r.pspRequest) throw new Error(`refund ${r.id} has no stored PSP request`);
  const { pspAdapterId: _adapter, ...stored } = JSON.parse(r.pspRequest) as Omit<CreateRefundRequest, 'amountMinor'> & { amountMinor?: string; pspAdapterId?: string | null };
  return {
    ...stored,
    amountMinor: stored.amountMinor === undefined ? undefined : BigInt(stored.amountMinor),
    currency: r.currency,
    // Never anything but the original key: a retry can only meet the same refund at the PSP.
    merchantTransactionId: r.merchantTransactionId,
  };
}

export function outcomeOfRecord(rec: PspRefund, source: OutcomeSource): RefundOutcome {
  return {
    status: rec.status,
    fromPspRecord: true,
    source,
    pspRefundId: rec.pspRefundId,
    amountMinor: rec.amountMinor,
    errorCode: rec.errorCode,
    errorMessage: rec.errorMessage,
    version: rec.version,
    occurredAt: rec.occurredAt,
    receipt: rec.raw,
  };
}

/**
 * The PSP adapter instance of a refund: the one its stored request names (the payment's, read with
 * the ledger at intent time), else — a request stored before adapters, or none — the payment's.
 */
async function pspOf(ctx: RequestContext, r: Pick<RefundEntity, 'paymentId' | 'pspRequest'>): Promise<PspPort> {
  const stored = r.pspRequest ? (JSON.parse(r.pspRequest) as { pspAdapterId?: string | null }) : {};
  const adapters = ctx.app.connectors.pspAdapters;
  return stored.pspAdapterId !== undefined ? adapters.named(stored.pspAdapterId, r.paymentId) : adapters.forPayment(ctx, r.paymentId);
}

/** Marks the refund SUBMITTED (one more attempt), calls the PSP with its key, records the outcome. */
export async function submitAndSettle(ctx: RequestContext, refund: RefundEntity, source: OutcomeSource = 'PSP_ANSWER'): Promise<RefundEntity> {
  const now = ctx.now;
  if (!(await markSubmitted(ctx, refund.id, { now, leaseUntil: leaseEnd(ctx) }))) return (await loadRefund(ctx, refund.id))!; // settled meanwhile
  // The row was in flight, so the refund as read was too (no status returns to flight): SUBMIT is legal from it.
  const r = Object.assign(new RefundEntity(), refund, {
    status: transition(refund.status, 'SUBMIT'),
    attempts: refund.attempts + 1,
    submittedAt: refund.submittedAt ?? now,
    updatedAt: now,
    leaseUntil: leaseEnd(ctx),
  }) as RefundEntity;
  const result = await inPspCallSpan(r, source, async (): Promise<PspRefundResult> => {
    try {
      // Back to the PSP adapter instance that took the payment; a retry tells it when the refund was first sent.
      const psp = await pspOf(ctx, r);
      return await psp.createRefund(ctx, pspRequestOf(r), { firstSentAt: refund.submittedAt });
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      return { kind: 'unknown', reason: err.message };
    }
  });
  await faultPoint(ctx, 'refund.psp-answered');
  return settle(ctx, r, result, source);
}

async function settle(ctx: RequestContext, r: RefundEntity, result: PspRefundResult, source: OutcomeSource): Promise<RefundEntity> {
  switch (result.kind) {
    case 'succeeded':
      return applyOutcome(ctx, r, outcomeOfRecord(result.record, source));
    case 'rejected':
      return applyOutcome(ctx, r, { status: 'FAILED', fromPspRecord: false, source, errorCode: result.code, errorMessage: result.message, receipt: result.raw });
    case 'already-exists': {
      // An earlier attempt with this key reached the PSP: adopt its refund, never issue another.
      const rec = await findAtPsp(ctx, r);
      if (rec) return applyOutcome(ctx, r, outcomeOfRecord(rec, source));
      break;
    }
    case 'pending':
      // Accepted, not decided (Stripe can keep a refund pending for days): in flight until the PSP's record or its webhook says.
      ctx.log.info({ refundId: r.id, pspRefundId: result.pspRefundId }, 'refund accepted by the PSP, not decided yet: left SUBMITTED');
      break;
    case 'unknown':
      ctx.log.warn({ refundId: r.id, reason: result.reason }, 'refund outcome unknown: left SUBMITTED for recovery');
      break;
  }
  await releaseLease(ctx, r.id);
  return (await loadRefund(ctx, r.id))!;
}

/**
 * The PSP's record under the refund's key, asked of the adapter instance that took its payment:
 * null when it holds none, undefined when it cannot be asked now or has not decided the refund yet.
 */
export async function findAtPsp(ctx: RequestContext, r: Pick<RefundEntity, 'merchantTransactionId' | 'paymentId' | 'pspRequest'>): Promise<PspRefund | null | undefined> {
  try {
    const psp = await pspOf(ctx, r);
    const found = await psp.lookupRefund(ctx, r.merchantTransactionId, r.paymentId);
    return found.state === 'recorded' ? found.record : found.state === 'pending' ? undefined : null;
  } catch (err) {
    if (err instanceof UpstreamError) return undefined;
    throw err;
  }
}

/** The outcome transaction: lock the order, record the outcome. On failure the lease is handed back. */
export async function applyOutcome(ctx: RequestContext, r: RefundEntity, outcome: RefundOutcome): Promise<RefundEntity> {
  try {
    return await withTransaction(ctx, async (tx) => {
      await lockOrderWithNextRead(tx, r.orderId);
      return (await recordRefundOutcome(tx, r.id, outcome)).refund;
    });
  } catch (err) {
    await releaseLease(ctx, r.id).catch(() => undefined);
    throw err;
  }
}
