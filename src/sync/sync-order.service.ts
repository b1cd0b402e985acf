/**
 * syncOrder: the repair path when webhooks were lost. Reads what OMS, PSP and ERP hold for one
 * order (outside any transaction), then applies it in one transaction through exactly the code
 * the webhooks use, so versions decide and an older upstream record never overwrites a newer one.
 * PSP refunds are the PSP's own records: applied as such by the refunds use case, they override
 * what a webhook claimed. Webhook events that waited for this order are applied afterwards.
 */
import { RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { BusinessError, ErrorCode } from '../shared/errors';
import { UpstreamError } from '../shared/http-client';
import { applyOmsEvent, applyOmsRecords, findOrder, OrderEntity } from '../systems/oms';
import { applyPspEvent } from '../systems/psp';
import { recordPspRefund } from '../refunds';
import { recordErpPosting } from '../systems/erp';
import { WebhookPayloadError } from '../shared/payload';
import { wakeWaiting } from '../webhooks';

export interface SyncOrderInput {
  orderId: string;
}

export interface SyncCounts {
  invoices: number;
  interactions: number;
  payments: number;
  captures: number;
  refunds: number;
  postings: number;
  /** Always 0 (kept for the API's `refundsSkipped`). */
  refundsSkipped: number;
}

export type SyncOrderResult = { order: OrderEntity | null; counts: SyncCounts } | { error: BusinessError };

const envelope = (type: string, data: unknown) => ({ type, data });

export async function syncOrder(ctx: RequestContext, input: SyncOrderInput): Promise<SyncOrderResult> {
  const orderId = input.orderId;
  const { oms, pspAdapters, erp } = ctx.app.connectors;
  let upstream;
  try {
    const [omsOrder, pspRecords, postings] = await Promise.all([oms.getOrder(ctx, orderId), pspAdapters.orderRecords(ctx, orderId), erp.getPostings(ctx, { orderId })]);
    upstream = { omsOrder, pspRecords, postings };
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    ctx.log.warn({ err: err.message, orderId }, 'syncOrder: upstream unavailable');
    return reject(ctx, input, ErrorCode.UPSTREAM_UNAVAILABLE, `${err.system.toUpperCase()} is unavailable; nothing was changed. Try again later.`);
  }
  const { omsOrder, pspRecords, postings } = upstream;
  const { payments, captures, refunds } = pspRecords;
  if (!omsOrder && payments.length + captures.length + refunds.length + postings.length === 0) {
    return reject(ctx, input, ErrorCode.ORDER_NOT_FOUND, `No upstream system knows order ${orderId}`, ['input', 'orderId']);
  }

  const counts: SyncCounts = {
    invoices: omsOrder?.invoices.length ?? 0,
    interactions: omsOrder?.interactions.length ?? 0,
    payments: payments.length,
    captures: captures.length,
    refunds: refunds.length,
    postings: postings.length,
    refundsSkipped: 0,
  };
  try {
    await withTransaction(ctx, async (tx) => {
      await lockOrder(tx, orderId);
      // The order first: a new order row is then held by this transaction's insert.
      if (omsOrder) await applyOmsEvent(tx, 'order.upserted', envelope('order.upserted', { order: omsOrder.order }));
      for (const payment of payments) await applyPspEvent(tx, 'payment.upserted', envelope('payment.upserted', { payment }));
      for (const capture of captures) await applyPspEvent(tx, 'capture.created', envelope('capture.created', { capture }));
      // Invoices after the payments, as their webhooks would come; refunds the OMS made itself go to the ledger.
      if (omsOrder) await applyOmsRecords(tx, orderId, omsOrder);
      // The PSP's records of the order's refunds: what they say is what the ledger says afterwards.
      for (const r of refunds) await recordPspRefund(tx, r, 'SYNC');
      for (const posting of postings) await recordErpPosting(tx, posting);
      await writeAudit(tx, { operation: 'syncOrder', args: { input, counts }, orderId, outcome: 'SUCCEEDED' });
    });
  } catch (err) {
    if (!(err instanceof WebhookPayloadError)) throw err;
    // An upstream record the webhook contract refuses: the transaction rolled back whole.
    ctx.log.warn({ err: err.message, orderId }, 'syncOrder: upstream record does not fit its contract');
    return reject(ctx, input, ErrorCode.UPSTREAM_UNAVAILABLE, 'An upstream system answered records that do not fit its contract; nothing was changed.');
  }
  await wakeWaiting(ctx, [`order:${orderId}`, ...payments.map((p) => `payment:${(p as { id: string }).id}`)]);
  return { order: await findOrder(ctx, orderId), counts };
}

async function reject(ctx: RequestContext, input: SyncOrderInput, code: ErrorCode, message: string, field?: string[]): Promise<SyncOrderResult> {
  await writeAudit(ctx, { operation: 'syncOrder', args: { input }, orderId: input.orderId, outcome: `REJECTED:${code}` });
  return { error: new BusinessError(code, message, field) };
}
