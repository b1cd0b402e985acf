"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PspConnector = void 0;
/**
 * The PSP's HTTP API as moneygraph speaks it: the refund API of seed 004 and the order read-back
 * used by syncOrder. Every answer is validated with zod and amounts become bigint at once.
 * A refund outcome is only ever reported as known when the PSP said so.
 */
const zod_1 = require("zod");
const context_1 = require("../../db/context");
const errors_1 = require("../../shared/errors");
const http_client_1 = require("../../shared/http-client");
const payload_1 = require("../../webhooks/payload");
const upstream_answer_1 = require("../upstream-answer");
const psp_errors_1 = require("./psp-errors");
const text = zod_1.z.string().max(191).nullish().transform((v) => v ?? null);
const refundRecord = zod_1.z
    .object({
    refundId: payload_1.id,
    merchantTransactionId: zod_1.z.string().min(1).max(191),
    status: zod_1.z.enum(['SUCCEEDED', 'FAILED', 'REVERSED']),
    amount: payload_1.minorUnits.nullish(),
    currency: payload_1.currency.nullish(),
    paymentId: text,
    paymentMethodId: text,
    orderId: text,
    invoiceNumber: text,
    error: zod_1.z.object({ code: zod_1.z.string().nullish(), description: zod_1.z.string().nullish() }).nullish(),
    createdAt: payload_1.isoTime.nullish(),
    version: zod_1.z.union([zod_1.z.number().int().nonnegative(), zod_1.z.string().regex(/^\d{1,18}$/)]).transform((v) => BigInt(v)).optional(),
})
    .transform((r, c) => {
    const amountMinor = r.amount ?? 0n;
    if (r.status !== 'FAILED' && (r.amount == null || r.currency == null)) {
        c.addIssue({ code: 'custom', message: 'a refund that moved money must have amount and currency' });
    }
    return {
        pspRefundId: r.refundId,
        merchantTransactionId: r.merchantTransactionId,
        status: r.status,
        amountMinor,
        currency: r.currency ?? '',
        paymentId: r.paymentId,
        paymentMethodId: r.paymentMethodId,
        errorCode: r.status === 'FAILED' ? (0, psp_errors_1.canonicalWebhookError)(r.error) : null,
        errorMessage: r.status === 'FAILED' ? (r.error?.description ?? null) : null,
        raw: r,
        orderId: r.orderId,
        invoiceNumber: r.invoiceNumber,
        createdAt: r.createdAt ?? null,
        version: r.version,
    };
});
const problem = zod_1.z.object({ title: zod_1.z.string().optional(), status: zod_1.z.number().optional(), detail: zod_1.z.string().optional() });
const refundList = zod_1.z.object({ refunds: zod_1.z.array(zod_1.z.unknown()).max(10_000) });
/** Minor units validated as such, kept as the contract's digit string so the webhook appliers can take them. */
const wireMinor = payload_1.minorUnits.transform((v) => v.toString());
/** `payment.upserted`'s `data.payment` (docs/upstream-contracts.md). */
const paymentWire = zod_1.z.looseObject({ id: payload_1.id, authorized: wireMinor, currency: payload_1.currency, version: zod_1.z.union([zod_1.z.number(), zod_1.z.string()]) });
/** `capture.created`'s `data.capture`. */
const captureWire = zod_1.z.looseObject({ id: payload_1.id, paymentId: payload_1.id, amount: wireMinor, currency: payload_1.currency });
const orderRecords = zod_1.z.object({ payments: zod_1.z.array(paymentWire), captures: zod_1.z.array(captureWire), refunds: zod_1.z.array(zod_1.z.unknown()) });
/** Every 4xx but 408/429 is a definite answer about the refund; those two may be retried by the PSP's edge. */
const DEFINITE_4XX = Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => s !== 408 && s !== 429);
class PspConnector {
    constructor(baseUrl, timeoutMs, opts = {}) {
        this.http = new http_client_1.HttpClient('psp', baseUrl, timeoutMs, opts);
        this.retries = opts.retries;
    }
    /**
     * POST /refunds with Idempotency-Key = merchantTransactionId: a retry after a lost answer can
     * only meet the same refund again (answered as `already-exists`), never create a second one.
     */
    async createRefund(ctx, req) {
        (0, context_1.assertNoTransaction)(ctx, 'psp createRefund');
        const body = {
            paymentId: req.paymentId,
            paymentMethodId: req.paymentMethodId,
            amount: req.amountMinor?.toString(),
            currency: req.currency,
            merchantTransactionId: req.merchantTransactionId,
            reason: req.reason,
            customer: req.customer,
            metadata: req.metadata,
        };
        let res;
        try {
            res = await this.http.request(ctx, 'POST', '/refunds', body, {
                idempotencyKey: req.merchantTransactionId,
                acceptStatuses: DEFINITE_4XX,
                retries: this.retries,
            });
        }
        catch (err) {
            if (err instanceof http_client_1.UpstreamError)
                return { kind: 'unknown', reason: err.message };
            throw err;
        }
        if (res.status >= 400) {
            const p = problem.safeParse(res.body);
            const answer = p.success ? p.data : {};
            const code = (0, psp_errors_1.canonicalRefundError)(answer);
            if (code === errors_1.ErrorCode.DUPLICATE_MERCHANT_TRANSACTION)
                return { kind: 'already-exists' };
            return { kind: 'rejected', code, message: answer.detail?.trim() || answer.title || `PSP answered HTTP ${res.status}`, raw: res.body };
        }
        const r = refundRecord.safeParse(res.body);
        if (!r.success)
            return { kind: 'unknown', reason: `psp POST /refunds: unreadable answer (${r.error.issues[0]?.message ?? 'invalid'})` };
        if (r.data.merchantTransactionId !== req.merchantTransactionId) {
            return { kind: 'unknown', reason: 'psp POST /refunds: answer is for another merchantTransactionId' };
        }
        return { kind: 'succeeded', record: { ...r.data, raw: res.body } };
    }
    /** GET /refunds?merchantTransactionId=: the refund the PSP holds under that key, or null. Throws UpstreamError when unreachable. */
    async findRefund(ctx, merchantTransactionId) {
        const res = await this.http.request(ctx, 'GET', `/refunds?merchantTransactionId=${encodeURIComponent(merchantTransactionId)}`, undefined, { retries: this.retries });
        const refunds = (0, upstream_answer_1.parseAnswer)('psp', 'GET /refunds', refundList, res.body).refunds.map((x) => parseRefund(x));
        // The PSP keeps one refund per key; anything else answered is not ours.
        return refunds.find((r) => r.merchantTransactionId === merchantTransactionId) ?? null;
    }
    /**
     * GET /orders/:id/payments: everything the PSP holds for an order. Payments and captures come
     * back in the webhook contract's shapes (validated), so syncOrder feeds them to the webhook appliers.
     */
    async getOrderRecords(ctx, orderId) {
        const res = await this.http.request(ctx, 'GET', `/orders/${encodeURIComponent(orderId)}/payments`, undefined, { retries: this.retries });
        const body = (0, upstream_answer_1.parseAnswer)('psp', 'GET /orders/:id/payments', orderRecords, res.body);
        return { payments: body.payments, captures: body.captures, refunds: body.refunds.map((x) => parseRefund(x)) };
    }
}
exports.PspConnector = PspConnector;
function parseRefund(x) {
    return { ...(0, upstream_answer_1.parseAnswer)('psp', 'refund record', refundRecord, x), raw: x };
}
//# sourceMappingURL=psp.connector.js.map