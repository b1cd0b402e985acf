/**
 * Recording one refund outcome (see refund-outcome.ts): the refund moved through the transition
 * table, its money effects, the audit row — inside the transaction that locked the order.
 */
import { RequestContext } from '../db/context';
import { writeAudit } from '../audit';
import { ErrorCode } from '../shared/errors';
import { faultPoint } from '../shared/fault-points';
import { RefundEntity, RefundStatus } from './entities/refund.entity';
import { recordMoneyEffects } from './refund-effects';
import { jsonText } from './refund-json';
import type { RefundOutcome } from './refund-outcome.types';
import { nextStatus, outcomeEvent, transition } from './refund.state';
import { lockRefundForOutcome, writeOutcome } from './refund.store';
import { truncateOrNull } from '../shared/text';

export async function recordRefundOutcome(tx: RequestContext, refundId: string, o: RefundOutcome): Promise<{ refund: RefundEntity; changed: boolean }> {
  if (!tx.inTransaction) throw new Error('recordRefundOutcome runs inside the transaction that locked the order');
  // A webhook's failure or reversal is a claim: recordPspRefund has it checked against the PSP's record first.
  if (o.source === 'PSP_WEBHOOK' && o.status !== 'SUCCEEDED') throw new Error('a webhook claim of failure is applied only through the PSP record');
  // The refund, locked, with the other SUCCEEDED refunds of its invoice (all of the order locked
  // by the caller): invoiceData is then set from the ledger without reading it again.
  const locked = await lockRefundForOutcome(tx, refundId);
  if (!locked) throw new Error(`refund ${refundId} not found`);
  const r = locked.refund;
  const event = outcomeEvent(o);
  // Records only move forward at the PSP: one older than the last applied is stale, and only a newer
  // record can bring back a refund recorded as failed.
  const stale = o.version != null && r.pspVersion != null && (o.version < r.pspVersion || (r.status === RefundStatus.FAILED && o.version === r.pspVersion));
  if (!nextStatus(r.status, event) || stale) return { refund: r, changed: false };

  const before = r.status;
  const next = transition(before, event);
  const now = tx.now;
  r.status = next;
  r.updatedAt = now;
  // The PSP's time of the outcome when it is the first (late failures and reversals: when heard of).
  r.completedAt = before === RefundStatus.SUCCEEDED || before === RefundStatus.FAILED ? now : (o.occurredAt ?? now);
  r.leaseUntil = null;
  if (o.version != null) r.pspVersion = r.pspVersion != null && r.pspVersion > o.version ? r.pspVersion : o.version;
  r.pspRefundId = r.pspRefundId ?? o.pspRefundId ?? null;
  if (next === RefundStatus.SUCCEEDED) {
    // The PSP is the system of record for money moved: its amount is what was refunded.
    if (o.amountMinor && o.amountMinor > 0n && o.amountMinor !== r.amountMinor) {
      tx.log.warn({ refundId: r.id, ours: r.amountMinor.toString(), psp: o.amountMinor.toString() }, 'PSP refunded another amount than requested');
      r.amountMinor = o.amountMinor;
    }
    r.receipt = jsonText(o.receipt);
    r.errorCode = null;
    r.errorMessage = null;
  } else {
    r.errorCode = o.status === 'REVERSED' ? ErrorCode.REFUND_REVERSED : (o.errorCode ?? ErrorCode.PSP_REJECTED);
    r.errorMessage = truncateOrNull(o.errorMessage ?? (o.status === 'REVERSED' ? 'The PSP reversed this refund' : null), 512) ?? null;
    r.receipt = r.receipt ?? jsonText(o.receipt);
  }
  // The client's idempotency key is done with the refund, whatever the outcome (one statement for both).
  await writeOutcome(tx, r);

  // Only a change of what SUCCEEDED moves money: invoiceData, the timeline and the books follow it.
  if (next === RefundStatus.SUCCEEDED || before === RefundStatus.SUCCEEDED) {
    await recordMoneyEffects(tx, r, { before, next, invoiceSucceeded: locked.invoiceSucceeded });
  }
  await writeAudit(tx, {
    operation: 'refund.outcome',
    args: { refundId: r.id, source: o.source, pspRefundId: r.pspRefundId, from: before, errorCode: r.errorCode },
    orderId: r.orderId,
    outcome: r.errorCode ? `${next}:${r.errorCode}` : next,
  });
  await tx.app.testHooks.outcomeWritten?.(tx, r.id);
  await faultPoint(tx, 'refund.outcome', tx);
  return { refund: r, changed: true };
}
