/**
 * The PSP's refunds of an order that moneygraph does not know yet (their webhooks late, stored but
 * not applied, or lost), recorded before a refund of the order is computed.
 */
import { RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { BusinessError, ErrorCode } from '../shared/errors';
import { formatMinor } from '../shared/money';
import { UpstreamError } from '../shared/http-client';
import { RefundStatus } from './entities/refund.entity';
import { recordPspRefund } from './psp-refund-report';
import { isInFlight } from './refund.state';
import { refundKeysOfOrder } from './refund.store';

/**
 * Before moneygraph refunds an invoice it asks the PSP which refunds it holds for the order (outside
 * any transaction) and records those it lacks, as syncOrder would: a refund made at the PSP's
 * console for the same return must cover the invoice, not be paid a second time. Throws
 * UPSTREAM_UNAVAILABLE when the PSP cannot be asked (nothing is changed; the automatic refund is
 * retried later), and PSP_REFUND_UNDECIDED when a refund made at the PSP for this invoice is not
 * decided there yet (Stripe's pending): it may still pay the invoice, so nothing is sent until the
 * PSP decides it (the automatic refund is retried later). Throws ORDER_NOT_FOUND when the PSP holds
 * refunds moneygraph lacks for an order not known here: they could not be recorded, so no refund
 * of the order may be computed yet.
 */
export async function adoptPspRefunds(ctx: RequestContext, orderId: string, invoiceId?: string): Promise<void> {
  let records;
  let undecided;
  try {
    ({ refunds: records, undecided = [] } = await ctx.app.connectors.pspAdapters.orderRecords(ctx, orderId));
  } catch (err) {
    if (err instanceof UpstreamError) {
      throw new BusinessError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The PSP cannot be asked which refunds it already holds for this order; nothing was changed. Try again later.');
    }
    throw err;
  }
  if (records.length === 0 && undecided.length === 0) return;
  const known = await refundKeysOfOrder(ctx, orderId);
  // Ours undecided are in flight in the ledger already; one made at the PSP is not known here until decided.
  const foreign = undecided.find(
    (u) => invoiceId && u.invoiceNumber === invoiceId && !known.some((k) => k.psp_refund_id === u.pspRefundId || k.merchant_transaction_id === u.merchantTransactionId),
  );
  if (foreign) {
    const amount = foreign.currency ? `${formatMinor(foreign.amountMinor, foreign.currency)} ${foreign.currency}` : `${foreign.amountMinor} minor units`;
    throw new BusinessError(
      ErrorCode.PSP_REFUND_UNDECIDED,
      `A refund of ${amount} for invoice ${invoiceId} made at the PSP (${foreign.pspRefundId}) is not decided there yet; nothing was sent, so the invoice cannot be paid twice. Try again once the PSP has decided it.`,
      ['input', 'invoiceId'],
    );
  }
  if (records.length === 0) return;
  const byPspId = new Map(known.filter((k) => k.psp_refund_id).map((k) => [k.psp_refund_id!, k.status]));
  const byKey = new Map(known.map((k) => [k.merchant_transaction_id, k.status]));
  // Ours in flight are counted as such and driven by their owner or recovery; the rest must match the PSP.
  const fresh = records.filter((r) => {
    if (r.status === 'FAILED') return false;
    const ours = byPspId.get(r.pspRefundId) ?? (r.merchantTransactionId ? byKey.get(r.merchantTransactionId) : undefined);
    const theirs = r.status === 'REVERSED' ? RefundStatus.FAILED : r.status;
    return ours !== theirs && !(ours && isInFlight(ours));
  });
  if (fresh.length === 0) return;
  const recorded = await withTransaction(ctx, async (tx) => {
    if (!(await lockOrder(tx, orderId))) return false;
    for (const r of fresh) await recordPspRefund(tx, r, 'SYNC');
    return true;
  });
  // The order is not known here yet, so the PSP's refunds could not be recorded. Were it to become
  // known before the refund's intent, the intent would compute without them and pay them again:
  // the refund stops here (the automatic refund is retried later, when they can be recorded).
  if (!recorded) {
    throw new BusinessError(
      ErrorCode.ORDER_NOT_FOUND,
      `Order ${orderId} is unknown here, and the PSP already holds refunds for it: nothing was sent; try again once the order is known`,
      ['input', 'orderId'],
    );
  }
}
