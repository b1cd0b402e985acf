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
exports.AuditEntryEntity = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../db/columns");
/** Who did what, when, with which arguments and outcome: written in the transaction of the change. */
let AuditEntryEntity = class AuditEntryEntity {
};
exports.AuditEntryEntity = AuditEntryEntity;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)({ type: 'bigint' }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 128 }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "subject", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "role", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "operation", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text' }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "arguments", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], AuditEntryEntity.prototype, "orderId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "requestId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 96 }),
    __metadata("design:type", String)
], AuditEntryEntity.prototype, "outcome", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], AuditEntryEntity.prototype, "occurredAt", void 0);
exports.AuditEntryEntity = AuditEntryEntity = __decorate([
    (0, typeorm_1.Entity)('audit_log'),
    (0, typeorm_1.Index)('idx_audit_occurred', ['occurredAt', 'id']),
    (0, typeorm_1.Index)('idx_audit_subject', ['subject', 'occurredAt']),
    (0, typeorm_1.Index)('idx_audit_order', ['orderId', 'occurredAt'])
], AuditEntryEntity);
//# sourceMappingURL=audit-entry.entity.js.map