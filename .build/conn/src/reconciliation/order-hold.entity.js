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
exports.OrderHoldEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../db/columns");
/** An order frozen by a HOLD_AND_ESCALATE decision: no automated refund or recovery touches it. */
let OrderHoldEntity = class OrderHoldEntity {
};
exports.OrderHoldEntity = OrderHoldEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], OrderHoldEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], OrderHoldEntity.prototype, "exceptionId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 128 }),
    __metadata("design:type", String)
], OrderHoldEntity.prototype, "heldBy", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 1024 }),
    __metadata("design:type", String)
], OrderHoldEntity.prototype, "note", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], OrderHoldEntity.prototype, "heldAt", void 0);
exports.OrderHoldEntity = OrderHoldEntity = __decorate([
    (0, typeorm_1.Entity)('order_hold')
], OrderHoldEntity);
//# sourceMappingURL=order-hold.entity.js.map