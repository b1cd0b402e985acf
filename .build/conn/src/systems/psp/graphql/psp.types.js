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
exports.SettlementLine = exports.Settlement = exports.Capture = exports.Payment = void 0;
exports.toPayment = toPayment;
exports.toCapture = toCapture;
exports.toSettlement = toSettlement;
exports.toSettlementLine = toSettlementLine;
const type_graphql_1 = require("type-graphql");
const money_type_1 = require("../../../graphql/money.type");
const entities_1 = require("../entities");
(0, type_graphql_1.registerEnumType)(entities_1.PaymentStatus, { name: 'PaymentStatus', description: 'COMPLETED means captured.' });
(0, type_graphql_1.registerEnumType)(entities_1.PaymentMethodKind, { name: 'PaymentMethodKind' });
(0, type_graphql_1.registerEnumType)(entities_1.PaymentMethodStatus, { name: 'PaymentMethodStatus' });
(0, type_graphql_1.registerEnumType)(entities_1.SettlementLineKind, { name: 'SettlementLineKind' });
let Payment = class Payment {
};
exports.Payment = Payment;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: 'The PSP payment reference.' }),
    __metadata("design:type", String)
], Payment.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true, description: 'The order the PSP says this payment is for.' }),
    __metadata("design:type", Object)
], Payment.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.PaymentMethodKind),
    __metadata("design:type", String)
], Payment.prototype, "method", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Payment.prototype, "paymentMethodId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.PaymentMethodStatus),
    __metadata("design:type", String)
], Payment.prototype, "paymentMethodStatus", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.PaymentStatus),
    __metadata("design:type", String)
], Payment.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Boolean)
], Payment.prototype, "disputed", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], Payment.prototype, "authorized", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Payment.prototype, "createdAt", void 0);
exports.Payment = Payment = __decorate([
    (0, type_graphql_1.ObjectType)(),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Payment);
function toPayment(e) {
    return Object.assign(new Payment(), {
        id: e.id,
        orderId: e.orderId,
        method: e.method,
        paymentMethodId: e.paymentMethodId,
        paymentMethodStatus: e.paymentMethodStatus,
        status: e.status,
        disputed: e.disputed,
        authorized: (0, money_type_1.toMoney)(e.authorizedMinor, e.currency),
        createdAt: e.createdAt,
        customerIdRaw: e.customerId,
        currency: e.currency,
    });
}
let Capture = class Capture {
};
exports.Capture = Capture;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Capture.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Capture.prototype, "paymentId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Capture.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], Capture.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Capture.prototype, "capturedAt", void 0);
exports.Capture = Capture = __decorate([
    (0, type_graphql_1.ObjectType)(),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Capture);
function toCapture(e) {
    return Object.assign(new Capture(), {
        id: e.id,
        paymentId: e.paymentId,
        orderId: e.orderId,
        amount: (0, money_type_1.toMoney)(e.amountMinor, e.currency),
        capturedAt: e.capturedAt,
    });
}
let Settlement = class Settlement {
};
exports.Settlement = Settlement;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { description: "The PSP's batch id." }),
    __metadata("design:type", String)
], Settlement.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Settlement.prototype, "settledAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Settlement.prototype, "currencyCode", void 0);
exports.Settlement = Settlement = __decorate([
    (0, type_graphql_1.ObjectType)(),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Settlement);
function toSettlement(e) {
    return Object.assign(new Settlement(), { id: e.id, settledAt: e.settledAt, currencyCode: e.currency });
}
let SettlementLine = class SettlementLine {
};
exports.SettlementLine = SettlementLine;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], SettlementLine.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], SettlementLine.prototype, "settlementId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.SettlementLineKind),
    __metadata("design:type", String)
], SettlementLine.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'The capture, refund or dispute this line settles.' }),
    __metadata("design:type", String)
], SettlementLine.prototype, "pspReference", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true, description: 'null: money no order claims (an exception).' }),
    __metadata("design:type", Object)
], SettlementLine.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], SettlementLine.prototype, "gross", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], SettlementLine.prototype, "fee", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], SettlementLine.prototype, "net", void 0);
exports.SettlementLine = SettlementLine = __decorate([
    (0, type_graphql_1.ObjectType)()
], SettlementLine);
function toSettlementLine(e) {
    return Object.assign(new SettlementLine(), {
        id: e.id,
        settlementId: e.settlementId,
        kind: e.kind,
        pspReference: e.pspReference,
        orderId: e.orderId,
        gross: (0, money_type_1.toMoney)(e.grossMinor, e.currency),
        fee: (0, money_type_1.toMoney)(e.feeMinor, e.currency),
        net: (0, money_type_1.toMoney)(e.netMinor, e.currency),
    });
}
//# sourceMappingURL=psp.types.js.map