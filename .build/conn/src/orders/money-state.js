"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.computeMoneyState = computeMoneyState;
/**
 * An order's money across the three systems, from the mirrored records (pure).
 */
const refund_entity_1 = require("../refunds/entities/refund.entity");
const sum = (xs) => xs.reduce((a, b) => a + b, 0n);
function computeMoneyState(i) {
    const captured = sum(i.captures.map((c) => c.amountMinor));
    const refunded = sum(i.refunds.filter((r) => r.status === refund_entity_1.RefundStatus.SUCCEEDED).map((r) => r.amountMinor));
    const posted = i.erpPostings.filter((p) => p.status === 'POSTED');
    const outstanding = i.totalMinor - captured;
    return {
        authorizedMinor: sum(i.payments.filter((p) => p.status === 'AUTHORIZED' || p.status === 'COMPLETED').map((p) => p.authorizedMinor)),
        capturedMinor: captured,
        refundedMinor: refunded,
        refundInFlightMinor: sum(i.refunds.filter((r) => r.status === refund_entity_1.RefundStatus.REQUESTED || r.status === refund_entity_1.RefundStatus.SUBMITTED).map((r) => r.amountMinor)),
        refundableMinor: i.pending.refundableMinor,
        pendingRefundMinor: i.pending.totalPendingMinor,
        // Refund lines carry a negative gross, so this is what the PSP paid out net for the order.
        settledMinor: sum(i.settlementLines.filter((l) => l.kind !== 'FEE').map((l) => l.grossMinor)),
        postedToErpMinor: sum(posted.filter((p) => p.kind === 'CAPTURE').map((p) => p.amountMinor)) - sum(posted.filter((p) => p.kind === 'REFUND').map((p) => p.amountMinor)),
        outstandingMinor: outstanding > 0n ? outstanding : 0n,
    };
}
//# sourceMappingURL=money-state.js.map