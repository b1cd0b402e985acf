/**
 * The money effects of a refund outcome that changes what SUCCEEDED, inside the outcome
 * transaction: moneygraph's invoiceData set from the ledger, the interaction in the order's
 * timeline, and the outbox messages that carry them upstream (OMS invoiceData, OMS interaction,
 * the ERP posting or its reversal).
 */
import { RequestContext } from '../db/context';
import { byTimeThenId } from '../db/entity-rows';
import { enqueueMany, OutboxItem } from '../outbox';
import { ErrorCode } from '../shared/errors';
import { formatMinor } from '../shared/money';
import { addInteraction, writeInvoiceData } from '../systems/oms';
import { RefundEntity, RefundKind, RefundStatus } from './entities/refund.entity';
import { readOutboxMessageExists, SucceededRow } from './refund.store';

/** `before` → `next` is the refund's change of status; `invoiceSucceeded` the other SUCCEEDED refunds of its invoice, read under the lock. */
export async function recordMoneyEffects(
  tx: RequestContext,
  r: RefundEntity,
  change: { before: RefundStatus; next: RefundStatus; invoiceSucceeded: SucceededRow[] },
): Promise<void> {
  const { before, next } = change;
  const items: OutboxItem[] = [];
  if (r.invoiceId) {
    await refreshInvoiceData(tx, r, change.invoiceSucceeded);
    items.push({ topic: 'oms.invoiceData', dedupeKey: `oms.invoiceData:${r.id}:${next}`, orderId: r.orderId, payload: { orderId: r.orderId } });
  }
  const interaction = interactionOf(r, next === RefundStatus.SUCCEEDED);
  await addInteraction(tx, interaction);
  items.push({ topic: 'oms.interaction', dedupeKey: `oms.interaction:${interaction.id}`, orderId: r.orderId, payload: interaction });
  const ref = r.pspRefundId ?? r.id;
  // A refund the PSP's record brings back after its posting was reversed is booked again under a
  // reference of its own (the ERP keeps one document per reference).
  const rebook = next === RefundStatus.SUCCEEDED && before === RefundStatus.FAILED && (await readOutboxMessageExists(tx, `erp.post:REFUND:${ref}:reversal`));
  const bookRef = rebook ? `${ref}:restored` : ref;
  items.push(
    next === RefundStatus.SUCCEEDED
      ? { topic: 'erp.post', dedupeKey: `erp.post:REFUND:${bookRef}`, orderId: r.orderId, payload: posting(r, bookRef, r.amountMinor) }
      : { topic: 'erp.post', dedupeKey: `erp.post:REFUND:${ref}:reversal`, orderId: r.orderId, payload: posting(r, `${ref}:reversal`, -r.amountMinor) },
  );
  await enqueueMany(tx, items);
}

/**
 * moneygraph's invoiceData for the refund's invoice, set from the ledger (never incremented): the
 * invoice's other SUCCEEDED refunds, read under the lock, and this one if it SUCCEEDED now.
 */
async function refreshInvoiceData(tx: RequestContext, r: RefundEntity, others: SucceededRow[]): Promise<void> {
  const rows = others.map((x) => ({ id: x.id, amountMinor: BigInt(x.amountMinor), at: x.at }));
  if (r.status === RefundStatus.SUCCEEDED) rows.push({ id: r.id, amountMinor: r.amountMinor, at: sqlTime(r.createdAt) });
  rows.sort(byTimeThenId);
  await writeInvoiceData(
    tx,
    r.orderId,
    r.invoiceId!,
    rows.reduce((s, x) => s + x.amountMinor, 0n),
    rows.map((x) => x.id),
  );
}

/** DATE_FORMAT(t, '%Y-%m-%d %H:%i:%s.%f') of a UTC time with milliseconds. */
const sqlTime = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}000`;

function interactionOf(r: RefundEntity, succeeded: boolean) {
  const amount = `${formatMinor(r.amountMinor, r.currency)} ${r.currency}`;
  const target = r.invoiceId ? `invoice ${r.invoiceId}` : r.paymentMethodId ? `payment method ${r.paymentMethodId}` : 'the order';
  return succeeded
    ? {
        id: `refund-payment:${r.id}`,
        orderId: r.orderId,
        kind: 'Refund Payment',
        message: `Refunded ${amount} for ${target} (refund ${r.id}, PSP ${r.pspRefundId ?? '-'})`,
        refundId: r.id,
      }
    : {
        id: `refund-reversed:${r.id}`,
        orderId: r.orderId,
        kind: 'Refund Reversed',
        message: `The PSP reports the refund of ${amount} for ${target} as ${r.errorCode === ErrorCode.REFUND_REVERSED ? 'reversed' : 'failed'} (refund ${r.id})`,
        refundId: r.id,
      };
}

function posting(r: RefundEntity, externalRef: string, amountMinor: bigint) {
  return {
    kind: 'REFUND',
    externalRef,
    orderId: r.orderId,
    amountMinor: amountMinor.toString(),
    currency: r.currency,
    reasonCode: r.kind === RefundKind.UNLINKED ? 'REFUND_CREDIT' : 'REFUND_RETURN',
  };
}
