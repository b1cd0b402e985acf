/**
 * PSP module: owns payments, captures and settlement batches as the PSP reports them, and the
 * PSP connector. Other modules import only what is exported here.
 */
export * from './entities';
export { Payment, Capture, Settlement, SettlementLine, toPayment, toCapture } from './graphql/psp.types';
export { OrderPaymentsResolver, PaymentResolver, CaptureResolver, SettlementResolver, pspReferenceResolvers } from './graphql/psp.resolver';
export { PspConnector, PspRefundRecord, PspRefundResult, CreateRefundRequest, refundWebhookBody } from './psp.connector';
export { canonicalRefundError, canonicalWebhookError, normalizeRefundWebhook, NormalizedRefundEvent } from './psp-errors';
