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
exports.OrdersResolver = exports.MoneyState = void 0;
const type_graphql_1 = require("type-graphql");
const connection_1 = require("../graphql/connection");
const money_type_1 = require("../graphql/money.type");
const scalars_1 = require("../graphql/scalars");
const permissions_1 = require("../shared/permissions");
const oms_1 = require("../systems/oms");
const refunds_1 = require("../refunds");
const money_state_1 = require("./money-state");
const orders_service_1 = require("./orders.service");
const OrderConnection = (0, connection_1.ConnectionType)('Order', oms_1.Order);
let OrdersFilterInput = class OrdersFilterInput {
};
__decorate([
    (0, type_graphql_1.Field)(() => [oms_1.OrderStatus], { nullable: true }),
    __metadata("design:type", Array)
], OrdersFilterInput.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Date)
], OrdersFilterInput.prototype, "createdFrom", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true, description: 'Exclusive.' }),
    __metadata("design:type", Date)
], OrdersFilterInput.prototype, "createdTo", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => scalars_1.CurrencyCode, { nullable: true }),
    __metadata("design:type", String)
], OrdersFilterInput.prototype, "currencyCode", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Boolean, { nullable: true, description: 'Orders with (true) or without (false) an INPUT invoice still to refund.' }),
    __metadata("design:type", Boolean)
], OrdersFilterInput.prototype, "hasPendingRefund", void 0);
OrdersFilterInput = __decorate([
    (0, type_graphql_1.InputType)()
], OrdersFilterInput);
let OrdersArgs = class OrdersArgs {
};
__decorate([
    (0, type_graphql_1.Field)(() => OrdersFilterInput, { nullable: true }),
    __metadata("design:type", OrdersFilterInput)
], OrdersArgs.prototype, "filter", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }),
    __metadata("design:type", Number)
], OrdersArgs.prototype, "first", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", String)
], OrdersArgs.prototype, "after", void 0);
OrdersArgs = __decorate([
    (0, type_graphql_1.ArgsType)()
], OrdersArgs);
let MoneyState = class MoneyState {
};
exports.MoneyState = MoneyState;
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Authorized on payments that are not canceled or failed.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "authorized", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "captured", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Refunds that SUCCEEDED.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "refunded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Refunds REQUESTED or SUBMITTED: outcome not yet known.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "refundInFlight", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'What captured, undisputed payments can still refund.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "refundable", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'What INPUT invoices still demand.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "pendingRefund", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Net of the settlement lines of the order (refund lines are negative).' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "settled", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Captures minus refunds as POSTED in the ERP.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "postedToErp", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Order total not yet captured.' }),
    __metadata("design:type", money_type_1.Money)
], MoneyState.prototype, "outstanding", void 0);
exports.MoneyState = MoneyState = __decorate([
    (0, type_graphql_1.ObjectType)({ description: "An order's money across OMS, PSP and ERP, in the order's currency." })
], MoneyState);
let OrdersResolver = class OrdersResolver {
    async orders({ filter, first, after }, { ctx }) {
        const size = (0, connection_1.pageSize)(first, ctx.app.config.maxPageSize);
        const rows = await (0, orders_service_1.listOrders)(ctx, filter ?? {}, size, after);
        return (0, connection_1.toConnection)(rows, size, (r) => [r.createdAt.toISOString(), r.id], oms_1.toOrder, Boolean(after));
    }
    async moneyState(order, { loaders }) {
        const id = order.id;
        const [invoices, refunds, invoiceData, payments, captures, settlementLines, erpPostings] = await Promise.all([
            loaders.invoicesByOrderId.load(id),
            loaders.refundsByOrderId.load(id),
            loaders.invoiceDataByOrderId.load(id),
            loaders.paymentsByOrderId.load(id),
            loaders.capturesByOrderId.load(id),
            loaders.settlementLinesByOrderId.load(id),
            loaders.erpPostingsByOrderId.load(id),
        ]);
        const pending = (0, refunds_1.computePendingRefunds)({ invoices, refunds, invoiceData, payments, captures });
        const s = (0, money_state_1.computeMoneyState)({
            totalMinor: order.totalMinor,
            payments,
            captures,
            refunds,
            settlementLines,
            erpPostings,
            pending,
        });
        const m = (v) => (0, money_type_1.toMoney)(v, order.currencyCode);
        return Object.assign(new MoneyState(), {
            authorized: m(s.authorizedMinor),
            captured: m(s.capturedMinor),
            refunded: m(s.refundedMinor),
            refundInFlight: m(s.refundInFlightMinor),
            refundable: m(s.refundableMinor),
            pendingRefund: m(s.pendingRefundMinor),
            settled: m(s.settledMinor),
            postedToErp: m(s.postedToErpMinor),
            outstanding: m(s.outstandingMinor),
        });
    }
};
exports.OrdersResolver = OrdersResolver;
__decorate([
    (0, type_graphql_1.Authorized)(permissions_1.Permission.READ_ORDERS),
    (0, type_graphql_1.Query)(() => OrderConnection, { description: 'Orders, newest first.' }),
    __param(0, (0, type_graphql_1.Args)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [OrdersArgs, Object]),
    __metadata("design:returntype", Promise)
], OrdersResolver.prototype, "orders", null);
__decorate([
    (0, type_graphql_1.FieldResolver)(() => MoneyState),
    __param(0, (0, type_graphql_1.Root)()),
    __param(1, (0, type_graphql_1.Ctx)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [oms_1.Order, Object]),
    __metadata("design:returntype", Promise)
], OrdersResolver.prototype, "moneyState", null);
exports.OrdersResolver = OrdersResolver = __decorate([
    (0, type_graphql_1.Resolver)(() => oms_1.Order)
], OrdersResolver);
//# sourceMappingURL=orders.resolver.js.map