/**
 * The pending-refund calculation (pure). It reads the refund ledger, never a cached counter:
 *   pending = invoice.amount − Σ SUCCEEDED refunds allocated to it − Σ in-flight (REQUESTED, SUBMITTED)
 * (0 where the OMS refunds return invoices by itself: what it has not refunded is `unrefundedByOms`,
 * an exception to reconcile, never a refund moneygraph makes)
 * and reports what each invoiceData copy says next to it, flagging any disagreement (drift).
 */
import { RefundStatus } from './entities/refund.entity';
import { isInFlight } from './refund.state';

export interface PendingInvoiceIn {
  id: string;
  kind: 'INPUT' | 'OUTPUT';
  amountMinor: bigint;
  currency: string;
}
export interface PendingRefundIn {
  id: string;
  invoiceId: string | null;
  paymentId: string | null;
  status: RefundStatus;
  amountMinor: bigint;
}
export interface PendingInvoiceDataIn {
  invoiceId: string;
  copy: 'MONEYGRAPH' | 'OMS';
  refundedMinor: bigint;
  refundIds: string[];
}
export interface PendingPaymentIn {
  id: string;
  status: string;
  disputed: boolean;
  currency: string;
}
export interface PendingCaptureIn {
  paymentId: string;
  amountMinor: bigint;
}

export enum PendingAction {
  NONE = 'NONE',
  REFUND = 'REFUND',
  /** A refund is in flight; its outcome decides what remains. */
  AWAIT_IN_FLIGHT = 'AWAIT_IN_FLIGHT',
  /** Pending exceeds what the captured payments can still refund. */
  INSUFFICIENT_REFUNDABLE = 'INSUFFICIENT_REFUNDABLE',
  /** The payment is authorized only: capture first or cancel. */
  CAPTURE_FIRST = 'CAPTURE_FIRST',
  /** An invoiceData copy disagrees with the ledger. */
  RESOLVE_DRIFT = 'RESOLVE_DRIFT',
  /**
   * The OMS refunds return invoices by itself (VTEX): moneygraph pays none of it. What the OMS has
   * not refunded (`unrefundedByOms`) is raised as INPUT_INVOICE_NOT_REFUNDED once its grace is over.
   */
  OMS_REFUNDS_ITSELF = 'OMS_REFUNDS_ITSELF',
}

export interface InvoicePending {
  invoiceId: string;
  currency: string;
  amountMinor: bigint;
  succeededMinor: bigint;
  inFlightMinor: bigint;
  pendingMinor: bigint;
  refundIds: string[];
  invoiceDataRefundedMinor: bigint | null;
  omsInvoiceDataRefundedMinor: bigint | null;
  drift: boolean;
  omsDrift: boolean;
  /** Only for an OMS that refunds return invoices itself: what it has not refunded yet (else null). */
  unrefundedByOmsMinor: bigint | null;
  nextAction: PendingAction;
}

export interface PaymentRefundable {
  paymentId: string;
  currency: string;
  capturedMinor: bigint;
  refundedMinor: bigint;
  inFlightMinor: bigint;
  refundableMinor: bigint;
  refundableNow: boolean;
}

export interface PendingRefunds {
  invoices: InvoicePending[];
  totalPendingMinor: bigint;
  totalSucceededMinor: bigint;
  totalInFlightMinor: bigint;
  payments: PaymentRefundable[];
  refundableMinor: bigint;
  drift: boolean;
  nextAction: PendingAction;
}

export function computePendingRefunds(input: {
  invoices: PendingInvoiceIn[];
  refunds: PendingRefundIn[];
  invoiceData: PendingInvoiceDataIn[];
  payments: PendingPaymentIn[];
  captures: PendingCaptureIn[];
  /** The OMS refunds return invoices by itself (its capability): nothing of them is a refund moneygraph makes. */
  omsRefundsItself?: boolean;
}): PendingRefunds {
  const payments = input.payments.map((p): PaymentRefundable => {
    const captured = sum(input.captures.filter((c) => c.paymentId === p.id).map((c) => c.amountMinor));
    const mine = input.refunds.filter((r) => r.paymentId === p.id);
    const refunded = sum(mine.filter((r) => r.status === RefundStatus.SUCCEEDED).map((r) => r.amountMinor));
    const inFlight = sum(mine.filter((r) => isInFlight(r.status)).map((r) => r.amountMinor));
    const left = captured - refunded - inFlight;
    return {
      paymentId: p.id,
      currency: p.currency,
      capturedMinor: captured,
      refundedMinor: refunded,
      inFlightMinor: inFlight,
      refundableMinor: left > 0n ? left : 0n,
      refundableNow: p.status === 'COMPLETED' && !p.disputed && left > 0n,
    };
  });
  const refundable = sum(payments.filter((p) => p.refundableNow).map((p) => p.refundableMinor));
  const onlyAuthorized = input.payments.length > 0 && input.payments.every((p) => p.status === 'AUTHORIZED');

  const invoices = input.invoices
    .filter((i) => i.kind === 'INPUT')
    .map((inv): InvoicePending => {
      const allocated = input.refunds.filter((r) => r.invoiceId === inv.id);
      const succeeded = allocated.filter((r) => r.status === RefundStatus.SUCCEEDED);
      const succeededMinor = sum(succeeded.map((r) => r.amountMinor));
      const inFlightMinor = sum(allocated.filter((r) => isInFlight(r.status)).map((r) => r.amountMinor));
      const left = inv.amountMinor - succeededMinor - inFlightMinor;
      const outstanding = left > 0n ? left : 0n;
      // An OMS that refunds by itself owes what is left; moneygraph will refund none of it.
      const byOms = input.omsRefundsItself === true;
      const pendingMinor = byOms ? 0n : outstanding;
      const ours = input.invoiceData.find((d) => d.invoiceId === inv.id && d.copy === 'MONEYGRAPH');
      const oms = input.invoiceData.find((d) => d.invoiceId === inv.id && d.copy === 'OMS');
      const ourRefunded = ours?.refundedMinor ?? (succeededMinor === 0n ? 0n : null);
      const drift = (ours?.refundedMinor ?? 0n) !== succeededMinor;
      const omsDrift = oms !== undefined && oms.refundedMinor !== succeededMinor;
      let nextAction = PendingAction.NONE;
      if (drift) nextAction = PendingAction.RESOLVE_DRIFT;
      else if (byOms) nextAction = outstanding > 0n ? PendingAction.OMS_REFUNDS_ITSELF : PendingAction.NONE;
      else if (inFlightMinor > 0n) nextAction = PendingAction.AWAIT_IN_FLIGHT;
      else if (pendingMinor > 0n) {
        if (onlyAuthorized) nextAction = PendingAction.CAPTURE_FIRST;
        else nextAction = refundable >= pendingMinor ? PendingAction.REFUND : PendingAction.INSUFFICIENT_REFUNDABLE;
      }
      return {
        invoiceId: inv.id,
        currency: inv.currency,
        amountMinor: inv.amountMinor,
        succeededMinor,
        inFlightMinor,
        pendingMinor,
        refundIds: succeeded.map((r) => r.id),
        invoiceDataRefundedMinor: ourRefunded,
        omsInvoiceDataRefundedMinor: oms?.refundedMinor ?? null,
        drift,
        omsDrift,
        unrefundedByOmsMinor: byOms ? outstanding : null,
        nextAction,
      };
    });

  const order = [
    PendingAction.RESOLVE_DRIFT,
    PendingAction.OMS_REFUNDS_ITSELF,
    PendingAction.AWAIT_IN_FLIGHT,
    PendingAction.CAPTURE_FIRST,
    PendingAction.INSUFFICIENT_REFUNDABLE,
    PendingAction.REFUND,
  ];
  const nextAction = order.find((a) => invoices.some((i) => i.nextAction === a)) ?? PendingAction.NONE;
  return {
    invoices,
    totalPendingMinor: sum(invoices.map((i) => i.pendingMinor)),
    totalSucceededMinor: sum(invoices.map((i) => i.succeededMinor)),
    totalInFlightMinor: sum(invoices.map((i) => i.inFlightMinor)),
    payments,
    refundableMinor: refundable,
    drift: invoices.some((i) => i.drift || i.omsDrift),
    nextAction,
  };
}

function sum(values: bigint[]): bigint {
  let t = 0n;
  for (const v of values) t += v;
  return t;
}
