/**
 * An order's money across the three systems, from the mirrored records (pure).
 */
import { isInFlight, PendingRefundsCalculation as PendingRefunds, RefundStatus } from '../refunds';

export interface MoneyStateIn {
  totalMinor: bigint;
  payments: { status: string; authorizedMinor: bigint }[];
  captures: { amountMinor: bigint }[];
  refunds: { status: RefundStatus; amountMinor: bigint }[];
  settlementLines: { kind: string; grossMinor: bigint }[];
  erpPostings: { kind: string; status: string; amountMinor: bigint }[];
  pending: Pick<PendingRefunds, 'totalPendingMinor' | 'refundableMinor'>;
}

export interface MoneyStateOut {
  authorizedMinor: bigint;
  capturedMinor: bigint;
  refundedMinor: bigint;
  refundInFlightMinor: bigint;
  refundableMinor: bigint;
  pendingRefundMinor: bigint;
  settledMinor: bigint;
  postedToErpMinor: bigint;
  outstandingMinor: bigint;
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

export function computeMoneyState(i: MoneyStateIn): MoneyStateOut {
  const captured = sum(i.captures.map((c) => c.amountMinor));
  const refunded = sum(i.refunds.filter((r) => r.status === RefundStatus.SUCCEEDED).map((r) => r.amountMinor));
  const posted = i.erpPostings.filter((p) => p.status === 'POSTED');
  const outstanding = i.totalMinor - captured;
  return {
    authorizedMinor: sum(i.payments.filter((p) => p.status === 'AUTHORIZED' || p.status === 'COMPLETED').map((p) => p.authorizedMinor)),
    capturedMinor: captured,
    refundedMinor: refunded,
    refundInFlightMinor: sum(i.refunds.filter((r) => isInFlight(r.status)).map((r) => r.amountMinor)),
    refundableMinor: i.pending.refundableMinor,
    pendingRefundMinor: i.pending.totalPendingMinor,
    // Refund lines carry a negative gross, so this is what the PSP paid out net for the order.
    settledMinor: sum(i.settlementLines.filter((l) => l.kind !== 'FEE').map((l) => l.grossMinor)),
    postedToErpMinor: sum(posted.filter((p) => p.kind === 'CAPTURE').map((p) => p.amountMinor)) - sum(posted.filter((p) => p.kind === 'REFUND').map((p) => p.amountMinor)),
    outstandingMinor: outstanding > 0n ? outstanding : 0n,
  };
}
