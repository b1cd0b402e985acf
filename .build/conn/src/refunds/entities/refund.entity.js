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
exports.RefundEntity = exports.RefundOrigin = exports.RefundKind = exports.RefundStatus = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../db/columns");
var RefundStatus;
(function (RefundStatus) {
    RefundStatus["REQUESTED"] = "REQUESTED";
    RefundStatus["SUBMITTED"] = "SUBMITTED";
    RefundStatus["SUCCEEDED"] = "SUCCEEDED";
    RefundStatus["FAILED"] = "FAILED";
})(RefundStatus || (exports.RefundStatus = RefundStatus = {}));
var RefundKind;
(function (RefundKind) {
    /** Against a payment (paymentId). */
    RefundKind["LINKED"] = "LINKED";
    /** A credit to a payment method (paymentMethodId), not tied to a payment. */
    RefundKind["UNLINKED"] = "UNLINKED";
})(RefundKind || (exports.RefundKind = RefundKind = {}));
var RefundOrigin;
(function (RefundOrigin) {
    /** Issued through moneygraph. */
    RefundOrigin["MONEYGRAPH"] = "MONEYGRAPH";
    /** Seen at the PSP without moneygraph having issued it (PSP console, another system). */
    RefundOrigin["PSP"] = "PSP";
})(RefundOrigin || (exports.RefundOrigin = RefundOrigin = {}));
/** The refund ledger: the pending-refund calculation reads these rows, never a counter. */
let RefundEntity = class RefundEntity {
};
exports.RefundEntity = RefundEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 36 }),
    __metadata("design:type", String)
], RefundEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], RefundEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "invoiceId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "paymentId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "paymentMethodId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], RefundEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], RefundEntity.prototype, "origin", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], RefundEntity.prototype, "amountMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], RefundEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], RefundEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], RefundEntity.prototype, "merchantTransactionId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "pspRefundId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], RefundEntity.prototype, "reason", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], RefundEntity.prototype, "errorCode", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 512, nullable: true }),
    __metadata("design:type", Object)
], RefundEntity.prototype, "errorMessage", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true }),
    __metadata("design:type", Object)
], RefundEntity.prototype, "receipt", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 128, nullable: true }),
    __metadata("design:type", Object)
], RefundEntity.prototype, "requestedBy", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'int', default: 0 }),
    __metadata("design:type", Number)
], RefundEntity.prototype, "attempts", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], RefundEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], RefundEntity.prototype, "updatedAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "submittedAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)({ nullable: true })),
    __metadata("design:type", Object)
], RefundEntity.prototype, "completedAt", void 0);
exports.RefundEntity = RefundEntity = __decorate([
    (0, typeorm_1.Entity)('refund'),
    (0, typeorm_1.Index)('idx_refund_order', ['orderId']),
    (0, typeorm_1.Index)('idx_refund_invoice', ['invoiceId']),
    (0, typeorm_1.Index)('idx_refund_status_updated', ['status', 'updatedAt']),
    (0, typeorm_1.Index)('uq_refund_merchant_tx', ['merchantTransactionId'], { unique: true }),
    (0, typeorm_1.Index)('uq_refund_psp_refund', ['pspRefundId'], { unique: true })
], RefundEntity);
//# sourceMappingURL=refund.entity.js.map