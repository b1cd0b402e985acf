"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.canonicalRefundError = canonicalRefundError;
exports.canonicalWebhookError = canonicalWebhookError;
exports.normalizeRefundWebhook = normalizeRefundWebhook;
/**
 * The one place where the PSP's refund rejections and its refund webhooks are turned into
 * canonical error codes. Seed 004's webhooks carry the same failure with a missing code, a
 * code that disagrees with the synchronous title, or a reworded description, so the
 * description is trusted first and the raw code only breaks ties or fills gaps.
 */
const zod_1 = require("zod");
const errors_1 = require("../../shared/errors");
const money_1 = require("../../shared/money");
const payload_1 = require("../../webhooks/payload");
const norm = (s) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '');
/** Detail / description text → code. Ambiguous texts (null) are resolved by the title or raw code. */
const BY_TEXT = new Map([
    ['paymentId or paymentMethodId is required', errors_1.ErrorCode.PAYMENT_IDENTIFIER_REQUIRED],
    ['Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId', errors_1.ErrorCode.PAYMENT_IDENTIFIER_AMBIGUOUS],
    ['When paymentMethodId is present, amount is required', errors_1.ErrorCode.AMOUNT_REQUIRED],
    ['When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata', errors_1.ErrorCode.CUSTOMER_IDENTIFIER_REQUIRED],
    ['Refund already exists for the given merchantTransactionId', errors_1.ErrorCode.DUPLICATE_MERCHANT_TRANSACTION],
    // PAYMENT_ERROR for a failed/unknown payment, INVALID_REQUEST (webhook: charge_disputed) for a fraud dispute.
    ['Cannot issue refund for this payment', null],
    ['Refunds can only be processed for captured payments', errors_1.ErrorCode.PAYMENT_NOT_CAPTURED],
    ['Payment is in dispute and not available for refund', errors_1.ErrorCode.PAYMENT_DISPUTED],
    ['This payment is already refunded', errors_1.ErrorCode.PAYMENT_ALREADY_REFUNDED],
    ['Refund amount cannot be more than the un-refunded amount of the original payment', errors_1.ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    // The webhook's wording of the same rejection.
    ['Refund amount cannot be more than the payment amount', errors_1.ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    ['Payment method is canceled by a customer or expired by the financial partner', errors_1.ErrorCode.PAYMENT_METHOD_INACTIVE],
    ['Invalid paymentMethodId', errors_1.ErrorCode.PAYMENT_METHOD_NOT_FOUND],
    ['Credit is not allowed for bank accounts.', errors_1.ErrorCode.CREDIT_TO_BANK_ACCOUNT],
    ['The amount given exceeds the allowed refund limit', errors_1.ErrorCode.CREDIT_LIMIT_EXCEEDED],
].map(([text, code]) => [norm(text), code]));
/** Synchronous titles and webhook `error.code`s that name one failure on their own. */
const BY_CODE = new Map([
    ['payment_error', errors_1.ErrorCode.PAYMENT_NOT_REFUNDABLE],
    ['charge_disputed', errors_1.ErrorCode.PAYMENT_DISPUTED],
    ['charge_already_refunded', errors_1.ErrorCode.PAYMENT_ALREADY_REFUNDED],
    ['amount_too_large', errors_1.ErrorCode.CREDIT_LIMIT_EXCEEDED],
]);
function canonical(text, code) {
    const key = norm(code);
    const byText = BY_TEXT.get(norm(text));
    if (byText)
        return byText;
    if (byText === null) {
        // "Cannot issue refund for this payment": the title / code tells which rejection it was.
        return key === 'invalid_request' || key === 'charge_disputed' ? errors_1.ErrorCode.PAYMENT_DISPUTED : errors_1.ErrorCode.PAYMENT_NOT_REFUNDABLE;
    }
    return BY_CODE.get(key) ?? errors_1.ErrorCode.PSP_REJECTED;
}
/** Canonical code for a synchronous PSP rejection `{ title, status, detail }`. */
function canonicalRefundError(answer) {
    return canonical(answer.detail, answer.title);
}
/** Canonical code for a webhook's or refund record's `error: { code?, description }`. */
function canonicalWebhookError(error) {
    return canonical(error?.description, error?.code);
}
const STATUS_OF = { REFUND_SUCCEEDED: 'SUCCEEDED', REFUND_FAILED: 'FAILED', REFUND_REVERSED: 'REVERSED' };
const optText = zod_1.z.string().max(191).nullish().transform((v) => v || null);
const looseObject = zod_1.z.record(zod_1.z.string(), zod_1.z.unknown()).nullish();
const refundWebhook = zod_1.z.object({
    name: zod_1.z.enum(['REFUND_SUCCEEDED', 'REFUND_FAILED', 'REFUND_REVERSED']),
    source: zod_1.z.string().max(191).nullish(),
    payload: zod_1.z.object({
        refundId: zod_1.z.string().min(1).max(64),
        merchantTransactionId: optText,
        status: zod_1.z.string().nullish(),
        amount: payload_1.minorUnits.nullish(),
        // An unknown currency is the PSP's data, not a reason to lose the event.
        currency: zod_1.z.string().nullish().transform((v) => (v && (0, money_1.isCurrencyCode)(v) ? v : null)),
        createdAt: zod_1.z.string().nullish().transform((v) => (v && !Number.isNaN(Date.parse(v)) ? new Date(v) : null)),
        payment: zod_1.z.object({ paymentId: optText, orderId: optText }).passthrough().nullish(),
        paymentMethod: looseObject,
        customer: looseObject,
        metadata: zod_1.z.object({ orderId: optText, invoiceNumber: optText }).passthrough().nullish(),
        error: zod_1.z.object({ code: zod_1.z.string().max(191).nullish(), description: zod_1.z.string().max(2048).nullish() }).passthrough().nullish(),
    }),
});
/** Parses a PSP refund webhook body (seed 004's `{ name, source, payload }`); throws WebhookPayloadError when unusable. */
function normalizeRefundWebhook(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw new payload_1.WebhookPayloadError('refund event must be a JSON object');
    const { name, payload: p } = (0, payload_1.parseOrThrow)(refundWebhook, body);
    const failed = name === 'REFUND_FAILED';
    return {
        name,
        pspRefundId: p.refundId,
        merchantTransactionId: p.merchantTransactionId,
        status: STATUS_OF[name],
        amountMinor: p.amount ?? null,
        currency: p.currency,
        paymentId: p.payment?.paymentId ?? null,
        orderId: p.metadata?.orderId ?? p.payment?.orderId ?? null,
        invoiceNumber: p.metadata?.invoiceNumber ?? null,
        errorCode: failed ? canonicalWebhookError(p.error) : null,
        errorMessage: failed ? (p.error?.description?.trim() || null) : null,
        occurredAt: p.createdAt,
        raw: body,
    };
}
//# sourceMappingURL=psp-errors.js.map