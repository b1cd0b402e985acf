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
Object.defineProperty(exports, "__esModule", { value: true });
exports.InvoiceData = exports.InvoiceDataEntry = exports.OrderInteraction = exports.Invoice = exports.Order = void 0;
exports.toOrder = toOrder;
exports.toInvoice = toInvoice;
exports.toInteraction = toInteraction;
const type_graphql_1 = require("type-graphql");
const money_type_1 = require("../../../graphql/money.type");
const scalars_1 = require("../../../graphql/scalars");
const entities_1 = require("../entities");
(0, type_graphql_1.registerEnumType)(entities_1.OrderStatus, { name: 'OrderStatus' });
(0, type_graphql_1.registerEnumType)(entities_1.InvoiceKind, { name: 'InvoiceKind', description: 'OUTPUT is a sale; INPUT is a return, a demand for a refund.' });
(0, type_graphql_1.registerEnumType)(entities_1.InteractionSource, { name: 'InteractionSource' });
let Order = class Order {
};
exports.Order = Order;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: 'The OMS order id.' }),
    __metadata("design:type", String)
], Order.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.OrderStatus),
    __metadata("design:type", String)
], Order.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => scalars_1.CurrencyCode),
    __metadata("design:type", String)
], Order.prototype, "currencyCode", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], Order.prototype, "total", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Order.prototype, "createdAt", void 0);
exports.Order = Order = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'An order, as the OMS holds it. Other modules add its payments, refunds and postings.' }),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Order);
function toOrder(e) {
    return Object.assign(new Order(), {
        id: e.id,
        status: e.status,
        currencyCode: e.currency,
        total: (0, money_type_1.toMoney)(e.totalMinor, e.currency),
        totalMinor: e.totalMinor,
        customerIdRaw: e.customerId,
        createdAt: e.createdAt,
    });
}
let Invoice = class Invoice {
};
exports.Invoice = Invoice;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: 'The invoice number.' }),
    __metadata("design:type", String)
], Invoice.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Invoice.prototype, "number", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.InvoiceKind),
    __metadata("design:type", String)
], Invoice.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], Invoice.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Invoice.prototype, "issuedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Invoice.prototype, "orderId", void 0);
exports.Invoice = Invoice = __decorate([
    (0, type_graphql_1.ObjectType)(),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Invoice);
function toInvoice(e) {
    return Object.assign(new Invoice(), {
        id: e.id,
        number: e.id,
        kind: e.kind,
        amount: (0, money_type_1.toMoney)(e.amountMinor, e.currency),
        issuedAt: e.issuedAt,
        orderId: e.orderId,
    });
}
let OrderInteraction = class OrderInteraction {
};
exports.OrderInteraction = OrderInteraction;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], OrderInteraction.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'e.g. "Invoice Notification", "Refund Payment".' }),
    __metadata("design:type", String)
], OrderInteraction.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], OrderInteraction.prototype, "message", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.InteractionSource),
    __metadata("design:type", String)
], OrderInteraction.prototype, "source", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], OrderInteraction.prototype, "refundId", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], OrderInteraction.prototype, "occurredAt", void 0);
exports.OrderInteraction = OrderInteraction = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'One entry of the order\'s timeline.' })
], OrderInteraction);
function toInteraction(e) {
    return Object.assign(new OrderInteraction(), {
        id: e.id,
        kind: e.kind,
        message: e.message,
        source: e.source,
        refundId: e.refundId,
        occurredAt: e.occurredAt,
    });
}
let InvoiceDataEntry = class InvoiceDataEntry {
};
exports.InvoiceDataEntry = InvoiceDataEntry;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], InvoiceDataEntry.prototype, "invoiceId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.InvoiceKind),
    __metadata("design:type", String)
], InvoiceDataEntry.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], InvoiceDataEntry.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: "moneygraph's copy: changed only with a refund's recorded outcome." }),
    __metadata("design:type", money_type_1.Money)
], InvoiceDataEntry.prototype, "refunded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [type_graphql_1.ID]),
    __metadata("design:type", Array)
], InvoiceDataEntry.prototype, "refundIds", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { nullable: true, description: "What the OMS's copy says (null: the OMS has not reported one)." }),
    __metadata("design:type", Object)
], InvoiceDataEntry.prototype, "omsRefunded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [type_graphql_1.ID], { nullable: true }),
    __metadata("design:type", Object)
], InvoiceDataEntry.prototype, "omsRefundIds", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'Both copies agree.' }),
    __metadata("design:type", Boolean)
], InvoiceDataEntry.prototype, "inSync", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], InvoiceDataEntry.prototype, "omsUpdatedAt", void 0);
exports.InvoiceDataEntry = InvoiceDataEntry = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'invoiceData for one invoice: what each copy says has been refunded.' })
], InvoiceDataEntry);
let InvoiceData = class InvoiceData {
};
exports.InvoiceData = InvoiceData;
__decorate([
    (0, type_graphql_1.Field)(() => [InvoiceDataEntry]),
    __metadata("design:type", Array)
], InvoiceData.prototype, "entries", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: "The OMS's copy agrees with moneygraph's for every invoice." }),
    __metadata("design:type", Boolean)
], InvoiceData.prototype, "inSync", void 0);
exports.InvoiceData = InvoiceData = __decorate([
    (0, type_graphql_1.ObjectType)({ description: "The order's invoice bookkeeping." })
], InvoiceData);
//# sourceMappingURL=oms.types.js.map