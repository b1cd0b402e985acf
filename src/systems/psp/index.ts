/**
 * PSP module: owns payments, captures and settlement batches as the PSP reports them, and the
 * PSP connector. Other modules import only what is exported here.
 */
export { pspModule } from './psp.module';
export * from './entities';
export { Payment, Capture, Settlement, SettlementLine, toPayment, toCapture } from './graphql/psp.types';
export { PspConnector, PspRefundRecord, PspRefundResult, CreateRefundRequest } from './psp.connector';
export { canonicalRefundError, canonicalWebhookError, NormalizedRefundEvent } from './psp-errors';
/** Ingestion: the PSP's records (a webhook, or read back by syncOrder), checked against the contract and stored. */
export { applyPspEvent } from './psp.ingest';
