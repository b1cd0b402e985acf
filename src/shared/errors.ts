/**
 * Every expected business outcome has one stable code. Clients (the admin UI) switch on these;
 * never rename one.
 */
export enum ErrorCode {
  // input
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  AMOUNT_NOT_POSITIVE = 'AMOUNT_NOT_POSITIVE',
  AMOUNT_TOO_PRECISE = 'AMOUNT_TOO_PRECISE',
  AMOUNT_TOO_LARGE = 'AMOUNT_TOO_LARGE',
  UNSUPPORTED_CURRENCY = 'UNSUPPORTED_CURRENCY',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  // lookups
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  INVOICE_NOT_FOUND = 'INVOICE_NOT_FOUND',
  INVOICE_NOT_OF_ORDER = 'INVOICE_NOT_OF_ORDER',
  INVOICE_NOT_RETURN = 'INVOICE_NOT_RETURN',
  /** The OMS refunds return invoices by itself (VTEX): moneygraph observes and reconciles, never refunds them a second time. */
  OMS_REFUNDS_ITSELF = 'OMS_REFUNDS_ITSELF',
  PAYMENT_NOT_FOUND = 'PAYMENT_NOT_FOUND',
  PAYMENT_METHOD_NOT_FOUND = 'PAYMENT_METHOD_NOT_FOUND',
  // refund rules (seed 004)
  AMOUNT_EXCEEDS_PENDING = 'AMOUNT_EXCEEDS_PENDING',
  NOTHING_PENDING = 'NOTHING_PENDING',
  AMOUNT_EXCEEDS_REFUNDABLE = 'AMOUNT_EXCEEDS_REFUNDABLE',
  PAYMENT_NOT_CAPTURED = 'PAYMENT_NOT_CAPTURED',
  PAYMENT_NOT_REFUNDABLE = 'PAYMENT_NOT_REFUNDABLE',
  PAYMENT_DISPUTED = 'PAYMENT_DISPUTED',
  PAYMENT_ALREADY_REFUNDED = 'PAYMENT_ALREADY_REFUNDED',
  AMOUNT_REQUIRED = 'AMOUNT_REQUIRED',
  CUSTOMER_IDENTIFIER_REQUIRED = 'CUSTOMER_IDENTIFIER_REQUIRED',
  CREDIT_TO_BANK_ACCOUNT = 'CREDIT_TO_BANK_ACCOUNT',
  PAYMENT_METHOD_INACTIVE = 'PAYMENT_METHOD_INACTIVE',
  CREDIT_LIMIT_EXCEEDED = 'CREDIT_LIMIT_EXCEEDED',
  PAYMENT_IDENTIFIER_REQUIRED = 'PAYMENT_IDENTIFIER_REQUIRED',
  PAYMENT_IDENTIFIER_AMBIGUOUS = 'PAYMENT_IDENTIFIER_AMBIGUOUS',
  DUPLICATE_MERCHANT_TRANSACTION = 'DUPLICATE_MERCHANT_TRANSACTION',
  PSP_REJECTED = 'PSP_REJECTED',
  /** A refund made at the PSP for this invoice is not decided there yet: nothing is sent until it is. */
  PSP_REFUND_UNDECIDED = 'PSP_REFUND_UNDECIDED',
  /** A report about the order's money (a PSP refund, say) arrived before the order and is not applied yet: nothing is sent until it is. */
  PSP_REPORT_WAITING = 'PSP_REPORT_WAITING',
  /** A refund that had succeeded was reversed by the PSP (stored on the refund, not a userError). */
  REFUND_REVERSED = 'REFUND_REVERSED',
  // idempotency
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  // holds, exceptions, reconciliation
  ORDER_ON_HOLD = 'ORDER_ON_HOLD',
  EXCEPTION_NOT_FOUND = 'EXCEPTION_NOT_FOUND',
  DECISION_NOT_ALLOWED = 'DECISION_NOT_ALLOWED',
  EXCEPTION_ALREADY_RESOLVED = 'EXCEPTION_ALREADY_RESOLVED',
  INVALID_PERIOD = 'INVALID_PERIOD',
  PERIOD_TOO_LONG = 'PERIOD_TOO_LONG',
  // outbox
  OUTBOX_MESSAGE_NOT_FOUND = 'OUTBOX_MESSAGE_NOT_FOUND',
  OUTBOX_MESSAGE_NOT_DEAD = 'OUTBOX_MESSAGE_NOT_DEAD',
  NO_DEAD_OUTBOX_MESSAGES = 'NO_DEAD_OUTBOX_MESSAGES',
  // webhook events
  WEBHOOK_EVENT_NOT_FOUND = 'WEBHOOK_EVENT_NOT_FOUND',
  WEBHOOK_EVENT_ALREADY_APPLIED = 'WEBHOOK_EVENT_ALREADY_APPLIED',
  // upstream
  UPSTREAM_UNAVAILABLE = 'UPSTREAM_UNAVAILABLE',
}

/** An expected failure, returned to the client as data (userErrors), never thrown to it. */
export class BusinessError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string[],
  ) {
    super(message);
  }
}

/**
 * Input the caller should not have sent (a malformed cursor, an inverted range): thrown, never
 * returned as data. The GraphQL layer answers it as BAD_USER_INPUT, with `field` when given.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The caller may not do this: thrown; the GraphQL layer answers it as FORBIDDEN. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
