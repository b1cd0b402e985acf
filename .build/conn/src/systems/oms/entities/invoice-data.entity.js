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
exports.InvoiceDataEntity = exports.InvoiceDataCopy = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../../../db/columns");
var InvoiceDataCopy;
(function (InvoiceDataCopy) {
    /** moneygraph's own copy: changed only in the transaction that records a refund's outcome. */
    InvoiceDataCopy["MONEYGRAPH"] = "MONEYGRAPH";
    /** What the OMS says its copy holds (reported by its webhooks). */
    InvoiceDataCopy["OMS"] = "OMS";
})(InvoiceDataCopy || (exports.InvoiceDataCopy = InvoiceDataCopy = {}));
/** invoiceData: per order and invoice, how much has been refunded and by which refunds. */
let InvoiceDataEntity = class InvoiceDataEntity {
};
exports.InvoiceDataEntity = InvoiceDataEntity;
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], InvoiceDataEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)((0, columns_1.primaryIdColumn)()),
    __metadata("design:type", String)
], InvoiceDataEntity.prototype, "invoiceId", void 0);
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], InvoiceDataEntity.prototype, "copy", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.moneyColumn)()),
    __metadata("design:type", BigInt)
], InvoiceDataEntity.prototype, "refundedMinor", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'simple-json' }),
    __metadata("design:type", Array)
], InvoiceDataEntity.prototype, "refundIds", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.versionColumn)()),
    __metadata("design:type", BigInt)
], InvoiceDataEntity.prototype, "sourceVersion", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], InvoiceDataEntity.prototype, "updatedAt", void 0);
exports.InvoiceDataEntity = InvoiceDataEntity = __decorate([
    (0, typeorm_1.Entity)('oms_invoice_data'),
    (0, typeorm_1.Index)('idx_oms_invoice_data_order', ['orderId'])
], InvoiceDataEntity);
//# sourceMappingURL=invoice-data.entity.js.map