/**
 * Refund planning, under the order lock: which payment (or payment method) a refund goes to, for
 * how much, and the PSP request it will send. The rules read the ledger only; the first that fails
 * throws its BusinessError before anything is written.
 */
import { RequestContext } from '../db/context';
import type { CreateRefundRequest } from '../systems/psp';
import { RefundKind } from './entities/refund.entity';
import type { OrderLedger } from './order-ledger';
import { computePendingRefunds } from './pending-refunds';
import { checkCredit, checkCurrency, checkInvoice, parseRefundAmount, planLinkedRefund } from './refund-rules';
import type { CreditPaymentMethodInput, RefundInvoiceInput } from './refund-command.types';
import { LockedOrder, readPaymentMethod } from './refund.store';

export interface RefundPlan {
  kind: RefundKind;
  invoiceId: string | null;
  paymentId: string | null;
  paymentMethodId: string | null;
  amountMinor: bigint;
  request: Omit<CreateRefundRequest, 'merchantTransactionId' | 'currency'>;
}

export function planInvoiceRefund(order: LockedOrder, ledger: OrderLedger, input: RefundInvoiceInput): RefundPlan {
  checkCurrency(input.currencyCode, order.currency);
  const requested = parseRefundAmount(input.amount, order.currency);
  const invoice = ledger.invoice;
  checkInvoice(invoice, input.invoiceId, order.id);
  const { refunds, payments, captures } = ledger;
  // The rules read the ledger only; invoiceData's copies matter to the drift report, not here.
  const pending = computePendingRefunds({ invoices: [invoice!], refunds, invoiceData: [], payments, captures });
  const inv = pending.invoices[0]!; // checkInvoice above: one INPUT invoice in, one out
  const plan = planLinkedRefund({
    currency: order.currency,
    requestedMinor: requested,
    pendingMinor: inv.pendingMinor,
    inFlightMinor: inv.inFlightMinor,
    paymentId: input.paymentId,
    payments: payments.map((p) => {
      const x = pending.payments.find((y) => y.paymentId === p.id)!;
      return {
        id: p.id,
        status: p.status,
        disputed: p.disputed,
        methodStatus: p.paymentMethodStatus,
        currency: p.currency,
        capturedMinor: x.capturedMinor,
        refundedMinor: x.refundedMinor,
        refundableMinor: x.refundableMinor,
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

export async function planCredit(tx: RequestContext, order: LockedOrder, input: CreditPaymentMethodInput): Promise<RefundPlan> {
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
