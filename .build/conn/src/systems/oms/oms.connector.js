"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OmsConnector = void 0;
/**
 * The OMS's HTTP API as moneygraph speaks it: read an order back (syncOrder), add a timeline
 * interaction and replace the OMS's copy of invoiceData (both from the outbox, both idempotent).
 */
const zod_1 = require("zod");
const http_client_1 = require("../../shared/http-client");
const payload_1 = require("../../webhooks/payload");
const upstream_answer_1 = require("../upstream-answer");
const wireMinor = payload_1.minorUnits.transform((v) => v.toString());
const wireVersion = zod_1.z.union([zod_1.z.number().int().nonnegative(), zod_1.z.string().regex(/^\d{1,18}$/)]);
/** `order.upserted`'s `data.order` (docs/upstream-contracts.md); amounts stay digit strings for applyOmsEvent. */
const orderWire = zod_1.z.looseObject({ id: payload_1.id, currency: payload_1.currency, total: wireMinor, version: wireVersion });
/** `invoice.created`'s `data.invoice`. */
const invoiceWire = zod_1.z.looseObject({ number: payload_1.id, orderId: payload_1.id, amount: wireMinor, currency: payload_1.currency });
/** `interaction.created`'s `data.interaction`. */
const interactionWire = zod_1.z.looseObject({ id: zod_1.z.string().min(1).max(128), orderId: payload_1.id });
const invoiceDataEntry = zod_1.z.object({ invoiceNumber: payload_1.id, refunded: payload_1.minorUnits, refundIds: zod_1.z.array(zod_1.z.string().max(64)).max(1000) });
const orderAnswer = zod_1.z.object({
    order: orderWire,
    invoices: zod_1.z.array(invoiceWire).max(10_000),
    interactions: zod_1.z.array(interactionWire).max(100_000),
    invoiceData: zod_1.z.object({ version: payload_1.version, entries: zod_1.z.array(invoiceDataEntry).max(1000) }),
});
const invoiceDataAnswer = zod_1.z.object({ version: payload_1.version, entries: zod_1.z.array(invoiceDataEntry) });
class OmsConnector {
    constructor(baseUrl, timeoutMs, opts = {}) {
        this.http = new http_client_1.HttpClient('oms', baseUrl, timeoutMs, opts);
        this.retries = opts.retries;
    }
    /** GET /orders/:id; null when the OMS does not know the order. */
    async getOrder(ctx, orderId) {
        const res = await this.http.request(ctx, 'GET', `/orders/${encodeURIComponent(orderId)}`, undefined, { acceptStatuses: [404], retries: this.retries });
        if (res.status === 404)
            return null;
        const a = (0, upstream_answer_1.parseAnswer)('oms', 'GET /orders/:id', orderAnswer, res.body);
        return {
            order: a.order,
            invoices: a.invoices,
            interactions: a.interactions,
            invoiceData: { version: a.invoiceData.version, entries: a.invoiceData.entries.map(toEntry) },
        };
    }
    /** POST /orders/:id/interactions; the interaction id makes a retry return the first one. */
    async addInteraction(ctx, i) {
        await this.http.request(ctx, 'POST', `/orders/${encodeURIComponent(i.orderId)}/interactions`, { id: i.id, kind: i.kind, message: i.message, refundId: i.refundId ?? null }, { idempotencyKey: i.id, retries: this.retries });
    }
    /** PUT /orders/:id/invoice-data: replaces the OMS's copy; the same key gets the same answer and changes nothing twice. */
    async putInvoiceData(ctx, orderId, entries, idempotencyKey) {
        const res = await this.http.request(ctx, 'PUT', `/orders/${encodeURIComponent(orderId)}/invoice-data`, { entries: entries.map((e) => ({ invoiceNumber: e.invoiceNumber, refunded: e.refundedMinor.toString(), refundIds: e.refundIds })) }, { idempotencyKey, retries: this.retries });
        return { version: (0, upstream_answer_1.parseAnswer)('oms', 'PUT /orders/:id/invoice-data', invoiceDataAnswer, res.body).version };
    }
}
exports.OmsConnector = OmsConnector;
const toEntry = (e) => ({ invoiceNumber: e.invoiceNumber, refundedMinor: e.refunded, refundIds: e.refundIds });
//# sourceMappingURL=oms.connector.js.map