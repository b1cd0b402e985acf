/** Seed 004's refund rules as the PSP simulator answers them: rejections, validation failures, limits. */

/**
 * Seed 004's rejections that do produce a REFUND_FAILED webhook, each with the webhook's own
 * (inconsistent) code, source and set of objects. `code: undefined` = the seed's missing code.
 */
export const REJECTIONS = {
  notRefundable: { title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment', code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
  disputedFraud: {
    title: 'INVALID_REQUEST',
    detail: 'Cannot issue refund for this payment',
    code: 'charge_disputed',
    source: 'card-refund',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  notCaptured: {
    title: 'INVALID_REQUEST',
    detail: 'Refunds can only be processed for captured payments',
    code: undefined,
    source: 'vendor-portal',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  inDispute: {
    title: 'INVALID_REQUEST',
    detail: 'Payment is in dispute and not available for refund',
    code: 'VENDOR_ERROR',
    source: '',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  alreadyRefunded: {
    title: 'INVALID_REQUEST',
    detail: 'This payment is already refunded',
    code: 'charge_already_refunded',
    source: '',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  // The seed's webhook words this one differently from the synchronous detail.
  overRefund: {
    title: 'INVALID_REQUEST',
    detail: 'Refund amount cannot be more than the un-refunded amount of the original payment',
    description: 'Refund amount cannot be more than the payment amount',
    code: undefined,
    source: '',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  methodCanceled: {
    title: 'INVALID_REQUEST',
    detail: 'Payment method is canceled by a customer or expired by the financial partner',
    code: 'VENDOR_ERROR',
    source: '',
    objects: ['payment', 'paymentMethod', 'customer'],
  },
  invalidMethod: { title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId', code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
  bankAccount: { title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts.', code: 'INVALID_REQUEST', source: '', objects: [] },
  overLimit: {
    title: 'INVALID_REQUEST',
    detail: 'The amount given exceeds the allowed refund limit',
    code: 'amount_too_large',
    source: '',
    objects: ['paymentMethod', 'customer'],
  },
} satisfies Record<string, { title: string; detail: string; description?: string; code: string | undefined; source: string; objects: string[] }>;
export type Rejection = (typeof REJECTIONS)[keyof typeof REJECTIONS];

/** Seed 004's validation failures: answered 400, never a webhook, never a refund record. */
export const REFUND_VALIDATION = {
  noId: 'paymentId or paymentMethodId is required',
  bothIds: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId',
  amountRequired: 'When paymentMethodId is present, amount is required',
  customerRequired: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata',
  duplicate: 'Refund already exists for the given merchantTransactionId',
} as const;

export const LATE_FAILURE_DESCRIPTION = 'Refund was declined by the financial partner after it was accepted';
export const DEFAULT_CREDIT_LIMIT = 100_000n;
