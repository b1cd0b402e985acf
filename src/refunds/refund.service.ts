/**
 * Refund execution, exactly once (DESIGN §3 "Refund lifecycle"):
 *   1. intent — lock the order, compute pending from the ledger, check every rule, insert the
 *      refund REQUESTED with a fresh merchantTransactionId, record the client's idempotency key;
 *   2. call — SUBMITTED, then the PSP with that key, outside any transaction;
 *   3. outcome — recordRefundOutcome, all or nothing.
 * Refunds of the order left in flight earlier are recovered (with their own keys) before the new
 * one is computed, and a replayed idempotency key answers with what the first request did.
 */
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { isOrderOnHold } from '../reconciliation/holds';
import { BusinessError, ErrorCode } from '../shared/errors';
import { faultPoint } from '../shared/fault-points';
import { newId } from '../shared/ids';
import type { CreateRefundRequest } from '../systems/psp/psp.connector';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { RefundEntity, RefundKind, RefundOrigin } from './entities/refund.entity';
import { computePendingRefunds } from './pending-refunds';
import { adoptPspRefunds } from './psp-adoption';
import { OrderLedger } from './order-ledger';
import { checkCredit, checkCurrency, checkInvoice, CustomerIdentifier, parseRefundAmount, planLinkedRefund } from './refund-rules';
import { leaseEnd, submitAndSettle } from './refund-execution';
import { requestHash } from './refund-outcome';
import { initialStatus, isInFlight } from './refund.state';
import { recoverRefund, recoverRefunds } from './recovery';
import {
  deleteExpiredKey, findIdempotencyKey, insertIdempotencyKey, insertRefund, loadRefund, LockedOrder, readLockedOrder, readOrderExists, readOrderLedger,
  readPaymentMethod,
} from './refund.store';

export interface RefundInvoiceInput {
  orderId: string;
  invoiceId: string;
  /** Decimal string in the order's currency; omitted → what is pending on the invoice. */
  amount?: string | null;
  currencyCode?: string | null;
  /** Pins the payment to refund; omitted → the first captured payment that can refund the amount. */
  paymentId?: string | null;
  reason: string;
  idempotencyKey: string;
}

export interface CreditPaymentMethodInput {
  orderId: string;
  paymentMethodId: string;
  amount?: string | null;
  currencyCode?: string | null;
  customer?: CustomerIdentifier | null;
  reason: string;
  idempotencyKey: string;
}

export interface RefundCommandResult {
  refund: RefundEntity | null;
  /** The order the payload shows (null when it is unknown). */
  orderId: string | null;
  userErrors: BusinessError[];
}

interface RefundPlan {
  kind: RefundKind;
  invoiceId: string | null;
  paymentId: string | null;
  paymentMethodId: string | null;
  amountMinor: bigint;
  request: Omit<CreateRefundRequest, 'merchantTransactionId' | 'currency'>;
}

interface RefundCommand {
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
class KeyTaken extends Error {}

/** The order has in-flight refunds no one is driving: recover them, then compute the new one. */
class RecoverFirst extends Error {}

export async function refundInvoice(ctx: RequestContext, input: RefundInvoiceInput, opts: { automated?: boolean } = {}): Promise<RefundCommandResult> {
  // What the PSP already refunded for the order counts, even where its webhook has not been applied.
  try {
    await adoptPspRefunds(ctx, input.orderId);
  } catch (err) {
    if (err instanceof BusinessError) return rejected(input.orderId, err);
    throw err;
  }
  return run(ctx, {
    operation: 'refundInvoice',
    key: input.idempotencyKey,
    orderId: input.orderId,
    invoiceId: input.invoiceId,
    automated: opts.automated ?? false,
    args: {
      orderId: input.orderId, invoiceId: input.invoiceId, amount: canonicalDecimal(input.amount), currencyCode: input.currencyCode ?? null,
      paymentId: input.paymentId ?? null, reason: input.reason,
    },
    plan: async (_tx, order, ledger) => planInvoiceRefund(order, ledger, input),
  });
}

export function creditPaymentMethod(ctx: RequestContext, input: CreditPaymentMethodInput): Promise<RefundCommandResult> {
  const customer = input.customer ? cleanCustomer(input.customer) : null;
  return run(ctx, {
    operation: 'creditPaymentMethod',
    key: input.idempotencyKey,
    orderId: input.orderId,
    invoiceId: null,
    automated: false,
    args: {
      orderId: input.orderId, paymentMethodId: input.paymentMethodId, amount: canonicalDecimal(input.amount), currencyCode: input.currencyCode ?? null,
      customer, reason: input.reason,
    },
    plan: (tx, order) => planCredit(tx, order, { ...input, customer }),
  });
}

async function run(ctx: RequestContext, cmd: RefundCommand): Promise<RefundCommandResult> {
  const hash = requestHash([cmd.operation, cmd.args]);
  for (let recovered = false; ; recovered = true) {
    let refund: RefundEntity;
    try {
      refund = await withTransaction(ctx, async (tx) => {
        const order = await readLockedOrder(tx, cmd.orderId);
        if (!order) throw new BusinessError(ErrorCode.ORDER_NOT_FOUND, `Order ${cmd.orderId} is unknown`, ['input', 'orderId']);
        const ledger = await readOrderLedger(tx, { orderId: order.id, key: cmd.key, invoiceId: cmd.invoiceId });
        // Requests with one key for one order queue on the order lock: the later ones see the key here.
        if (ledger.keyTaken) throw new KeyTaken();
        if (cmd.automated && ledger.onHold) {
          throw new BusinessError(ErrorCode.ORDER_ON_HOLD, 'The order is on hold: no automated refund', ['input', 'orderId']);
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
          requestedBy: tx.actor.subject.slice(0, 128),
          attempts: 0,
          pspRequest: JSON.stringify({ ...plan.request, amountMinor: plan.request.amountMinor?.toString() }),
          leaseUntil: leaseEnd(tx),
          createdAt: now,
          updatedAt: now,
          submittedAt: null,
          completedAt: null,
        });
        await insertRefund(tx, row);
        const keyed = await insertIdempotencyKey(tx, {
          key: cmd.key, operation: cmd.operation, requestHash: hash, orderId: order.id, refundId: row.id,
          createdAt: now, expiresAt: new Date(now.getTime() + tx.app.config.refunds.idempotencyTtlHours * 3_600_000),
        });
        if (!keyed) throw new KeyTaken();
        await writeAudit(tx, { operation: cmd.operation, args: { ...cmd.args, refundId: row.id }, orderId: order.id, outcome: row.status });
        await faultPoint(tx, 'refund.intent', tx);
        return row;
      });
    } catch (err) {
      if (err instanceof RecoverFirst) {
        await recoverRefunds(ctx, { orderId: cmd.orderId, automated: cmd.automated });
        continue;
      }
      if (err instanceof BusinessError) return rejected(err.code === ErrorCode.ORDER_NOT_FOUND ? null : cmd.orderId, err);
      if (err instanceof KeyTaken) {
        const row = await findIdempotencyKey(ctx, cmd.key);
        if (row) return replay(ctx, row, hash, cmd);
        return rejected(cmd.orderId, inUse());
      }
      throw err;
    }
    return { refund: await submitAndSettle(ctx, refund), orderId: cmd.orderId, userErrors: [] };
  }
}

/** The same key again: the same arguments get the first request's refund, others an error. */
async function replay(ctx: RequestContext, row: IdempotencyKeyEntity, hash: string, cmd: RefundCommand): Promise<RefundCommandResult> {
  if (row.expiresAt < ctx.now) {
    await deleteExpiredKey(ctx, row.key, ctx.now);
    return run(ctx, cmd);
  }
  if (row.requestHash !== hash) {
    return rejected(cmd.orderId, new BusinessError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for a different request', ['input', 'idempotencyKey']));
  }
  let refund = await loadRefund(ctx, row.refundId);
  if (refund && isInFlight(refund.status)) {
    // The first request died or gave up before the outcome: finish its refund, with its key.
    if (cmd.automated && (await isOrderOnHold(ctx, refund.orderId))) {
      return rejected(row.orderId, new BusinessError(ErrorCode.ORDER_ON_HOLD, 'The order is on hold: no automated refund', ['input', 'orderId']));
    }
    const recovered = await recoverRefund(ctx, refund.id, { automated: cmd.automated });
    if (!recovered) return rejected(row.orderId, inUse());
    refund = recovered;
  }
  return { refund, orderId: row.orderId, userErrors: [] };
}

function planInvoiceRefund(order: LockedOrder, ledger: OrderLedger, input: RefundInvoiceInput): RefundPlan {
  checkCurrency(input.currencyCode, order.currency);
  const requested = parseRefundAmount(input.amount, order.currency);
  const invoice = ledger.invoice;
  checkInvoice(invoice, input.invoiceId, order.id);
  const { refunds, payments, captures } = ledger;
  // The rules read the ledger only; invoiceData's copies matter to the drift report, not here.
  const pending = computePendingRefunds({ invoices: [invoice!], refunds, invoiceData: [], payments, captures });
  const inv = pending.invoices[0];
  const plan = planLinkedRefund({
    currency: order.currency,
    requestedMinor: requested,
    pendingMinor: inv.pendingMinor,
    inFlightMinor: inv.inFlightMinor,
    paymentId: input.paymentId,
    payments: payments.map((p) => {
      const x = pending.payments.find((y) => y.paymentId === p.id)!;
      return {
        id: p.id, status: p.status, disputed: p.disputed, methodStatus: p.paymentMethodStatus, currency: p.currency,
        capturedMinor: x.capturedMinor, refundedMinor: x.refundedMinor, refundableMinor: x.refundableMinor,
      };
    }),
  });
  const payment = payments.find((p) => p.id === plan.paymentId)!;
  return {
    kind: RefundKind.LINKED,
    invoiceId: invoice!.id,
    paymentId: payment.id,
    paymentMethodId: payment.paymentMethodId,
    amountMinor: plan.amountMinor,
    request: { paymentId: payment.id, amountMinor: plan.amountMinor, reason: input.reason, metadata: { orderId: order.id, invoiceNumber: invoice!.id } },
  };
}

async function planCredit(tx: RequestContext, order: LockedOrder, input: CreditPaymentMethodInput): Promise<RefundPlan> {
  checkCurrency(input.currencyCode, order.currency);
  const amount = parseRefundAmount(input.amount, order.currency);
  // The method as the PSP last reported it on a payment; the order's own payments first.
  const m = await readPaymentMethod(tx, input.paymentMethodId, order.id);
  const amountMinor = checkCredit({
    amountMinor: amount,
    currency: order.currency,
    customer: input.customer,
    method: m ? { id: input.paymentMethodId, kind: m.kind, status: m.status } : null,
    paymentMethodId: input.paymentMethodId,
    creditLimitMinor: tx.app.config.refunds.creditLimitMinor,
  });
  const c = input.customer!;
  return {
    kind: RefundKind.UNLINKED,
    invoiceId: null,
    paymentId: null,
    paymentMethodId: input.paymentMethodId,
    amountMinor,
    request: {
      paymentMethodId: input.paymentMethodId,
      amountMinor,
      reason: input.reason,
      customer: { ...(c.hsid ? { hsid: c.hsid } : {}), ...(c.enterpriseId ? { enterpriseId: c.enterpriseId } : {}), ...(c.metadata ? { metadata: c.metadata } : {}) },
      metadata: { orderId: order.id },
    },
  };
}

function cleanCustomer(c: CustomerIdentifier): CustomerIdentifier {
  const meta = c.metadata && Object.keys(c.metadata).length ? Object.fromEntries(Object.entries(c.metadata).sort(([a], [b]) => a.localeCompare(b))) : null;
  return { hsid: c.hsid?.trim() || null, enterpriseId: c.enterpriseId?.trim() || null, metadata: meta };
}

/** "10.50" and "10.5" are one request; the amount's validity is checked later, against the currency. */
function canonicalDecimal(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const m = /^(-?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(v.trim());
  if (!m) return v.trim();
  const whole = m[2] || '0';
  return `${m[1]}${whole}${m[3] ? `.${m[3]}` : ''}`;
}

const inUse = () => new BusinessError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this idempotency key is still running; retry shortly', ['input', 'idempotencyKey']);

function rejected(orderId: string | null, e: BusinessError): RefundCommandResult {
  return { refund: null, orderId, userErrors: [e] };
}

/** recoverRefunds as an admin asks for it: every stale refund, or those of one (known) order. */
export async function recoverRefundsCommand(ctx: RequestContext, input: { orderId?: string | null }): Promise<{ recovered: RefundEntity[]; userErrors: BusinessError[] }> {
  const orderId = input.orderId ?? undefined;
  if (orderId && !(await readOrderExists(ctx, orderId))) {
    return { recovered: [], userErrors: [new BusinessError(ErrorCode.ORDER_NOT_FOUND, `Order ${orderId} is unknown`, ['input', 'orderId'])] };
  }
  const recovered = await recoverRefunds(ctx, { orderId });
  // Each outcome is audited in its own transaction; this row records who asked.
  await writeAudit(ctx, {
    operation: 'recoverRefunds',
    args: { orderId: orderId ?? null, refunds: recovered.map((r) => ({ id: r.id, status: r.status })) },
    orderId: orderId ?? null,
    outcome: `RECOVERED:${recovered.length}`,
  });
  return { recovered, userErrors: [] };
}
