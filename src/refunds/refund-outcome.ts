/**
 * recordRefundOutcome: the one function through which every refund outcome is recorded — the
 * PSP's synchronous answer, its webhooks, recovery and syncOrder. Inside the caller's transaction
 * (which has locked the order), all or nothing: the refund, moneygraph's invoiceData recomputed
 * from the ledger, the "Refund Payment" interaction, the outbox messages (ERP posting keyed by the
 * PSP refund id, OMS interaction, OMS invoiceData) and the audit row.
 */
import { AppServices, RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { byTimeThenId } from '../db/entity-rows';
import { writeAudit } from '../audit';
import { enqueueMany, OutboxItem } from '../outbox';
import { ErrorCode } from '../shared/errors';
import { faultPoint } from '../shared/fault-points';
import { newId } from '../shared/ids';
import { formatMinor } from '../shared/money';
import { addInteraction, writeInvoiceData } from '../systems/oms/oms.webhooks';
import { InvoiceKind } from '../systems/oms/entities';
import { UpstreamError } from '../shared/http-client';
import { connectorsOf } from '../systems/connectors';
import type { PspRefundRecord } from '../systems/psp/psp.connector';
import { NotApplicableYet } from '../webhooks/not-applicable-yet';
import { RefundEntity, RefundKind, RefundOrigin, RefundStatus } from './entities/refund.entity';
import { jsonText } from './refund-json';
import { initialStatus, nextStatus, outcomeEvent, transition } from './refund.state';
import {
  allocateToInvoice, findRefundByPspKeys, insertRefund, lockRefundForOutcome, pspRefundsAwaitingInvoice, readInvoice, readOrder, readOrderOfPayment,
  readOutboxMessageExists, succeededRefundsOfInvoice, SucceededRow, writeOutcome,
} from './refund.store';

/**
 * Where an outcome comes from. PSP_WEBHOOK is a claim: it may move a refund forward out of flight
 * (to SUCCEEDED), never backwards — a reported failure or reversal waits for the PSP's record
 * (VERIFIED). RECOVERY, SYNC and VERIFIED apply the PSP's record as read back from it.
 */
export type OutcomeSource = 'PSP_ANSWER' | 'PSP_WEBHOOK' | 'RECOVERY' | 'SYNC' | 'VERIFIED';

export interface RefundOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  /**
   * The outcome is the PSP's own record of the refund, read back from it (or its synchronous
   * success answer, version 1). Only such a record can turn a refund that had succeeded into a
   * failed one, or one recorded as failed into a succeeded one; a webhook or a rejection never can.
   */
  fromPspRecord: boolean;
  /** The record's version at the PSP, when known: an older record than the one applied changes nothing. */
  version?: bigint | null;
  /** When the PSP says the refund happened (its own timestamp); the time moneygraph heard of it is kept beside it. */
  occurredAt?: Date | null;
  source: OutcomeSource;
  pspRefundId?: string | null;
  amountMinor?: bigint | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The PSP's answer or event, kept verbatim as the receipt. */
  receipt?: unknown;
}

/** What the PSP reports about one refund (a normalised webhook or a record read back). */
export interface PspRefundReport {
  pspRefundId: string;
  merchantTransactionId: string | null;
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  amountMinor: bigint | null;
  currency: string | null;
  paymentId: string | null;
  paymentMethodId?: string | null;
  orderId?: string | null;
  invoiceNumber?: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The record's version at the PSP (records read back carry one; webhooks do not). */
  version?: bigint | null;
  /** The refund's own time at the PSP. */
  occurredAt?: Date | null;
  raw: unknown;
}

const FAULT = 'refunds.outcomeFault';
export type OutcomeFault = (tx: RequestContext, refund: RefundEntity) => void | Promise<void>;

/**
 * Tests only: a function run inside the outcome transaction after every write of it, to stand for
 * a storage error in the middle of that transaction (seed 000). Pass undefined to remove it.
 */
export function setOutcomeFault(app: AppServices, fault: OutcomeFault | undefined): void {
  if (fault) app.registry.set(FAULT, fault);
  else app.registry.delete(FAULT);
}

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
    r.errorMessage = (o.errorMessage ?? (o.status === 'REVERSED' ? 'The PSP reversed this refund' : null))?.slice(0, 512) ?? null;
    r.receipt = r.receipt ?? jsonText(o.receipt);
  }
  // The client's idempotency key is done with the refund, whatever the outcome (one statement for both).
  await writeOutcome(tx, r);

  // Only a change of what SUCCEEDED moves money: invoiceData, the timeline and the books follow it.
  if (next === RefundStatus.SUCCEEDED || before === RefundStatus.SUCCEEDED) {
    const items: OutboxItem[] = [];
    if (r.invoiceId) {
      await refreshInvoiceData(tx, r, locked.invoiceSucceeded);
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
  await writeAudit(tx, {
    operation: 'refund.outcome',
    args: { refundId: r.id, source: o.source, pspRefundId: r.pspRefundId, from: before, errorCode: r.errorCode },
    orderId: r.orderId,
    outcome: r.errorCode ? `${next}:${r.errorCode}` : next,
  });
  const fault = tx.app.registry.get(FAULT) as OutcomeFault | undefined;
  if (fault) await fault(tx, r);
  await faultPoint(tx, 'refund.outcome', tx);
  return { refund: r, changed: true };
}

/**
 * A return invoice just recorded (inside its transaction): PSP refunds made for it before it was
 * known here are allocated to it, and moneygraph's invoiceData for it is set from the ledger, so the
 * invoice is covered by them before anything computes what it still demands.
 */
export async function allocatePspRefunds(tx: RequestContext, orderId: string, invoiceId: string): Promise<void> {
  const waiting = await pspRefundsAwaitingInvoice(tx, orderId, invoiceId);
  if (waiting.length === 0) return;
  await lockOrder(tx, orderId);
  await allocateToInvoice(tx, invoiceId, waiting);
  const succeeded = await succeededRefundsOfInvoice(tx, invoiceId, orderId);
  if (succeeded.length === 0) return;
  await writeInvoiceData(tx, orderId, invoiceId, succeeded.reduce((s, x) => s + x.amountMinor, 0n), succeeded.map((x) => x.id));
  await enqueueMany(tx, [{ topic: 'oms.invoiceData', dedupeKey: `oms.invoiceData:${invoiceId}:allocated`, orderId, payload: { orderId } }]);
}

/**
 * moneygraph's invoiceData for the refund's invoice, set from the ledger (never incremented): the
 * invoice's other SUCCEEDED refunds, read under the lock, and this one if it SUCCEEDED now.
 */
async function refreshInvoiceData(tx: RequestContext, r: RefundEntity, others: SucceededRow[]): Promise<void> {
  const rows = others.map((x) => ({ id: x.id, amountMinor: BigInt(x.amountMinor), at: x.at }));
  if (r.status === RefundStatus.SUCCEEDED) rows.push({ id: r.id, amountMinor: r.amountMinor, at: sqlTime(r.createdAt) });
  rows.sort(byTimeThenId);
  await writeInvoiceData(tx, r.orderId, r.invoiceId!, rows.reduce((s, x) => s + x.amountMinor, 0n), rows.map((x) => x.id));
}

/** DATE_FORMAT(t, '%Y-%m-%d %H:%i:%s.%f') of a UTC time with milliseconds. */
const sqlTime = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}000`;

function interactionOf(r: RefundEntity, succeeded: boolean) {
  const amount = `${formatMinor(r.amountMinor, r.currency)} ${r.currency}`;
  const target = r.invoiceId ? `invoice ${r.invoiceId}` : r.paymentMethodId ? `payment method ${r.paymentMethodId}` : 'the order';
  return succeeded
    ? { id: `refund-payment:${r.id}`, orderId: r.orderId, kind: 'Refund Payment', message: `Refunded ${amount} for ${target} (refund ${r.id}, PSP ${r.pspRefundId ?? '-'})`, refundId: r.id }
    : {
        id: `refund-reversed:${r.id}`, orderId: r.orderId, kind: 'Refund Reversed',
        message: `The PSP reports the refund of ${amount} for ${target} as ${r.errorCode === ErrorCode.REFUND_REVERSED ? 'reversed' : 'failed'} (refund ${r.id})`,
        refundId: r.id,
      };
}

function posting(r: RefundEntity, externalRef: string, amountMinor: bigint) {
  return {
    kind: 'REFUND', externalRef, orderId: r.orderId, amountMinor: amountMinor.toString(), currency: r.currency,
    reasonCode: r.kind === RefundKind.UNLINKED ? 'REFUND_CREDIT' : 'REFUND_RETURN',
  };
}

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
      throw new NotApplicableYet(what, `PSP refund ${rep.pspRefundId} is for ${orderId ? `order ${orderId}` : rep.paymentId ? `payment ${rep.paymentId}` : 'no order or payment'}, not known here yet: applied when it arrives`);
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
      const rec = await readPspRecord(ctx, rep.pspRefundId, r?.merchantTransactionId ?? rep.merchantTransactionId);
      // The PSP cannot be asked now, or holds no such refund: nothing moves; the event waits, in doubt.
      if (!rec) return false;
      await withTransaction(ctx, async (tx) => {
        await recordPspRefund(tx, reportOfRecord(rec), 'VERIFIED');
        const agreed = rec.status === rep.status;
        await markApplied(tx, `the PSP's record (version ${rec.version ?? 1n}) says ${rec.status}${agreed ? '' : `: the REFUND_${rep.status} claim was stale and changed nothing`}`);
      });
      return true;
    },
  );
}

/** The PSP's record of one refund, by its id there (else by our key); undefined when the PSP cannot be asked or holds none. */
async function readPspRecord(ctx: RequestContext, pspRefundId: string, merchantTransactionId: string | null): Promise<PspRefundRecord | undefined> {
  const psp = connectorsOf(ctx.app).psp;
  try {
    return (await psp.getRefund(ctx, pspRefundId)) ?? (merchantTransactionId ? ((await psp.findRefund(ctx, merchantTransactionId)) ?? undefined) : undefined);
  } catch (err) {
    if (err instanceof UpstreamError) {
      ctx.log.warn({ pspRefundId, err: err.message }, 'the PSP cannot be asked for its refund record now');
      return undefined;
    }
    throw err;
  }
}

/** A refund record read back from the PSP, as a report to apply. */
export function reportOfRecord(rec: PspRefundRecord): PspRefundReport {
  return {
    pspRefundId: rec.pspRefundId,
    merchantTransactionId: rec.merchantTransactionId,
    status: rec.status,
    amountMinor: rec.status === 'FAILED' ? null : rec.amountMinor,
    currency: rec.currency || null,
    paymentId: rec.paymentId,
    paymentMethodId: rec.paymentMethodId,
    orderId: rec.orderId ?? null,
    invoiceNumber: rec.invoiceNumber ?? null,
    errorCode: rec.errorCode,
    errorMessage: rec.errorMessage,
    version: rec.version ?? 1n,
    occurredAt: rec.createdAt ?? null,
    raw: rec.raw,
  };
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

/** Kept here for the callers that import it from the outcome. */
export { requestHash } from './refund-json';
