"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildInvoiceData = buildInvoiceData;
exports.findOrder = findOrder;
const entities_1 = require("./entities");
const oms_types_1 = require("./graphql/oms.types");
const money_type_1 = require("../../graphql/money.type");
/** Builds the invoiceData view of one order from its invoices and both bookkeeping copies. */
function buildInvoiceData(order, invoices, rows) {
    const entries = invoices.map((inv) => {
        const ours = rows.find((r) => r.invoiceId === inv.id && r.copy === entities_1.InvoiceDataCopy.MONEYGRAPH);
        const oms = rows.find((r) => r.invoiceId === inv.id && r.copy === entities_1.InvoiceDataCopy.OMS);
        const refunded = ours?.refundedMinor ?? 0n;
        const e = new oms_types_1.InvoiceDataEntry();
        e.invoiceId = inv.id;
        e.kind = inv.kind;
        e.amount = (0, money_type_1.toMoney)(inv.amountMinor, inv.currency);
        e.refunded = (0, money_type_1.toMoney)(refunded, inv.currency);
        e.refundIds = ours?.refundIds ?? [];
        e.omsRefunded = oms ? (0, money_type_1.toMoney)(oms.refundedMinor, inv.currency) : null;
        e.omsRefundIds = oms?.refundIds ?? null;
        // An OUTPUT invoice is never refunded, so an OMS that reports nothing for it agrees.
        e.inSync = oms ? oms.refundedMinor === refunded : inv.kind === entities_1.InvoiceKind.OUTPUT || refunded === 0n;
        e.omsUpdatedAt = oms?.updatedAt ?? null;
        return e;
    });
    return Object.assign(new oms_types_1.InvoiceData(), { entries, inSync: entries.every((e) => e.inSync) });
}
async function findOrder(ctx, id) {
    return ctx.manager.getRepository(entities_1.OrderEntity).findOne({ where: { id } });
}
//# sourceMappingURL=oms.service.js.map