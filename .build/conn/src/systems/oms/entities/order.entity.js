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
exports.OrderEntity = exports.OrderStatus = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var OrderStatus;
(function (OrderStatus) {
    OrderStatus["CREATED"] = "CREATED";
    OrderStatus["CONFIRMED"] = "CONFIRMED";
    OrderStatus["SHIPPED"] = "SHIPPED";
    OrderStatus["COMPLETED"] = "COMPLETED";
    OrderStatus["CANCELED"] = "CANCELED";
    OrderStatus["REJECTED"] = "REJECTED";
})(OrderStatus || (exports.OrderStatus = OrderStatus = {}));
let OrderEntity = class OrderEntity {
};
exports.OrderEntity = OrderEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], OrderEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], OrderEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], OrderEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], OrderEntity.prototype, "totalMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)({ nullable: true })),
    __metadata("design:type", Object)
], OrderEntity.prototype, "customerId", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], OrderEntity.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.versionColumn)()),
    __metadata("design:type", BigInt)
], OrderEntity.prototype, "sourceVersion", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], OrderEntity.prototype, "syncedAt", void 0);
exports.OrderEntity = OrderEntity = __decorate([
    (0, typeorm_1.Entity)('oms_order'),
    (0, typeorm_1.Index)('idx_oms_order_created', ['createdAt', 'id']),
    (0, typeorm_1.Index)('idx_oms_order_status_created', ['status', 'createdAt'])
], OrderEntity);
//# sourceMappingURL=order.entity.js.map