import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, toMoney } from '../../graphql/money.type';
import { RefundEntity, RefundKind, RefundOrigin, RefundStatus } from '../entities';
import { PendingAction, PendingRefunds as PendingRefundsModel } from '../pending-refunds';

registerEnumType(RefundStatus, { name: 'RefundStatus', description: 'REQUESTED → SUBMITTED → SUCCEEDED | FAILED' });
registerEnumType(RefundKind, { name: 'RefundKind' });
registerEnumType(RefundOrigin, { name: 'RefundOrigin' });
registerEnumType(PendingAction, { name: 'PendingRefundAction' });

@ObjectType()
@Directive('@key(fields: "id")')
export class Refund {
  @Field(() => ID) id: string;
  @Field(() => ID) orderId: string;
  @Field(() => ID, { nullable: true, description: 'The INPUT invoice this refund is allocated to.' }) invoiceId: string | null;
  @Field(() => ID, { nullable: true }) paymentId: string | null;
  @Field(() => ID, { nullable: true }) paymentMethodId: string | null;
  @Field(() => RefundKind) kind: RefundKind;
  @Field(() => RefundOrigin) origin: RefundOrigin;
  @Field(() => Money) amount: Money;
  @Field(() => RefundStatus) status: RefundStatus;
  @Field({ description: 'The idempotency key sent to the PSP; never changes across retries.' }) merchantTransactionId: string;
  @Field(() => String, { nullable: true }) pspRefundId: string | null;
  @Field() reason: string;
  @Field(() => String, { nullable: true, description: 'Canonical error code when FAILED.' }) errorCode: string | null;
  @Field(() => String, { nullable: true }) errorMessage: string | null;
  @Field(() => String, { nullable: true, description: "The PSP's answer, verbatim (JSON)." }) receipt: string | null;
  @Field(() => String, { nullable: true }) requestedBy: string | null;
  @Field(() => Int, { description: 'PSP calls made with merchantTransactionId (all with that same key).' }) attempts: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) completedAt: Date | null;
}

export function toRefund(e: RefundEntity): Refund {
  return Object.assign(new Refund(), {
    id: e.id,
    orderId: e.orderId,
    invoiceId: e.invoiceId,
    paymentId: e.paymentId,
    paymentMethodId: e.paymentMethodId,
    kind: e.kind,
    origin: e.origin,
    amount: toMoney(e.amountMinor, e.currency),
    status: e.status,
    merchantTransactionId: e.merchantTransactionId,
    pspRefundId: e.pspRefundId,
    reason: e.reason,
    errorCode: e.errorCode,
    errorMessage: e.errorMessage,
    receipt: e.receipt,
    requestedBy: e.requestedBy,
    attempts: e.attempts,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    submittedAt: e.submittedAt,
    completedAt: e.completedAt,
  });
}

@ObjectType({ description: 'The pending-refund calculation for one INPUT invoice, every term visible.' })
class InvoicePendingRefund {
  @Field(() => ID) invoiceId: string;
  @Field(() => Money, { description: 'The return invoice amount.' }) amount: Money;
  @Field(() => Money, { description: 'Refunds allocated to it that SUCCEEDED (from the refund ledger).' }) succeeded: Money;
  @Field(() => Money, { description: 'Refunds allocated to it still REQUESTED or SUBMITTED.' }) inFlight: Money;
  @Field(() => Money, { description: 'What moneygraph will still refund: amount − succeeded − inFlight (never below zero); 0 when the OMS refunds return invoices by itself.' })
  pending: Money;
  @Field(() => [ID], { description: 'The succeeded refunds counted.' }) refundIds: string[];
  @Field(() => Money, { nullable: true, description: "What moneygraph's invoiceData says was refunded." }) invoiceDataRefunded: Money | null;
  @Field(() => Money, { nullable: true, description: "What the OMS's invoiceData says was refunded (null: not reported)." }) omsInvoiceDataRefunded: Money | null;
  @Field({ description: "moneygraph's invoiceData disagrees with the ledger." }) drift: boolean;
  @Field({ description: "The OMS's invoiceData disagrees with the ledger." }) omsDrift: boolean;
  @Field(() => Money, {
    nullable: true,
    description:
      'For an OMS that refunds return invoices by itself (VTEX): what it has not refunded yet, raised as INPUT_INVOICE_NOT_REFUNDED after the grace period and never paid by moneygraph (null for any other OMS).',
  })
  unrefundedByOms: Money | null;
  @Field(() => PendingAction) nextAction: PendingAction;
}

@ObjectType()
class PaymentRefundable {
  @Field(() => ID) paymentId: string;
  @Field(() => Money) captured: Money;
  @Field(() => Money) refunded: Money;
  @Field(() => Money) inFlight: Money;
  @Field(() => Money, { description: 'captured − refunded − inFlight.' }) refundable: Money;
  @Field({ description: 'Captured, not disputed, something left.' }) refundableNow: boolean;
}

@ObjectType({ description: 'The pending-refund calculation of an order.' })
export class PendingRefunds {
  @Field(() => ID) orderId: string;
  @Field(() => [InvoicePendingRefund]) invoices: InvoicePendingRefund[];
  @Field(() => Money) totalPending: Money;
  @Field(() => Money) totalSucceeded: Money;
  @Field(() => Money) totalInFlight: Money;
  @Field(() => [PaymentRefundable]) payments: PaymentRefundable[];
  @Field(() => Money, { description: 'What the payments that can be refunded now still hold.' }) refundable: Money;
  @Field({ description: 'Any invoiceData copy disagrees with the ledger.' }) drift: boolean;
  @Field(() => PendingAction) nextAction: PendingAction;
}

export function toPendingRefunds(orderId: string, currency: string, p: PendingRefundsModel): PendingRefunds {
  const m = (v: bigint) => toMoney(v, currency);
  return Object.assign(new PendingRefunds(), {
    orderId,
    invoices: p.invoices.map((i) =>
      Object.assign(new InvoicePendingRefund(), {
        invoiceId: i.invoiceId,
        amount: m(i.amountMinor),
        succeeded: m(i.succeededMinor),
        inFlight: m(i.inFlightMinor),
        pending: m(i.pendingMinor),
        refundIds: i.refundIds,
        invoiceDataRefunded: i.invoiceDataRefundedMinor === null ? null : m(i.invoiceDataRefundedMinor),
        omsInvoiceDataRefunded: i.omsInvoiceDataRefundedMinor === null ? null : m(i.omsInvoiceDataRefundedMinor),
        drift: i.drift,
        omsDrift: i.omsDrift,
        unrefundedByOms: i.unrefundedByOmsMinor === null ? null : m(i.unrefundedByOmsMinor),
        nextAction: i.nextAction,
      }),
    ),
    totalPending: m(p.totalPendingMinor),
    totalSucceeded: m(p.totalSucceededMinor),
    totalInFlight: m(p.totalInFlightMinor),
    payments: p.payments.map((x) =>
      Object.assign(new PaymentRefundable(), {
        paymentId: x.paymentId,
        captured: toMoney(x.capturedMinor, x.currency),
        refunded: toMoney(x.refundedMinor, x.currency),
        inFlight: toMoney(x.inFlightMinor, x.currency),
        refundable: toMoney(x.refundableMinor, x.currency),
        refundableNow: x.refundableNow,
      }),
    ),
    refundable: m(p.refundableMinor),
    drift: p.drift,
    nextAction: p.nextAction,
  });
}
