/**
 * The one place where the PSP's refund rejections and its refund webhooks are turned into
 * canonical error codes. Seed 004's webhooks carry the same failure with a missing code, a
 * code that disagrees with the synchronous title, or a reworded description, so the
 * description is trusted first and the raw code only breaks ties or fills gaps.
 */
import { z } from 'zod';
import { ErrorCode } from '../../shared/errors';
import type { PspRefund } from './psp-refund';
import { isCurrencyCode } from '../../shared/money';
import { minorUnits, parseOrThrow, WebhookPayloadError } from '../../shared/payload';

const norm = (s: string | undefined | null) =>
  (s ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');

/** Detail / description text → code. Ambiguous texts (null) are resolved by the title or raw code. */
const BY_TEXT = new Map<string, ErrorCode | null>(
  [
    ['paymentId or paymentMethodId is required', ErrorCode.PAYMENT_IDENTIFIER_REQUIRED],
    ['Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId', ErrorCode.PAYMENT_IDENTIFIER_AMBIGUOUS],
    ['When paymentMethodId is present, amount is required', ErrorCode.AMOUNT_REQUIRED],
    ['When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata', ErrorCode.CUSTOMER_IDENTIFIER_REQUIRED],
    ['Refund already exists for the given merchantTransactionId', ErrorCode.DUPLICATE_MERCHANT_TRANSACTION],
    // PAYMENT_ERROR for a failed/unknown payment, INVALID_REQUEST (webhook: charge_disputed) for a fraud dispute.
    ['Cannot issue refund for this payment', null],
    ['Refunds can only be processed for captured payments', ErrorCode.PAYMENT_NOT_CAPTURED],
    ['Payment is in dispute and not available for refund', ErrorCode.PAYMENT_DISPUTED],
    ['This payment is already refunded', ErrorCode.PAYMENT_ALREADY_REFUNDED],
    ['Refund amount cannot be more than the un-refunded amount of the original payment', ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    // The webhook's wording of the same rejection.
    ['Refund amount cannot be more than the payment amount', ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    ['Payment method is canceled by a customer or expired by the financial partner', ErrorCode.PAYMENT_METHOD_INACTIVE],
    ['Invalid paymentMethodId', ErrorCode.PAYMENT_METHOD_NOT_FOUND],
    ['Credit is not allowed for bank accounts.', ErrorCode.CREDIT_TO_BANK_ACCOUNT],
    ['The amount given exceeds the allowed refund limit', ErrorCode.CREDIT_LIMIT_EXCEEDED],
  ].map(([text, code]) => [norm(text as string), code as ErrorCode | null]),
);

/** Synchronous titles and webhook `error.code`s that name one failure on their own. */
const BY_CODE = new Map<string, ErrorCode>([
  ['payment_error', ErrorCode.PAYMENT_NOT_REFUNDABLE],
  ['charge_disputed', ErrorCode.PAYMENT_DISPUTED],
  ['charge_already_refunded', ErrorCode.PAYMENT_ALREADY_REFUNDED],
  ['amount_too_large', ErrorCode.CREDIT_LIMIT_EXCEEDED],
  // Stripe's own codes for the same rejections (error.code) and refund failures (failure_reason).
  ['payment_intent_unexpected_state', ErrorCode.PAYMENT_NOT_CAPTURED],
  ['charge_for_pending_refund_disputed', ErrorCode.PAYMENT_DISPUTED],
  ['expired_or_canceled_card', ErrorCode.PAYMENT_METHOD_INACTIVE],
  ['lost_or_stolen_card', ErrorCode.PAYMENT_METHOD_INACTIVE],
]);

function canonical(text: string | undefined | null, code: string | undefined | null): ErrorCode {
  const key = norm(code);
  const byText = BY_TEXT.get(norm(text));
  if (byText) return byText;
  if (byText === null) {
    // "Cannot issue refund for this payment": the title / code tells which rejection it was.
    return key === 'invalid_request' || key === 'charge_disputed' ? ErrorCode.PAYMENT_DISPUTED : ErrorCode.PAYMENT_NOT_REFUNDABLE;
  }
  return BY_CODE.get(key) ?? ErrorCode.PSP_REJECTED;
}

/** Canonical code for a synchronous PSP rejection `{ title, status, detail }`. */
export function canonicalRefundError(answer: { title?: string; status?: number; detail?: string }): ErrorCode {
  return canonical(answer.detail, answer.title);
}

/**
 * Stripe's synchronous refund codes whose meaning is Stripe's own: its `amount_too_large` says the
 * amount exceeds what is left to refund on the charge ("Refund amount (…) is greater than
 * unrefunded amount on charge"), not seed 004's refund limit.
 */
const VENDOR_BY_CODE = new Map<string, ErrorCode>([
  ['amount_too_large', ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
  ['charge_already_refunded', ErrorCode.PAYMENT_ALREADY_REFUNDED],
  ['charge_disputed', ErrorCode.PAYMENT_DISPUTED],
  ['parameter_missing', ErrorCode.PAYMENT_IDENTIFIER_REQUIRED],
  ['resource_missing', ErrorCode.PAYMENT_NOT_REFUNDABLE],
]);

/** Canonical code for a vendor SDK's rejection (Stripe's `error.code` and message): the vendor's code first, then seed 004's table. */
export function canonicalVendorError(code: string | null | undefined, message: string | null | undefined): ErrorCode {
  return VENDOR_BY_CODE.get(norm(code)) ?? canonical(message, code);
}

/** Canonical code for a webhook's or refund record's `error: { code?, description }`. */
export function canonicalWebhookError(error: { code?: string | null; description?: string | null } | null | undefined): ErrorCode {
  return canonical(error?.description, error?.code);
}

const STATUS_OF = { REFUND_SUCCEEDED: 'SUCCEEDED', REFUND_FAILED: 'FAILED', REFUND_REVERSED: 'REVERSED' } as const;

const optText = z
  .string()
  .max(191)
  .nullish()
  .transform((v) => v || null);
const looseObject = z.record(z.string(), z.unknown()).nullish();
const refundWebhook = z.object({
  name: z.enum(['REFUND_SUCCEEDED', 'REFUND_FAILED', 'REFUND_REVERSED']),
  source: z.string().max(191).nullish(),
  payload: z.object({
    refundId: z.string().min(1).max(64),
    merchantTransactionId: optText,
    status: z.string().nullish(),
    amount: minorUnits.nullish(),
    // An unknown currency is the PSP's data, not a reason to lose the event.
    currency: z
      .string()
      .nullish()
      .transform((v) => (v && isCurrencyCode(v) ? v : null)),
    createdAt: z
      .string()
      .nullish()
      .transform((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : null)),
    payment: z.object({ paymentId: optText, orderId: optText }).passthrough().nullish(),
    paymentMethod: looseObject,
    customer: looseObject,
    metadata: z.object({ orderId: optText, invoiceNumber: optText }).passthrough().nullish(),
    /** Set by a vendor adapter's translation (the in-house contract has none). */
    pspAdapterId: optText,
    error: z
      .object({ code: z.string().max(191).nullish(), description: z.string().max(2048).nullish() })
      .passthrough()
      .nullish(),
  }),
});

/** Parses a PSP refund webhook body (seed 004's `{ name, source, payload }`); throws WebhookPayloadError when unusable. */
export function normalizeRefundWebhook(body: unknown): PspRefund {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WebhookPayloadError('refund event must be a JSON object');
  const { name, payload: p } = parseOrThrow(refundWebhook, body);
  const failed = name === 'REFUND_FAILED';
  return {
    pspRefundId: p.refundId,
    merchantTransactionId: p.merchantTransactionId,
    status: STATUS_OF[name],
    amountMinor: p.amount ?? null,
    currency: p.currency,
    paymentId: p.payment?.paymentId ?? null,
    paymentMethodId: null,
    orderId: p.metadata?.orderId ?? p.payment?.orderId ?? null,
    invoiceNumber: p.metadata?.invoiceNumber ?? null,
    errorCode: failed ? canonicalWebhookError(p.error) : null,
    errorMessage: failed ? p.error?.description?.trim() || null : null,
    // A claim: it carries no version of the PSP's record.
    version: null,
    occurredAt: p.createdAt,
    raw: body,
    // Only a vendor adapter's translation names its instance; the in-house record is as it always was.
    ...(p.pspAdapterId ? { pspAdapterId: p.pspAdapterId } : {}),
  };
}
