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
exports.PaymentEntity = exports.PaymentMethodStatus = exports.PaymentMethodKind = exports.PaymentStatus = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var PaymentStatus;
(function (PaymentStatus) {
    PaymentStatus["AUTHORIZED"] = "AUTHORIZED";
    /** Captured. */
    PaymentStatus["COMPLETED"] = "COMPLETED";
    PaymentStatus["CANCELED"] = "CANCELED";
    PaymentStatus["FAILED"] = "FAILED";
})(PaymentStatus || (exports.PaymentStatus = PaymentStatus = {}));
var PaymentMethodKind;
(function (PaymentMethodKind) {
    PaymentMethodKind["CARD"] = "CARD";
    PaymentMethodKind["BANK_ACCOUNT"] = "BANK_ACCOUNT";
    PaymentMethodKind["WALLET"] = "WALLET";
})(PaymentMethodKind || (exports.PaymentMethodKind = PaymentMethodKind = {}));
var PaymentMethodStatus;
(function (PaymentMethodStatus) {
    PaymentMethodStatus["ACTIVE"] = "ACTIVE";
    PaymentMethodStatus["CANCELED"] = "CANCELED";
    PaymentMethodStatus["EXPIRED"] = "EXPIRED";
    PaymentMethodStatus["DELETED"] = "DELETED";
})(PaymentMethodStatus || (exports.PaymentMethodStatus = PaymentMethodStatus = {}));
let PaymentEntity = class PaymentEntity {
};
exports.PaymentEntity = PaymentEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], PaymentEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], PaymentEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], PaymentEntity.prototype, "method", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], PaymentEntity.prototype, "paymentMethodId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], PaymentEntity.prototype, "paymentMethodStatus", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], PaymentEntity.prototype, "customerId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], PaymentEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'boolean', default: false }),
    __metadata("design:type", Boolean)
], PaymentEntity.prototype, "disputed", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], PaymentEntity.prototype, "authorizedMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], PaymentEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], PaymentEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.versionColumn)()),
    __metadata("design:type", BigInt)
], PaymentEntity.prototype, "sourceVersion", void 0);
exports.PaymentEntity = PaymentEntity = __decorate([
    (0, typeorm_1.Entity)('psp_payment'),
    (0, typeorm_1.Index)('idx_psp_payment_order', ['orderId']),
    (0, typeorm_1.Index)('idx_psp_payment_method', ['paymentMethodId'])
], PaymentEntity);
//# sourceMappingURL=payment.entity.js.map