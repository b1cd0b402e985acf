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
exports.SettlementLineEntity = exports.SettlementEntity = exports.SettlementLineKind = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var SettlementLineKind;
(function (SettlementLineKind) {
    SettlementLineKind["CAPTURE"] = "CAPTURE";
    SettlementLineKind["REFUND"] = "REFUND";
    SettlementLineKind["FEE"] = "FEE";
    SettlementLineKind["CHARGEBACK"] = "CHARGEBACK";
})(SettlementLineKind || (exports.SettlementLineKind = SettlementLineKind = {}));
let SettlementEntity = class SettlementEntity {
};
exports.SettlementEntity = SettlementEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], SettlementEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], SettlementEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], SettlementEntity.prototype, "settledAt", void 0);
exports.SettlementEntity = SettlementEntity = __decorate([
    (0, typeorm_1.Entity)('psp_settlement'),
    (0, typeorm_1.Index)('idx_psp_settlement_settled', ['settledAt', 'id'])
], SettlementEntity);
let SettlementLineEntity = class SettlementLineEntity {
};
exports.SettlementLineEntity = SettlementLineEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], SettlementLineEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], SettlementLineEntity.prototype, "settlementId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], SettlementLineEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], SettlementLineEntity.prototype, "pspReference", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], SettlementLineEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], SettlementLineEntity.prototype, "grossMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], SettlementLineEntity.prototype, "feeMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], SettlementLineEntity.prototype, "netMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], SettlementLineEntity.prototype, "currency", void 0);
exports.SettlementLineEntity = SettlementLineEntity = __decorate([
    (0, typeorm_1.Entity)('psp_settlement_line'),
    (0, typeorm_1.Index)('idx_psp_settlement_line_settlement', ['settlementId']),
    (0, typeorm_1.Index)('idx_psp_settlement_line_order', ['orderId']),
    (0, typeorm_1.Index)('idx_psp_settlement_line_ref', ['pspReference'])
], SettlementLineEntity);
//# sourceMappingURL=settlement.entity.js.map