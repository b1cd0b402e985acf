/**
 * Applying what the PSP reports about a refund — a webhook (a claim) or its record read back — to
 * ours or to one moneygraph never issued, through recordRefundOutcome.
 */
import { RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { newId } from '../shared/ids';
import { UpstreamError } from '../shared/http-client';
import { InvoiceKind } from '../systems/oms';
import type { PspRefund } from '../systems/psp';
import { NotApplicableYet } from '../core/not-applicable-yet';
import { RefundEntity, RefundKind, RefundOrigin, RefundStatus } from './entities/refund.entity';
import type { OutcomeSource, PspRefundReport } from './refund-outcome.types';
import { recordRefundOutcome } from './refund-outcome-record';
import { initialStatus, nextStatus, outcomeEvent } from './refund.state';
import { findRefundByPspKeys, insertRefund, readInvoice, readOrder, readOrderOfPayment } from './refund.store';

/**
 * Applies what the PSP reports about a refund: ours (found by merchantTransactionId or PSP refund
 * id) or one moneygraph never issued, which becomes a refund of origin PSP, allocated to
 * `invoiceNumber` when that is an INPUT invoice of the order. Locks the order.
 *
 * A webhook (PSP_WEBHOOK) is a claim. Its success moves a refund out of flight; a failure or a
 * reversal it reports — or a success for a refund recorded as failed — is checked against the
 * PSP's own record first: NotApplicableYet with a `settle` that reads the record outside any
 * transaction and applies that instead (VERIFIED). An event whose order is not known here yet
 * waits for it (NotApplicableYet "order:<id>" / "payment:<id>"), for webhooks and verified records
 * alike; SYNC and RECOVERY (which create or know the order) return null then.
 */
export async function recordPspRefund(tx: RequestContext, rep: PspRefundReport, source: OutcomeSource): Promise<RefundEntity | null> {
  const claim = source === 'PSP_WEBHOOK';
  // Ours by the key we sent, else by the PSP's refund id: one statement, the key's match first.
  const find = () => findRefundByPspKeys(tx, rep.merchantTransactionId, rep.pspRefundId);
  let r = await find();
  if (claim && r && claimNeedsRecord(r, rep)) throw checkWithPsp(r, rep);
  // Statuses only move forward, so an outcome that changes nothing now never will: skip the lock.
  if (r && !nextStatus(r.status, outcomeEvent({ status: rep.status, fromPspRecord: !claim }))) return r;
  let orderId = r?.orderId ?? rep.orderId ?? null;
  if (!orderId && rep.paymentId) {
    orderId = await readOrderOfPayment(tx, rep.paymentId);
  }
  if (!orderId || !(await lockOrder(tx, orderId))) {
    if (claim || source === 'VERIFIED') {
      const what = orderId ? `order:${orderId}` : rep.paymentId ? `payment:${rep.paymentId}` : `psp-refund:${rep.pspRefundId}`;
      throw new NotApplicableYet(
        what,
        `PSP refund ${rep.pspRefundId} is for ${orderId ? `order ${orderId}` : rep.paymentId ? `payment ${rep.paymentId}` : 'no order or payment'}, not known here yet: applied when it arrives`,
      );
    }
    tx.log.warn({ pspRefundId: rep.pspRefundId, orderId }, 'PSP refund for an order not known here: not applied');
    return null;
  }
  // A row found by its merchantTransactionId before the lock is the one find() returns after it
  // (the key is unique, refunds are never deleted); recordRefundOutcome re-reads it under its lock.
  const sure = r && (!rep.merchantTransactionId || r.merchantTransactionId === rep.merchantTransactionId);
  r = sure ? r : await find();
  if (claim && claimNeedsRecord(r, rep)) throw checkWithPsp(r, rep);
  r ??= await insertForeignRefund(tx, orderId, rep);
  const out = await recordRefundOutcome(tx, r.id, {
    status: rep.status,
    fromPspRecord: !claim,
    source,
    pspRefundId: rep.pspRefundId,
    amountMinor: rep.amountMinor,
    errorCode: rep.errorCode,
    errorMessage: rep.errorMessage,
    version: rep.version ?? null,
    occurredAt: rep.occurredAt ?? null,
    receipt: rep.raw,
  });
  return out.refund;
}

/**
 * A claim that would move money state backwards — a failure or reversal of a refund not already
 * failed here (in flight counts: failing it would re-open its invoice), or a success of one
 * recorded as failed — is applied only as the PSP's record has it.
 */
function claimNeedsRecord(r: RefundEntity | null, rep: PspRefundReport): boolean {
  return rep.status === 'SUCCEEDED' ? r?.status === RefundStatus.FAILED : r?.status !== RefundStatus.FAILED;
}

function checkWithPsp(r: RefundEntity | null, rep: PspRefundReport): NotApplicableYet {
  const what = r ? `refund ${r.id} (${r.status})` : 'a refund not recorded here';
  return new NotApplicableYet(
    r ? `refund:${r.id}` : `psp-refund:${rep.pspRefundId}`,
    `REFUND_${rep.status} claimed for ${what}: waiting for the PSP's own record of PSP refund ${rep.pspRefundId}`,
    async (ctx, markApplied) => {
      const rec = await readPspRecord(ctx, rep, r);
      // The PSP cannot be asked now, or holds no such refund: nothing moves; the event waits, in doubt.
      if (!rec) return false;
      await withTransaction(ctx, async (tx) => {
        await recordPspRefund(tx, rec, 'VERIFIED');
        const agreed = rec.status === rep.status;
        await markApplied(tx, `the PSP's record (version ${rec.version}) says ${rec.status}${agreed ? '' : `: the REFUND_${rep.status} claim was stale and changed nothing`}`);
      });
      return true;
    },
  );
}

/**
 * The PSP's record of one refund, by its id there (else by our key), from the adapter instance the
 * claim came from (else the one that took the payment); undefined when the PSP cannot be asked,
 * holds none or has not decided it.
 */
async function readPspRecord(ctx: RequestContext, rep: PspRefundReport, r: RefundEntity | null): Promise<PspRefund | undefined> {
  const { pspRefundId } = rep;
  const merchantTransactionId = r?.merchantTransactionId ?? rep.merchantTransactionId;
  const paymentId = r?.paymentId ?? rep.paymentId;
  const adapters = ctx.app.connectors.pspAdapters;
  try {
    const psp = (rep.pspAdapterId ? adapters.get(rep.pspAdapterId) : undefined) ?? (await adapters.forPayment(ctx, paymentId));
    const rec = await psp.getRefund(ctx, pspRefundId);
    if (rec || !merchantTransactionId) return rec ?? undefined;
    const found = await psp.lookupRefund(ctx, merchantTransactionId, paymentId);
    return found.state === 'recorded' ? found.record : undefined;
  } catch (err) {
    if (err instanceof UpstreamError) {
      ctx.log.warn({ pspRefundId, err: err.message }, 'the PSP cannot be asked for its refund record now');
      return undefined;
    }
    throw err;
  }
}

async function insertForeignRefund(tx: RequestContext, orderId: string, rep: PspRefundReport): Promise<RefundEntity> {
  const order = await readOrder(tx, orderId);
  const invoice = rep.invoiceNumber ? await readInvoice(tx, rep.invoiceNumber) : null;
  const mtid = rep.merchantTransactionId && rep.merchantTransactionId.length <= 64 ? rep.merchantTransactionId : `psp:${rep.pspRefundId}`;
  const now = tx.now;
  const row: RefundEntity = Object.assign(new RefundEntity(), {
    id: newId(),
    orderId,
    invoiceId: invoice && invoice.orderId === orderId && invoice.kind === InvoiceKind.INPUT ? invoice.id : null,
    paymentId: rep.paymentId,
    paymentMethodId: rep.paymentMethodId ?? null,
    kind: rep.paymentId ? RefundKind.LINKED : RefundKind.UNLINKED,
    origin: RefundOrigin.PSP,
    amountMinor: rep.amountMinor ?? 0n,
    currency: rep.currency || order.currency,
    // In flight until recordRefundOutcome applies what the PSP reports, so the effects are the same as for ours.
    status: initialStatus(RefundOrigin.PSP),
    merchantTransactionId: mtid,
    pspRefundId: null,
    reason: 'ISSUED_AT_PSP',
    errorCode: null,
    errorMessage: null,
    receipt: null,
    requestedBy: null,
    attempts: 0,
    pspRequest: null,
    leaseUntil: null,
    pspVersion: null,
    // Kept so the refund is allocated when that return invoice arrives here (allocatePspRefunds).
    pspInvoiceRef: rep.invoiceNumber && rep.invoiceNumber.length <= 64 ? rep.invoiceNumber : null,
    // The PSP's time of the refund; when moneygraph heard of it is updatedAt.
    createdAt: rep.occurredAt ?? now,
    updatedAt: now,
    submittedAt: null,
    completedAt: null,
  });
  await insertRefund(tx, row);
  return row;
}
