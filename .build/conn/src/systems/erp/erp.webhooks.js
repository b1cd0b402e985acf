"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.postingSchema = void 0;
exports.recordErpPosting = recordErpPosting;
exports.applyErpEvent = applyErpEvent;
const zod_1 = require("zod");
const upsert_1 = require("../../db/upsert");
const payload_1 = require("../../webhooks/payload");
const entities_1 = require("./entities");
exports.postingSchema = zod_1.z.object({
    documentId: payload_1.id,
    kind: zod_1.z.nativeEnum(entities_1.ErpPostingKind),
    externalRef: zod_1.z.string().min(1).max(128),
    orderId: payload_1.id.nullable().optional(),
    amount: payload_1.minorUnits,
    currency: payload_1.currency,
    status: zod_1.z.nativeEnum(entities_1.ErpPostingStatus),
    reasonCode: zod_1.z.string().max(64).nullable().optional(),
    postedAt: payload_1.isoTime,
    version: payload_1.version.default(1n),
});
const postingCreated = (0, payload_1.envelope)('posting.created', zod_1.z.object({ posting: exports.postingSchema }));
async function recordErpPosting(tx, p) {
    await (0, upsert_1.versionedUpsert)(tx, 'erp_posting', {
        id: p.documentId,
        kind: p.kind,
        external_ref: p.externalRef,
        order_id: p.orderId ?? null,
        amount_minor: p.amount,
        currency: p.currency,
        status: p.status,
        reason_code: p.reasonCode ?? null,
        posted_at: p.postedAt,
        source_version: p.version,
    }, ['id']);
}
/** Applies one verified ERP event inside the caller's transaction. Returns the order it concerns. */
async function applyErpEvent(tx, type, body) {
    if (type !== 'posting.created')
        return null;
    const { posting } = (0, payload_1.parseOrThrow)(postingCreated, body).data;
    await recordErpPosting(tx, posting);
    return posting.orderId ?? null;
}
//# sourceMappingURL=erp.webhooks.js.map