/**
 * Refunds module: owns the refund ledger, the pending-refund calculation and refund execution.
 * It is the use case that spans OMS (invoiceData), PSP (the refund call) and ERP (the posting).
 */
export { refundsModule } from './refund.module';
export * from './entities';
/** @public */
export { computePendingRefunds, PendingAction, PendingRefunds as PendingRefundsCalculation } from './pending-refunds';
export { pendingRefundExistsSql } from './refund.queries';
/** @public */
export { Refund, PendingRefunds, toRefund } from './graphql/refund.types';
/** @public */
export { OrderRefundsResolver, RefundResolver, pendingRefundCalculation } from './graphql/refund.resolver';
/** @public */
export { refundInvoice, creditPaymentMethod, RefundInvoiceInput, CreditPaymentMethodInput, RefundCommandResult } from './refund.service';
/** @public */
export { recordRefundOutcome, recordPspRefund, RefundOutcome, PspRefundReport } from './refund-outcome';
/** @public */
export { recoverRefund, recoverRefunds, RecoveryWorker } from './recovery';
/** @public */
export { nextStatus, isInFlight } from './refund.state';
