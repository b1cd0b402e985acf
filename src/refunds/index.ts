/**
 * Refunds module: owns the refund ledger, the pending-refund calculation and refund execution.
 * It is the use case that spans OMS (invoiceData), PSP (the refund call) and ERP (the posting).
 */
export { refundsModule } from './refund.module';
export * from './entities';
export { computePendingRefunds, PendingAction, PendingRefunds as PendingRefundsCalculation } from './pending-refunds';
export { pendingRefundExistsSql } from './refund.queries';
export { Refund, PendingRefunds, toRefund } from './graphql/refund.types';
export { OrderRefundsResolver, RefundResolver, pendingRefundsOf } from './graphql/refund.resolver';
export { refundInvoice, creditPaymentMethod, RefundInvoiceInput, CreditPaymentMethodInput, RefundCommandResult } from './refund.service';
export { recordRefundOutcome, recordPspRefund, RefundOutcome, PspRefundReport } from './refund-outcome';
export { recoverRefund, recoverRefunds, RecoveryWorker } from './recovery';
export { nextStatus, isInFlight } from './refund.state';
