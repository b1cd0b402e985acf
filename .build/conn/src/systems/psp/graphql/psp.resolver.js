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
exports.pspReferenceResolvers = exports.SettlementResolver = exports.CaptureResolver = exports.PaymentResolver = exports.OrderPaymentsResolver = void 0;
const type_graphql_1 = require("type-graphql");
const connection_1 = require("../../../graphql/connection");
const scalars_1 = require("../../../graphql/scalars");
const masking_1 = require("../../../shared/masking");
const permissions_1 = require("../../../shared/permissions");
const oms_1 = require("../../oms");
const psp_service_1 = require("../psp.service");
const psp_types_1 = require("./psp.types");
const SettlementConnection = (0, connection_1.ConnectionType)('Settlement', psp_types_1.Settlement);
let SettlementFilterInput = class SettlementFilterInput {
};
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Date)
], SettlementFilterInput.prototype, "settledFrom", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true, description: 'Exclusive.' }),
    __metadata("design:type", Date)
], SettlementFilterInput.prototype, "settledTo", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => scalars_1.CurrencyCode, { nullable: true }),
    __metadata("design:type", String)
], SettlementFilterInput.prototype, "currencyCode", void 0);
SettlementFilterInput = __decorate([
    (0, type_graphql_1.InputType)()
], SettlementFilterInput);
let SettlementsArgs = class SettlementsArgs {
};
__decorate([
    (0, type_graphql_1.Field)(() => SettlementFilterInput, { nullable: true }),
    __metadata("design:type", SettlementFilterInput)
], SettlementsArgs.prototype, "filter", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true, description: 'At most 100.' }),
    __metadata("design:type", Number)
], SettlementsArgs.prototype, "first", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", String)
], SettlementsArgs.prototype, "after", void 0);
SettlementsArgs = __decorate([
    (0, type_graphql_1.ArgsType)()
], SettlementsArgs);
let OrderPaymentsResolver = class OrderPaymentsResolver {
    async payments(order, { loaders }) {
        return (await loaders.paymentsByOrderId.load(order.id)).map(psp_types_1.toPayment);
    }
    async captures(order, { loaders }) {
        return (await loaders.capturesByOrderId.load(order.id)).map(psp_types_1.toCapture);
    }
    async settlementLines(order, { loaders }) {
        return (await loaders.settlementLinesByOrderId.load(order.id)).map(psp_types_1.toSettlementLine);
    }
};
exports.OrderPaymentsResolver = OrderPaymentsResolver;
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [psp_types_1.Payment]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderPaymentsResolver.prototype, "payments", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [psp_types_1.Capture]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderPaymentsResolver.prototype, "captures", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [psp_types_1.SettlementLine]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrderPaymentsResolver.prototype, "settlementLines", null);
exports.OrderPaymentsResolver = OrderPaymentsResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_1.Order)
], OrderPaymentsResolver);
let PaymentResolver = class PaymentResolver {
    async payment(id, { loaders }) {
        const e = await loaders.paymentById.load(id);
        return e ? (0, psp_types_1.toPayment)(e) : null;
    }
    customerId(p, { ctx }) {
        return (0, masking_1.maskCustomerId)(ctx.actor, p.customerIdRaw);
    }
    async captures(p, { loaders }) {
        return (await loaders.capturesByPaymentId.load(p.id)).map(psp_types_1.toCapture);
    }
    async order(p, { loaders }) {
        if (!p.orderId)
            return null;
        const e = await loaders.orderById.load(p.orderId);
        return e ? (0, oms_1.toOrder)(e) : null;
    }
};
exports.PaymentResolver = PaymentResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => psp_types_1.Payment, { nullable: true }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], PaymentResolver.prototype, "payment", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => String, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [psp_types_1.Payment, Object]),
    __metadata("design:returntype", Object)
], PaymentResolver.prototype, "customerId", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [psp_types_1.Capture]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [psp_types_1.Payment, Object]),
    __metadata("design:returntype", Promise)
], PaymentResolver.prototype, "captures", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => oms_1.Order, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [psp_types_1.Payment, Object]),
    __metadata("design:returntype", Promise)
], PaymentResolver.prototype, "order", null);
exports.PaymentResolver = PaymentResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => psp_types_1.Payment)
], PaymentResolver);
let CaptureResolver = class CaptureResolver {
    async capture(id, { loaders }) {
        const e = await loaders.captureById.load(id);
        return e ? (0, psp_types_1.toCapture)(e) : null;
    }
    async payment(c, { loaders }) {
        const e = await loaders.paymentById.load(c.paymentId);
        return e ? (0, psp_types_1.toPayment)(e) : null;
    }
};
exports.CaptureResolver = CaptureResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => psp_types_1.Capture, { nullable: true }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], CaptureResolver.prototype, "capture", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => psp_types_1.Payment, { nullable: true }),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [psp_types_1.Capture, Object]),
    __metadata("design:returntype", Promise)
], CaptureResolver.prototype, "payment", null);
exports.CaptureResolver = CaptureResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => psp_types_1.Capture)
], CaptureResolver);
let SettlementResolver = class SettlementResolver {
    async settlement(id, { loaders }) {
        const e = await loaders.settlementById.load(id);
        return e ? (0, psp_types_1.toSettlement)(e) : null;
    }
    async settlements({ filter, first, after }, { ctx }) {
        const size = (0, connection_1.pageSize)(first, ctx.app.config.maxPageSize);
        const rows = await (0, psp_service_1.listSettlements)(ctx, filter ?? {}, size, after);
        return (0, connection_1.toConnection)(rows, size, (r) => [r.settledAt.toISOString(), r.id], psp_types_1.toSettlement, Boolean(after));
    }
    async lines(s, { loaders }) {
        return (await loaders.settlementLinesBySettlementId.load(s.id)).map(psp_types_1.toSettlementLine);
    }
};
exports.SettlementResolver = SettlementResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => psp_types_1.Settlement, { nullable: true }),
    __param(0, (0, type_graphql_1.Arg)('id', () => type_graphql_1.ID)),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object]),
    __metadata("design:returntype", Promise)
], SettlementResolver.prototype, "settlement", null);
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => SettlementConnection, { description: 'Settlement batches, newest first.' }),
    __param(0, (0, type_graphql_1.Args)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [SettlementsArgs, Object]),
    __metadata("design:returntype", Promise)
], SettlementResolver.prototype, "settlements", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => [psp_types_1.SettlementLine]),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [psp_types_1.Settlement, Object]),
    __metadata("design:returntype", Promise)
], SettlementResolver.prototype, "lines", null);
exports.SettlementResolver = SettlementResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => psp_types_1.Settlement)
], SettlementResolver);
exports.pspReferenceResolvers = {
    Payment: {
        __resolveReference: async (ref, { loaders }) => {
            const e = await loaders.paymentById.load(ref.id);
            return e ? (0, psp_types_1.toPayment)(e) : null;
        },
    },
};
//# sourceMappingURL=psp.resolver.js.map