/**
 * recordRefundOutcome: the one function through which every refund outcome is recorded — the
 * PSP's synchronous answer, its webhooks, recovery and syncOrder. Inside the caller's transaction
 * (which has locked the order), all or nothing: the refund, moneygraph's invoiceData recomputed
 * from the ledger, the "Refund Payment" interaction, the outbox messages (ERP posting keyed by the
 * PSP refund id, OMS interaction, OMS invoiceData) and the audit row.
 *
 * The outcome's vocabulary is declared here and its parts live beside it: recording an outcome
 * (refund-outcome-record.ts) and the money effects it carries (refund-effects.ts), applying what
 * the PSP reports about a refund (psp-refund-report.ts), and allocating PSP refunds to a return
 * invoice that arrives after them (psp-refund-allocation.ts). Their entry points are exported from
 * here, as before.
 */
export type { OutcomeSource, RefundOutcome, PspRefundReport } from './refund-outcome.types';
/** @public */
export { recordRefundOutcome } from './refund-outcome-record';
export { recordPspRefund } from './psp-refund-report';
export { allocatePspRefunds } from './psp-refund-allocation';
