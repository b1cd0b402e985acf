"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RefundResolver = exports.OrderRefundsResolver = void 0;
exports.pendingRefundsOf = pendingRefundsOf;
const type_graphql_1 = require("type-graphql");
const permissions_1 = require("../../shared/permissions");
const oms_1 = require("../../systems/oms");
const psp_1 = require("../../systems/psp");
const pending_refunds_1 = require("../pending-refunds");
const refund_types_1 = require("./refund.types");
/** The pending-refund calculation of one order, fed entirely by loaders (batched across orders). */
async function pendingRefundsOf(orderId, currency, { loaders }) {
    const [invoices, refunds, invoiceData, payments, captures] = await Promise.all([
        loaders.invoicesByOrderId.load(orderId),
        loaders.refundsByOrderId.load(orderId),
        loaders.invoiceDataByOrderId.load(orderId),
        loaders.paymentsByOrderId.load(orderId),
        loaders.capturesByOrderId.load(orderId),
    ]);
    return (0, refund_types_1.toPendingRefunds)(orderId, currency, (0, pending_refunds_1.computePendingRefunds)({ invoices, refunds, invoiceData, payments, captures }));
}
let OrderRefundsResolver = class OrderRefundsResolver {
    async refunds(order, { loaders }) {
        return (await loaders.refundsByOrderId.load(order.id)).map(refund_types_1.toRefund);
    }
    pendingRefunds(order, gql) {
        return pendingRefundsOf(order.id, order.currencyCode, gql);
    }
};
exports.OrderRefundsResolver = OrderRefundsResolver;
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [refund_types_1.Refund]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderRefundsResolver.prototype, "refunds", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => refund_types_1.PendingRefunds),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderRefundsResolver.prototype, "pendingRefunds", null);
exports.OrderRefundsResolver = OrderRefundsResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_1.Order)
], OrderRefundsResolver);
let RefundResolver = class RefundResolver {
    async refund(id, { loaders }) {
        const e = await loaders.refundById.load(id);
        return e ? (0, refund_types_1.toRefund)(e) : null;
    }
    async pendingRefunds(orderId, gql) {
        const order = await gql.loaders.orderById.load(orderId);
        return order ? pendingRefundsOf(order.id, order.currency, gql) : null;
    }
    async order(r, { loaders }) {
        const e = await loaders.orderById.load(r.orderId);
        return e ? (0, oms_1.toOrder)(e) : null;
    }
    async invoice(r, { loaders }) {
        if (!r.invoiceId)
            return null;
        const e = await loaders.invoiceById.load(r.invoiceId);
        return e ? (0, oms_1.toInvoice)(e) : null;
    }
    async payment(r, { loaders }) {
        if (!r.paymentId)
            return null;
        const e = await loaders.paymentById.load(r.paymentId);
        return e ? (0, psp_1.toPayment)(e) : null;
    }
};
exports.RefundResolver = RefundResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => refund_types_1.Refund, { nullable: true }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], RefundResolver.prototype, "refund", null);
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => refund_types_1.PendingRefunds, { nullable: true, description: 'The pending-refund calculation of an order; null when the order is unknown.' }),
    __param(0, (0, type_graphql_1.Arg)('orderId', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], RefundResolver.prototype, "pendingRefunds", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => oms_1.Order, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [refund_types_1.Refund, Object]),
    __metadata("design:returntype", Promise)
], RefundResolver.prototype, "order", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => oms_1.Invoice, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [refund_types_1.Refund, Object]),
    __metadata("design:returntype", Promise)
], RefundResolver.prototype, "invoice", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => psp_1.Payment, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [refund_types_1.Refund, Object]),
    __metadata("design:returntype", Promise)
], RefundResolver.prototype, "payment", null);
exports.RefundResolver = RefundResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => refund_types_1.Refund)
], RefundResolver);
//# sourceMappingURL=refund.resolver.js.map