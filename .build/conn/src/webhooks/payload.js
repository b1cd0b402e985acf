"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WebhookPayloadError = exports.version = exports.id = exports.isoTime = exports.currency = exports.minorUnits = void 0;
exports.envelope = envelope;
exports.parseOrThrow = parseOrThrow;
/** zod pieces shared by the webhook handlers of the three systems. */
const zod_1 = require("zod");
const money_1 = require("../shared/money");
/** Minor units as a string of digits (or a safe JSON integer), turned into bigint at once. */
exports.minorUnits = zod_1.z
    .union([zod_1.z.string().regex(/^-?\d{1,19}$/, 'must be an integer number of minor units'), zod_1.z.number().int().refine(Number.isSafeInteger, 'must be a safe integer')])
    .transform((v) => BigInt(v))
    .refine((v) => v <= money_1.MAX_MINOR && v >= -money_1.MAX_MINOR, 'is out of range');
exports.currency = zod_1.z.string().refine(money_1.isCurrencyCode, 'must be a supported ISO-4217 code');
exports.isoTime = zod_1.z.string().datetime({ offset: true }).transform((s) => new Date(s));
exports.id = zod_1.z.string().min(1).max(64);
exports.version = zod_1.z.union([zod_1.z.number().int().nonnegative(), zod_1.z.string().regex(/^\d{1,18}$/)]).transform((v) => BigInt(v));
function envelope(type, data) {
    return zod_1.z.object({ id: zod_1.z.string().min(1).max(191).optional(), type: zod_1.z.literal(type), occurredAt: exports.isoTime.optional(), data });
}
/** A body that parsed but does not fit its contract. */
class WebhookPayloadError extends Error {
}
exports.WebhookPayloadError = WebhookPayloadError;
function parseOrThrow(schema, body) {
    const r = schema.safeParse(body);
    if (!r.success) {
        const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
        throw new WebhookPayloadError(first.join('; '));
    }
    return r.data;
}
//# sourceMappingURL=payload.js.map