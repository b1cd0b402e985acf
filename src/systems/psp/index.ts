/**
 * PSP module: owns payments, captures and settlement batches as the PSP reports them, and the
 * PSP connector. Other modules import only what is exported here.
 */
export { pspModule } from './psp.module';
export * from './entities';
/** @public */
export { Payment, Capture, Settlement, SettlementLine, toPayment, toCapture } from './graphql/psp.types';
/** @public */
export { PspConnector } from './psp.connector';
/** The PSP port every adapter implements, and the instances of the process. */
export type { PspPort, PspCapabilities, PspRefundResult, PspRefundLookup, CreateRefundRequest, RefundAttempt } from './psp-port';
/** @public */
export { PspAdapters } from './psp-adapters';
/** @public */
export { StripePspAdapter } from './stripe/stripe-adapter';
/** The one shape of a PSP refund, from the PSP's records and webhooks to the refund ledger. */
export { PspRefund } from './psp-refund';
/** @public */
export { canonicalRefundError, canonicalWebhookError } from './psp-errors';
/** Ingestion: the PSP's records (a webhook, or read back by syncOrder), checked against the contract and stored. */
export { applyPspEvent } from './psp.ingest';
/** Settlement batches read from the PSPs that list them (Stripe payouts), recorded once. */
export { pullSettlements } from './psp-settlements';
