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
exports.InvoiceEntity = exports.InvoiceKind = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var InvoiceKind;
(function (InvoiceKind) {
    /** A sale. */
    InvoiceKind["OUTPUT"] = "OUTPUT";
    /** A return: a demand for a refund of its amount. */
    InvoiceKind["INPUT"] = "INPUT";
})(InvoiceKind || (exports.InvoiceKind = InvoiceKind = {}));
let InvoiceEntity = class InvoiceEntity {
};
exports.InvoiceEntity = InvoiceEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], InvoiceEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.idColumn)()),
    __metadata("design:type", String)
], InvoiceEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 8 }),
    __metadata("design:type", String)
], InvoiceEntity.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], InvoiceEntity.prototype, "amountMinor", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.currencyColumn)()),
    __metadata("design:type", String)
], InvoiceEntity.prototype, "currency", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], InvoiceEntity.prototype, "issuedAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.versionColumn)()),
    __metadata("design:type", BigInt)
], InvoiceEntity.prototype, "sourceVersion", void 0);
exports.InvoiceEntity = InvoiceEntity = __decorate([
    (0, typeorm_1.Entity)('oms_invoice'),
    (0, typeorm_1.Index)('idx_oms_invoice_order', ['orderId'])
], InvoiceEntity);
//# sourceMappingURL=invoice.entity.js.map