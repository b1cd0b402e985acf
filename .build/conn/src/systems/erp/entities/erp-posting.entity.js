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
exports.ErpPostingEntity = exports.ErpPostingStatus = exports.ErpPostingKind = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var ErpPostingKind;
(function (ErpPostingKind) {
    ErpPostingKind["INVOICE"] = "INVOICE";
    ErpPostingKind["REFUND"] = "REFUND";
    ErpPostingKind["CAPTURE"] = "CAPTURE";
    ErpPostingKind["SETTLEMENT"] = "SETTLEMENT";
})(ErpPostingKind || (exports.ErpPostingKind = ErpPostingKind = {}));
var ErpPostingStatus;
(function (ErpPostingStatus) {
    ErpPostingStatus["POSTED"] = "POSTED";
    ErpPostingStatus["REJECTED"] = "REJECTED";
})(ErpPostingStatus || (exports.ErpPostingStatus = ErpPostingStatus = {}));
let ErpPostingEntity = class ErpPostingEntity {
};
exports.ErpPostingEntity = ErpPostingEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], ErpPostingEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], ErpPostingEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 128 }),
    __metadata("design:type", String)
], ErpPostingEntity.prototype, "externalRef", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], ErpPostingEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], ErpPostingEntity.prototype, "amountMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], ErpPostingEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], ErpPostingEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], ErpPostingEntity.prototype, "reasonCode", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], ErpPostingEntity.prototype, "postedAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.versionColumn)()),
    __metadata("design:type", BigInt)
], ErpPostingEntity.prototype, "sourceVersion", void 0);
exports.ErpPostingEntity = ErpPostingEntity = __decorate([
    (0, typeorm_1.Entity)('erp_posting'),
    (0, typeorm_1.Index)('idx_erp_posting_order', ['orderId'])
    /** Not unique on purpose: a non-idempotent ERP double-posts, and reconciliation must see it. */
    ,
    (0, typeorm_1.Index)('idx_erp_posting_ref', ['externalRef']),
    (0, typeorm_1.Index)('idx_erp_posting_kind_posted', ['kind', 'postedAt'])
], ErpPostingEntity);
//# sourceMappingURL=erp-posting.entity.js.map