/**
 * PSP refunds that name a return invoice not known here yet wait for it (psp_invoice_ref); when
 * the invoice arrives they are allocated to it.
 */
import { RequestContext } from '../db/context';
import { lockOrder } from '../db/transaction';
import { enqueueMany } from '../outbox';
import { writeInvoiceData } from '../systems/oms';
import { allocateToInvoice, pspRefundsAwaitingInvoice, succeededRefundsOfInvoice } from './refund.store';

/**
 * A return invoice just recorded (inside its transaction): PSP refunds made for it before it was
 * known here are allocated to it, and moneygraph's invoiceData for it is set from the ledger, so the
 * invoice is covered by them before anything computes what it still demands.
 */
export async function allocatePspRefunds(tx: RequestContext, orderId: string, invoiceId: string): Promise<void> {
  // The order first, then the refunds waiting for the invoice. A PSP refund is recorded under the
  // same lock, and it looks the invoice up there: whichever of the two commits first, the other
  // sees it (READ COMMITTED). Looked up before the lock, neither saw the other, and the invoice was
  // refunded a second time.
  await lockOrder(tx, orderId);
  const waiting = await pspRefundsAwaitingInvoice(tx, orderId, invoiceId);
  if (waiting.length === 0) return;
  await allocateToInvoice(tx, invoiceId, waiting);
  const succeeded = await succeededRefundsOfInvoice(tx, invoiceId, orderId);
  if (succeeded.length === 0) return;
  await writeInvoiceData(
    tx,
    orderId,
    invoiceId,
    succeeded.reduce((s, x) => s + x.amountMinor, 0n),
    succeeded.map((x) => x.id),
  );
  await enqueueMany(tx, [{ topic: 'oms.invoiceData', dedupeKey: `oms.invoiceData:${invoiceId}:allocated`, orderId, payload: { orderId } }]);
}
