"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PSP_REFUND_EVENT_NAMES = void 0;
exports.applyPspEvent = applyPspEvent;
const zod_1 = require("zod");
const upsert_1 = require("../../db/upsert");
const payload_1 = require("../../webhooks/payload");
const entities_1 = require("./entities");
const paymentUpserted = (0, payload_1.envelope)('payment.upserted', zod_1.z.object({
    payment: zod_1.z.object({
        id: payload_1.id,
        orderId: payload_1.id.nullable().optional(),
        method: zod_1.z.nativeEnum(entities_1.PaymentMethodKind),
        paymentMethodId: payload_1.id.nullable().optional(),
        paymentMethodStatus: zod_1.z.nativeEnum(entities_1.PaymentMethodStatus).default(entities_1.PaymentMethodStatus.ACTIVE),
        customerId: payload_1.id.nullable().optional(),
        status: zod_1.z.nativeEnum(entities_1.PaymentStatus),
        disputed: zod_1.z.boolean().default(false),
        authorized: payload_1.minorUnits,
        currency: payload_1.currency,
        createdAt: payload_1.isoTime,
        version: payload_1.version,
    }),
}));
const captureCreated = (0, payload_1.envelope)('capture.created', zod_1.z.object({ capture: zod_1.z.object({ id: payload_1.id, paymentId: payload_1.id, orderId: payload_1.id.nullable().optional(), amount: payload_1.minorUnits, currency: payload_1.currency, capturedAt: payload_1.isoTime }) }));
const settlementClosed = (0, payload_1.envelope)('settlement.closed', zod_1.z.object({
    settlement: zod_1.z.object({
        id: payload_1.id,
        currency: payload_1.currency,
        settledAt: payload_1.isoTime,
        lines: zod_1.z
            .array(zod_1.z.object({
            id: payload_1.id,
            kind: zod_1.z.nativeEnum(entities_1.SettlementLineKind),
            pspReference: payload_1.id,
            orderId: payload_1.id.nullable().optional(),
            gross: payload_1.minorUnits,
            fee: payload_1.minorUnits.default(0n),
            net: payload_1.minorUnits.optional(),
            currency: payload_1.currency,
        }))
            .max(100_000),
    }),
}));
exports.PSP_REFUND_EVENT_NAMES = ['REFUND_SUCCEEDED', 'REFUND_FAILED', 'REFUND_REVERSED'];
/** Applies one verified PSP event inside the caller's transaction. Returns the order it concerns. */
async function applyPspEvent(tx, type, body) {
    switch (type) {
        case 'payment.upserted': {
            const { payment: p } = (0, payload_1.parseOrThrow)(paymentUpserted, body).data;
            await (0, upsert_1.versionedUpsert)(tx, 'psp_payment', {
                id: p.id,
                order_id: p.orderId ?? null,
                method: p.method,
                payment_method_id: p.paymentMethodId ?? null,
                payment_method_status: p.paymentMethodStatus,
                customer_id: p.customerId ?? null,
                status: p.status,
                disputed: p.disputed,
                authorized_minor: p.authorized,
                currency: p.currency,
                created_at: p.createdAt,
                source_version: p.version,
            }, ['id']);
            return p.orderId ?? null;
        }
        case 'capture.created': {
            const { capture: c } = (0, payload_1.parseOrThrow)(captureCreated, body).data;
            await (0, upsert_1.insertIgnore)(tx, 'psp_capture', {
                id: c.id,
                payment_id: c.paymentId,
                order_id: c.orderId ?? null,
                amount_minor: c.amount,
                currency: c.currency,
                captured_at: c.capturedAt,
            });
            return c.orderId ?? null;
        }
        case 'settlement.closed': {
            const { settlement: s } = (0, payload_1.parseOrThrow)(settlementClosed, body).data;
            const created = await (0, upsert_1.insertIgnore)(tx, 'psp_settlement', { id: s.id, currency: s.currency, settled_at: s.settledAt });
            if (created) {
                for (const l of s.lines) {
                    await (0, upsert_1.insertIgnore)(tx, 'psp_settlement_line', {
                        id: l.id,
                        settlement_id: s.id,
                        kind: l.kind,
                        psp_reference: l.pspReference,
                        order_id: l.orderId ?? null,
                        gross_minor: l.gross,
                        fee_minor: l.fee,
                        net_minor: l.net ?? l.gross - l.fee,
                        currency: l.currency,
                    });
                }
            }
            return null;
        }
        default:
            if (exports.PSP_REFUND_EVENT_NAMES.includes(type)) {
                await tx.app.hooks.emit('pspRefundEvent', tx, body);
                return null;
            }
            return null;
    }
}
//# sourceMappingURL=psp.webhooks.js.map