/**
 * Phase 1 of a refund, the intent: in one transaction, lock the order, read its ledger, plan the
 * refund against every rule, insert it REQUESTED with a fresh merchantTransactionId and record the
 * client's idempotency key. Nothing is sent to the PSP here.
 */
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { BusinessError, ErrorCode } from '../shared/errors';
import { faultPoint } from '../shared/fault-points';
import { newId } from '../shared/ids';
import { RefundEntity, RefundOrigin } from './entities/refund.entity';
import type { OrderLedger } from './order-ledger';
import { leaseEnd } from './refund-execution';
import type { RefundPlan } from './refund-plans';
import type { RefundCommandResult } from './refund-command.types';
import { initialStatus } from './refund.state';
import { insertIdempotencyKey, insertRefund, LockedOrder, readLockedOrderLedger } from './refund.store';
import { truncate } from '../shared/text';

/** One refund mutation: what it is called, its key and canonical arguments, and how it plans its refund. */
export interface RefundCommand {
  operation: 'refundInvoice' | 'creditPaymentMethod';
  key: string;
  orderId: string;
  args: Record<string, unknown>;
  automated: boolean;
  /** The INPUT invoice refunded (refundInvoice), read with the ledger. */
  invoiceId: string | null;
  plan(tx: RequestContext, order: LockedOrder, ledger: OrderLedger): Promise<RefundPlan>;
}

/** Another request holds (or just took) this idempotency key. */
export class KeyTaken extends Error {}

/** The order has in-flight refunds no one is driving: recover them, then compute the new one. */
export class RecoverFirst extends Error {}

/**
 * The intent transaction: the new refund, REQUESTED and leased to this request. Throws KeyTaken,
 * RecoverFirst (unless the order's stale refunds were just `recovered`) or the BusinessError of a rule.
 */
export async function recordIntent(ctx: RequestContext, cmd: RefundCommand, hash: string, recovered: boolean): Promise<RefundEntity> {
  return withTransaction(ctx, async (tx) => {
    const { order, ledger } = await readLockedOrderLedger(tx, { orderId: cmd.orderId, key: cmd.key, invoiceId: cmd.invoiceId });
    if (!order) throw new BusinessError(ErrorCode.ORDER_NOT_FOUND, `Order ${cmd.orderId} is unknown`, ['input', 'orderId']);
    // Requests with one key for one order queue on the order lock: the later ones see the key here.
    if (ledger.keyTaken) throw new KeyTaken();
    if (cmd.automated && ledger.onHold) {
      throw new BusinessError(ErrorCode.ORDER_ON_HOLD, 'The order is on hold: no automated refund', ['input', 'orderId']);
    }
    // A PSP refund reported before the order was known waits to be applied: until it is, this
    // ledger misses money already paid back, and a refund computed from it could pay twice.
    if (ledger.reportsWaiting) {
      throw new BusinessError(
        ErrorCode.PSP_REPORT_WAITING,
        'A report about this order from before it was known here is still being applied: nothing was sent; try again in a moment',
        ['input', 'orderId'],
      );
    }
    // Seed 000: a refund interrupted earlier is settled first, with its own key, so the new one is
    // computed from the true ledger and never retries the old one under a new key.
    if (!recovered && ledger.refunds.some((r) => r.stale)) throw new RecoverFirst();
    const plan = await cmd.plan(tx, order, ledger);
    const now = tx.now;
    const row = Object.assign(new RefundEntity(), {
      id: newId(),
      orderId: order.id,
      invoiceId: plan.invoiceId,
      paymentId: plan.paymentId,
      paymentMethodId: plan.paymentMethodId,
      kind: plan.kind,
      origin: RefundOrigin.MONEYGRAPH,
      amountMinor: plan.amountMinor,
      currency: order.currency,
      status: initialStatus(RefundOrigin.MONEYGRAPH),
      merchantTransactionId: newId(),
      pspRefundId: null,
      reason: cmd.args.reason as string,
      errorCode: null,
      errorMessage: null,
      receipt: null,
      requestedBy: truncate(tx.actor.subject, 128),
      attempts: 0,
      // The PSP adapter instance of the payment travels with the stored request: its sends and lookups go there without another read.
      // A credit names no payment: it goes to the instance of the order's payment with that method, never to another PSP.
      pspRequest: JSON.stringify({
        ...plan.request,
        amountMinor: plan.request.amountMinor?.toString(),
        pspAdapterId:
          (plan.paymentId
            ? ledger.payments.find((p) => p.id === plan.paymentId)
            : ledger.payments.find((p) => plan.paymentMethodId !== null && p.paymentMethodId === plan.paymentMethodId)
          )?.pspAdapterId ?? null,
      }),
      leaseUntil: leaseEnd(tx),
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      completedAt: null,
    });
    // The key first: a key another order's request took meanwhile is heard of here (nothing queued
    // travels with it). The refund row and the audit row then travel with COMMIT (RequestContext.later).
    const keyed = await insertIdempotencyKey(tx, {
      key: cmd.key,
      operation: cmd.operation,
      requestHash: hash,
      orderId: order.id,
      refundId: row.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + tx.app.config.refunds.idempotencyTtlHours * 3_600_000),
    });
    if (!keyed) throw new KeyTaken();
    await insertRefund(tx, row);
    await writeAudit(tx, { operation: cmd.operation, args: { ...cmd.args, refundId: row.id }, orderId: order.id, outcome: row.status });
    await faultPoint(tx, 'refund.intent', tx);
    return row;
  });
}

/** A command's answer when it is refused (nothing written). */
export function rejected(orderId: string | null, e: BusinessError): RefundCommandResult {
  return { refund: null, orderId, userErrors: [e] };
}
