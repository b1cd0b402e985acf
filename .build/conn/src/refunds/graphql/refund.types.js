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
exports.PendingRefunds = exports.PaymentRefundable = exports.InvoicePendingRefund = exports.Refund = void 0;
exports.toRefund = toRefund;
exports.toPendingRefunds = toPendingRefunds;
const type_graphql_1 = require("type-graphql");
const money_type_1 = require("../../graphql/money.type");
const entities_1 = require("../entities");
const pending_refunds_1 = require("../pending-refunds");
(0, type_graphql_1.registerEnumType)(entities_1.RefundStatus, { name: 'RefundStatus', description: 'REQUESTED → SUBMITTED → SUCCEEDED | FAILED' });
(0, type_graphql_1.registerEnumType)(entities_1.RefundKind, { name: 'RefundKind' });
(0, type_graphql_1.registerEnumType)(entities_1.RefundOrigin, { name: 'RefundOrigin' });
(0, type_graphql_1.registerEnumType)(pending_refunds_1.PendingAction, { name: 'PendingRefundAction' });
let Refund = class Refund {
};
exports.Refund = Refund;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Refund.prototype, "id", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], Refund.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true, description: 'The INPUT invoice this refund is allocated to.' }),
    __metadata("design:type", Object)
], Refund.prototype, "invoiceId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "paymentId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "paymentMethodId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.RefundKind),
    __metadata("design:type", String)
], Refund.prototype, "kind", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.RefundOrigin),
    __metadata("design:type", String)
], Refund.prototype, "origin", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], Refund.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => entities_1.RefundStatus),
    __metadata("design:type", String)
], Refund.prototype, "status", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'The idempotency key sent to the PSP; never changes across retries.' }),
    __metadata("design:type", String)
], Refund.prototype, "merchantTransactionId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "pspRefundId", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", String)
], Refund.prototype, "reason", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true, description: 'Canonical error code when FAILED.' }),
    __metadata("design:type", Object)
], Refund.prototype, "errorCode", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "errorMessage", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true, description: "The PSP's answer, verbatim (JSON)." }),
    __metadata("design:type", Object)
], Refund.prototype, "receipt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => String, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "requestedBy", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Refund.prototype, "createdAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(),
    __metadata("design:type", Date)
], Refund.prototype, "updatedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "submittedAt", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => Date, { nullable: true }),
    __metadata("design:type", Object)
], Refund.prototype, "completedAt", void 0);
exports.Refund = Refund = __decorate([
    (0, type_graphql_1.ObjectType)(),
    (0, type_graphql_1.Directive)('@key(fields: "id")')
], Refund);
function toRefund(e) {
    return Object.assign(new Refund(), {
        id: e.id,
        orderId: e.orderId,
        invoiceId: e.invoiceId,
        paymentId: e.paymentId,
        paymentMethodId: e.paymentMethodId,
        kind: e.kind,
        origin: e.origin,
        amount: (0, money_type_1.toMoney)(e.amountMinor, e.currency),
        status: e.status,
        merchantTransactionId: e.merchantTransactionId,
        pspRefundId: e.pspRefundId,
        reason: e.reason,
        errorCode: e.errorCode,
        errorMessage: e.errorMessage,
        receipt: e.receipt,
        requestedBy: e.requestedBy,
        createdAt: e.createdAt,
        updatedAt: e.updatedAt,
        submittedAt: e.submittedAt,
        completedAt: e.completedAt,
    });
}
let InvoicePendingRefund = class InvoicePendingRefund {
};
exports.InvoicePendingRefund = InvoicePendingRefund;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], InvoicePendingRefund.prototype, "invoiceId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'The return invoice amount.' }),
    __metadata("design:type", money_type_1.Money)
], InvoicePendingRefund.prototype, "amount", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Refunds allocated to it that SUCCEEDED (from the refund ledger).' }),
    __metadata("design:type", money_type_1.Money)
], InvoicePendingRefund.prototype, "succeeded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'Refunds allocated to it still REQUESTED or SUBMITTED.' }),
    __metadata("design:type", money_type_1.Money)
], InvoicePendingRefund.prototype, "inFlight", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'amount − succeeded − inFlight (never below zero).' }),
    __metadata("design:type", money_type_1.Money)
], InvoicePendingRefund.prototype, "pending", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [type_graphql_1.ID], { description: 'The succeeded refunds counted.' }),
    __metadata("design:type", Array)
], InvoicePendingRefund.prototype, "refundIds", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { nullable: true, description: "What moneygraph's invoiceData says was refunded." }),
    __metadata("design:type", Object)
], InvoicePendingRefund.prototype, "invoiceDataRefunded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { nullable: true, description: "What the OMS's invoiceData says was refunded (null: not reported)." }),
    __metadata("design:type", Object)
], InvoicePendingRefund.prototype, "omsInvoiceDataRefunded", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: "moneygraph's invoiceData disagrees with the ledger." }),
    __metadata("design:type", Boolean)
], InvoicePendingRefund.prototype, "drift", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: "The OMS's invoiceData disagrees with the ledger." }),
    __metadata("design:type", Boolean)
], InvoicePendingRefund.prototype, "omsDrift", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => pending_refunds_1.PendingAction),
    __metadata("design:type", String)
], InvoicePendingRefund.prototype, "nextAction", void 0);
exports.InvoicePendingRefund = InvoicePendingRefund = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'The pending-refund calculation for one INPUT invoice, every term visible.' })
], InvoicePendingRefund);
let PaymentRefundable = class PaymentRefundable {
};
exports.PaymentRefundable = PaymentRefundable;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], PaymentRefundable.prototype, "paymentId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PaymentRefundable.prototype, "captured", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PaymentRefundable.prototype, "refunded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PaymentRefundable.prototype, "inFlight", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'captured − refunded − inFlight.' }),
    __metadata("design:type", money_type_1.Money)
], PaymentRefundable.prototype, "refundable", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'Captured, not disputed, something left.' }),
    __metadata("design:type", Boolean)
], PaymentRefundable.prototype, "refundableNow", void 0);
exports.PaymentRefundable = PaymentRefundable = __decorate([
    (0, type_graphql_1.ObjectType)()
], PaymentRefundable);
let PendingRefunds = class PendingRefunds {
};
exports.PendingRefunds = PendingRefunds;
__decorate([
    (0, type_graphql_1.Field)(() => type_graphql_1.ID),
    __metadata("design:type", String)
], PendingRefunds.prototype, "orderId", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [InvoicePendingRefund]),
    __metadata("design:type", Array)
], PendingRefunds.prototype, "invoices", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PendingRefunds.prototype, "totalPending", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PendingRefunds.prototype, "totalSucceeded", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money),
    __metadata("design:type", money_type_1.Money)
], PendingRefunds.prototype, "totalInFlight", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => [PaymentRefundable]),
    __metadata("design:type", Array)
], PendingRefunds.prototype, "payments", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => money_type_1.Money, { description: 'What the payments that can be refunded now still hold.' }),
    __metadata("design:type", money_type_1.Money)
], PendingRefunds.prototype, "refundable", void 0);
__decorate([
    (0, type_graphql_1.Field)({ description: 'Any invoiceData copy disagrees with the ledger.' }),
    __metadata("design:type", Boolean)
], PendingRefunds.prototype, "drift", void 0);
__decorate([
    (0, type_graphql_1.Field)(() => pending_refunds_1.PendingAction),
    __metadata("design:type", String)
], PendingRefunds.prototype, "nextAction", void 0);
exports.PendingRefunds = PendingRefunds = __decorate([
    (0, type_graphql_1.ObjectType)({ description: 'The pending-refund calculation of an order.' })
], PendingRefunds);
function toPendingRefunds(orderId, currency, p) {
    const m = (v) => (0, money_type_1.toMoney)(v, currency);
    return Object.assign(new PendingRefunds(), {
        orderId,
        invoices: p.invoices.map((i) => Object.assign(new InvoicePendingRefund(), {
            invoiceId: i.invoiceId,
            amount: m(i.amountMinor),
            succeeded: m(i.succeededMinor),
            inFlight: m(i.inFlightMinor),
            pending: m(i.pendingMinor),
            refundIds: i.refundIds,
            invoiceDataRefunded: i.invoiceDataRefundedMinor === null ? null : m(i.invoiceDataRefundedMinor),
            omsInvoiceDataRefunded: i.omsInvoiceDataRefundedMinor === null ? null : m(i.omsInvoiceDataRefundedMinor),
            drift: i.drift,
            omsDrift: i.omsDrift,
            nextAction: i.nextAction,
        })),
        totalPending: m(p.totalPendingMinor),
        totalSucceeded: m(p.totalSucceededMinor),
        totalInFlight: m(p.totalInFlightMinor),
        payments: p.payments.map((x) => Object.assign(new PaymentRefundable(), {
            paymentId: x.paymentId,
            captured: (0, money_type_1.toMoney)(x.capturedMinor, x.currency),
            refunded: (0, money_type_1.toMoney)(x.refundedMinor, x.currency),
            inFlight: (0, money_type_1.toMoney)(x.inFlightMinor, x.currency),
            refundable: (0, money_type_1.toMoney)(x.refundableMinor, x.currency),
            refundableNow: x.refundableNow,
        })),
        refundable: m(p.refundableMinor),
        drift: p.drift,
        nextAction: p.nextAction,
    });
}
//# sourceMappingURL=refund.types.js.map