/**
 * Refund execution, exactly once (DESIGN §3 "Refund lifecycle"):
 *   1. intent — lock the order, compute pending from the ledger, check every rule, insert the
 *      refund REQUESTED with a fresh merchantTransactionId, record the client's idempotency key
 *      (refund-intent.ts, planned by refund-plans.ts);
 *   2. call — SUBMITTED, then the PSP with that key, outside any transaction;
 *   3. outcome — recordRefundOutcome, all or nothing (refund-execution.ts).
 * Refunds of the order left in flight earlier are recovered (with their own keys) before the new
 * one is computed, and a replayed idempotency key answers with what the first request did
 * (refund-idempotency.ts).
 */
import { RequestContext } from '../db/context';
import { writeAudit } from '../audit';
import { BusinessError, ErrorCode } from '../shared/errors';
import { RefundEntity } from './entities/refund.entity';
import { adoptPspRefunds } from './psp-adoption';
import { submitAndSettle } from './refund-execution';
import { canonicalDecimal, cleanCustomer, inUse, replay, requestHash } from './refund-idempotency';
import { KeyTaken, RecoverFirst, recordIntent, RefundCommand, rejected } from './refund-intent';
import { planCredit, planInvoiceRefund } from './refund-plans';
import { recoverRefunds } from './recovery';
import { findIdempotencyKey, readOrderExists } from './refund.store';

export type { RefundInvoiceInput, CreditPaymentMethodInput, RefundCommandResult } from './refund-command.types';
import type { RefundInvoiceInput, CreditPaymentMethodInput, RefundCommandResult } from './refund-command.types';

export async function refundInvoice(ctx: RequestContext, input: RefundInvoiceInput, opts: { automated?: boolean } = {}): Promise<RefundCommandResult> {
  // An OMS that refunds return invoices by itself (VTEX) has already paid, or will: a refund here would pay twice.
  const refused = await refusedForOmsThatRefunds(
    ctx,
    'refundInvoice',
    input.orderId,
    { orderId: input.orderId, invoiceId: input.invoiceId },
    ['input', 'invoiceId'],
    `invoice ${input.invoiceId}`,
  );
  if (refused) return refused;
  // What the PSP already refunded for the order counts, even where its webhook has not been applied.
  try {
    await adoptPspRefunds(ctx, input.orderId, input.invoiceId);
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
      orderId: input.orderId,
      invoiceId: input.invoiceId,
      amount: canonicalDecimal(input.amount),
      currencyCode: input.currencyCode ?? null,
      paymentId: input.paymentId ?? null,
      reason: input.reason,
    },
    plan: async (_tx, order, ledger) => planInvoiceRefund(order, ledger, input),
  });
}

export async function creditPaymentMethod(ctx: RequestContext, input: CreditPaymentMethodInput): Promise<RefundCommandResult> {
  // Money moneygraph sends for an order of an OMS that refunds by itself is money nobody reconciles against its refunds.
  const refused = await refusedForOmsThatRefunds(
    ctx,
    'creditPaymentMethod',
    input.orderId,
    { orderId: input.orderId, paymentMethodId: input.paymentMethodId, amount: canonicalDecimal(input.amount) },
    ['input', 'orderId'],
    `a credit to payment method ${input.paymentMethodId} for order ${input.orderId}`,
  );
  if (refused) return refused;
  const customer = input.customer ? cleanCustomer(input.customer) : null;
  return run(ctx, {
    operation: 'creditPaymentMethod',
    key: input.idempotencyKey,
    orderId: input.orderId,
    invoiceId: null,
    automated: false,
    args: {
      orderId: input.orderId,
      paymentMethodId: input.paymentMethodId,
      amount: canonicalDecimal(input.amount),
      currencyCode: input.currencyCode ?? null,
      customer,
      reason: input.reason,
    },
    plan: (tx, order) => planCredit(tx, order, { ...input, customer }),
  });
}

/**
 * With an OMS that refunds return invoices by itself (capability refundsReturnInvoicesItself), moneygraph
 * moves no money for its orders: the request is refused with OMS_REFUNDS_ITSELF, audited, and changes nothing.
 */
async function refusedForOmsThatRefunds(
  ctx: RequestContext,
  operation: 'refundInvoice' | 'creditPaymentMethod',
  orderId: string,
  args: Record<string, unknown>,
  field: string[],
  what: string,
): Promise<RefundCommandResult | null> {
  const oms = ctx.app.connectors.oms;
  if (!oms.capabilities.refundsReturnInvoicesItself) return null;
  await writeAudit(ctx, { operation, args, orderId, outcome: `REJECTED:${ErrorCode.OMS_REFUNDS_ITSELF}` });
  return rejected(
    orderId,
    new BusinessError(
      ErrorCode.OMS_REFUNDS_ITSELF,
      `The OMS (${oms.kind}) refunds return invoices by itself: moneygraph does not refund ${what}; a return it did not refund is raised as an exception to reconcile`,
      field,
    ),
  );
}

async function run(ctx: RequestContext, cmd: RefundCommand): Promise<RefundCommandResult> {
  const hash = requestHash([cmd.operation, cmd.args]);
  for (let recovered = false; ; recovered = true) {
    let refund: RefundEntity;
    try {
      refund = await recordIntent(ctx, cmd, hash, recovered);
    } catch (err) {
      if (err instanceof RecoverFirst) {
        await recoverRefunds(ctx, { orderId: cmd.orderId, automated: cmd.automated });
        continue;
      }
      if (err instanceof BusinessError) return rejected(err.code === ErrorCode.ORDER_NOT_FOUND ? null : cmd.orderId, err);
      if (err instanceof KeyTaken) {
        const row = await findIdempotencyKey(ctx, cmd.key);
        // A key that had expired is forgotten by replay: the request then runs anew.
        if (row) return (await replay(ctx, row, hash, cmd)) ?? run(ctx, cmd);
        return rejected(cmd.orderId, inUse());
      }
      throw err;
    }
    return { refund: await submitAndSettle(ctx, refund), orderId: cmd.orderId, userErrors: [] };
  }
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
