"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OMS_EVENT_TYPES = void 0;
exports.applyOmsEvent = applyOmsEvent;
exports.recordOmsInvoiceData = recordOmsInvoiceData;
exports.writeInvoiceData = writeInvoiceData;
exports.addInteraction = addInteraction;
const zod_1 = require("zod");
const upsert_1 = require("../../db/upsert");
const payload_1 = require("../../webhooks/payload");
const entities_1 = require("./entities");
const orderUpserted = (0, payload_1.envelope)('order.upserted', zod_1.z.object({
    order: zod_1.z.object({
        id: payload_1.id,
        status: zod_1.z.nativeEnum(entities_1.OrderStatus),
        currency: payload_1.currency,
        total: payload_1.minorUnits,
        customerId: payload_1.id.nullable().optional(),
        createdAt: payload_1.isoTime,
        version: payload_1.version,
    }),
}));
const invoiceCreated = (0, payload_1.envelope)('invoice.created', zod_1.z.object({
    invoice: zod_1.z.object({ number: payload_1.id, orderId: payload_1.id, kind: zod_1.z.nativeEnum(entities_1.InvoiceKind), amount: payload_1.minorUnits, currency: payload_1.currency, issuedAt: payload_1.isoTime, version: payload_1.version.optional() }),
}));
const interactionCreated = (0, payload_1.envelope)('interaction.created', zod_1.z.object({
    interaction: zod_1.z.object({
        id: zod_1.z.string().min(1).max(128),
        orderId: payload_1.id,
        kind: zod_1.z.string().min(1).max(64),
        message: zod_1.z.string().max(1024),
        occurredAt: payload_1.isoTime,
        refundId: payload_1.id.nullable().optional(),
    }),
}));
const invoiceDataUpdated = (0, payload_1.envelope)('invoice_data.updated', zod_1.z.object({
    orderId: payload_1.id,
    version: payload_1.version,
    entries: zod_1.z.array(zod_1.z.object({ invoiceNumber: payload_1.id, refunded: payload_1.minorUnits, refundIds: zod_1.z.array(zod_1.z.string().max(64)).max(1000) })).max(1000),
}));
exports.OMS_EVENT_TYPES = ['order.upserted', 'invoice.created', 'interaction.created', 'invoice_data.updated'];
/** Applies one verified OMS event inside the caller's transaction. Returns the order it concerns. */
async function applyOmsEvent(tx, type, body) {
    const now = tx.now;
    switch (type) {
        case 'order.upserted': {
            const { order: o } = (0, payload_1.parseOrThrow)(orderUpserted, body).data;
            await (0, upsert_1.versionedUpsert)(tx, 'oms_order', {
                id: o.id,
                status: o.status,
                currency: o.currency,
                total_minor: o.total,
                customer_id: o.customerId ?? null,
                created_at: o.createdAt,
                synced_at: now,
                source_version: o.version,
            }, ['id']);
            return o.id;
        }
        case 'invoice.created': {
            const { invoice: i } = (0, payload_1.parseOrThrow)(invoiceCreated, body).data;
            const created = await (0, upsert_1.insertIgnore)(tx, 'oms_invoice', {
                id: i.number,
                order_id: i.orderId,
                kind: i.kind,
                amount_minor: i.amount,
                currency: i.currency,
                issued_at: i.issuedAt,
                source_version: i.version ?? 1n,
            });
            if (created) {
                await tx.app.hooks.emit('invoiceRecorded', tx, { id: i.number, orderId: i.orderId, kind: i.kind, amountMinor: i.amount, currency: i.currency });
            }
            return i.orderId;
        }
        case 'interaction.created': {
            const { interaction: x } = (0, payload_1.parseOrThrow)(interactionCreated, body).data;
            await (0, upsert_1.insertIgnore)(tx, 'oms_interaction', {
                id: x.id,
                order_id: x.orderId,
                kind: x.kind,
                message: x.message,
                source: entities_1.InteractionSource.OMS,
                refund_id: x.refundId ?? null,
                occurred_at: x.occurredAt,
            });
            return x.orderId;
        }
        case 'invoice_data.updated': {
            const d = (0, payload_1.parseOrThrow)(invoiceDataUpdated, body).data;
            await recordOmsInvoiceData(tx, d.orderId, d.version, d.entries.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refunded, refundIds: e.refundIds })));
            return d.orderId;
        }
        default:
            return null;
    }
}
/** The OMS's own copy of invoiceData, as it reports it: kept beside ours, never merged into it. */
async function recordOmsInvoiceData(tx, orderId, sourceVersion, entries) {
    for (const e of entries) {
        await (0, upsert_1.versionedUpsert)(tx, 'oms_invoice_data', {
            order_id: orderId,
            invoice_id: e.invoiceId,
            copy: entities_1.InvoiceDataCopy.OMS,
            refunded_minor: e.refundedMinor,
            refund_ids: JSON.stringify(e.refundIds),
            updated_at: tx.now,
            source_version: sourceVersion,
        }, ['order_id', 'invoice_id', 'copy']);
    }
}
/**
 * moneygraph's own copy of invoiceData for one invoice, set from the refund ledger by the
 * transaction that records a refund's outcome (the only writer).
 */
async function writeInvoiceData(tx, orderId, invoiceId, refundedMinor, refundIds) {
    if (!tx.inTransaction)
        throw new Error('invoiceData changes only inside the refund outcome transaction');
    await tx.manager.query(`INSERT INTO oms_invoice_data (order_id, invoice_id, copy, refunded_minor, refund_ids, updated_at, source_version)
     VALUES (?, ?, 'MONEYGRAPH', ?, ?, ?, 1)
     ON DUPLICATE KEY UPDATE refunded_minor = VALUES(refunded_minor), refund_ids = VALUES(refund_ids),
       updated_at = VALUES(updated_at), source_version = source_version + 1`, [orderId, invoiceId, refundedMinor.toString(), JSON.stringify(refundIds), tx.now]);
}
/** Adds an interaction written by moneygraph (e.g. "Refund Payment"); the id makes it idempotent. */
async function addInteraction(tx, i) {
    return (0, upsert_1.insertIgnore)(tx, 'oms_interaction', {
        id: i.id,
        order_id: i.orderId,
        kind: i.kind,
        message: i.message,
        source: entities_1.InteractionSource.MONEYGRAPH,
        refund_id: i.refundId ?? null,
        occurred_at: tx.now,
    });
}
//# sourceMappingURL=oms.webhooks.js.map