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
exports.InteractionEntity = exports.InteractionSource = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var InteractionSource;
(function (InteractionSource) {
    InteractionSource["OMS"] = "OMS";
    InteractionSource["MONEYGRAPH"] = "MONEYGRAPH";
})(InteractionSource || (exports.InteractionSource = InteractionSource = {}));
/** The order's timeline ("Invoice Notification", "Refund Payment", …). */
let InteractionEntity = class InteractionEntity {
};
exports.InteractionEntity = InteractionEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 128 }),
    __metadata("design:type", String)
], InteractionEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], InteractionEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], InteractionEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 1024 }),
    __metadata("design:type", String)
], InteractionEntity.prototype, "message", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], InteractionEntity.prototype, "source", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], InteractionEntity.prototype, "refundId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], InteractionEntity.prototype, "occurredAt", void 0);
exports.InteractionEntity = InteractionEntity = __decorate([
    (0, typeorm_1.Entity)('oms_interaction'),
    (0, typeorm_1.Index)('idx_oms_interaction_order', ['orderId', 'occurredAt'])
], InteractionEntity);
//# sourceMappingURL=interaction.entity.js.map