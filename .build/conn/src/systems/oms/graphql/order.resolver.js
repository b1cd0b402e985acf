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
exports.omsReferenceResolvers = exports.InvoiceResolver = exports.OrderResolver = void 0;
const type_graphql_1 = require("type-graphql");
const permissions_1 = require("../../../shared/permissions");
const masking_1 = require("../../../shared/masking");
const oms_service_1 = require("../oms.service");
const oms_types_1 = require("./oms.types");
let OrderResolver = class OrderResolver {
    async order(id, { loaders }) {
        const e = await loaders.orderById.load(id);
        return e ? (0, oms_types_1.toOrder)(e) : null;
    }
    customerId(order, { ctx }) {
        return (0, masking_1.maskCustomerId)(ctx.actor, order.customerIdRaw);
    }
    async invoices(order, { loaders }) {
        return (await loaders.invoicesByOrderId.load(order.id)).map(oms_types_1.toInvoice);
    }
    async interactions(order, { loaders }) {
        return (await loaders.interactionsByOrderId.load(order.id)).map(oms_types_1.toInteraction);
    }
    async invoiceData(order, { loaders }) {
        const [invoices, rows] = await Promise.all([loaders.invoicesByOrderId.load(order.id), loaders.invoiceDataByOrderId.load(order.id)]);
        return (0, oms_service_1.buildInvoiceData)({ currency: order.currencyCode }, invoices, rows);
    }
};
exports.OrderResolver = OrderResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => oms_types_1.Order, { nullable: true, description: 'An order by its OMS id; null when unknown.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], OrderResolver.prototype, "order", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => String, { nullable: true, description: 'The customer id; masked unless the caller may read customer identifiers.' }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_types_1.Order, Object]),
    __metadata("design:returntype", Object)
], OrderResolver.prototype, "customerId", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [oms_types_1.Invoice]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_types_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderResolver.prototype, "invoices", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [oms_types_1.OrderInteraction]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_types_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderResolver.prototype, "interactions", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => oms_types_1.InvoiceData),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_types_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderResolver.prototype, "invoiceData", null);
exports.OrderResolver = OrderResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_types_1.Order)
], OrderResolver);
let InvoiceResolver = class InvoiceResolver {
    async invoice(id, { loaders }) {
        const e = await loaders.invoiceById.load(id);
        return e ? (0, oms_types_1.toInvoice)(e) : null;
    }
    async order(invoice, { loaders }) {
        const e = await loaders.orderById.load(invoice.orderId);
        return e ? (0, oms_types_1.toOrder)(e) : null;
    }
};
exports.InvoiceResolver = InvoiceResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => oms_types_1.Invoice, { nullable: true, description: 'An invoice by its number; null when unknown.' }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], InvoiceResolver.prototype, "invoice", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => oms_types_1.Order, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_types_1.Invoice, Object]),
    __metadata("design:returntype", Promise)
], InvoiceResolver.prototype, "order", null);
exports.InvoiceResolver = InvoiceResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_types_1.Invoice)
], InvoiceResolver);
exports.omsReferenceResolvers = {
    Order: {
        __resolveReference: async (ref, { loaders }) => {
            const e = await loaders.orderById.load(ref.id);
            return e ? (0, oms_types_1.toOrder)(e) : null;
        },
    },
    Invoice: {
        __resolveReference: async (ref, { loaders }) => {
            const e = await loaders.invoiceById.load(ref.id);
            return e ? (0, oms_types_1.toInvoice)(e) : null;
        },
    },
};
//# sourceMappingURL=order.resolver.js.map