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
exports.WebhookEventEntity = exports.WebhookEventStatus = exports.WebhookSource = void 0;
const typeorm_1 = require("typeorm");
const columns_1 = require("../db/columns");
var WebhookSource;
(function (WebhookSource) {
    WebhookSource["OMS"] = "OMS";
    WebhookSource["PSP"] = "PSP";
    WebhookSource["ERP"] = "ERP";
})(WebhookSource || (exports.WebhookSource = WebhookSource = {}));
var WebhookEventStatus;
(function (WebhookEventStatus) {
    WebhookEventStatus["RECEIVED"] = "RECEIVED";
    WebhookEventStatus["PROCESSED"] = "PROCESSED";
    /** Valid signature, but the body could not be understood: kept for inspection. */
    WebhookEventStatus["REJECTED"] = "REJECTED";
    /** Understood, but applying it failed; it can be replayed. */
    WebhookEventStatus["FAILED"] = "FAILED";
})(WebhookEventStatus || (exports.WebhookEventStatus = WebhookEventStatus = {}));
let WebhookEventEntity = class WebhookEventEntity {
};
exports.WebhookEventEntity = WebhookEventEntity;
__decorate([
    (0, typeorm_1.PrimaryGeneratedColumn)({ type: 'bigint' }),
    __metadata("design:type", String)
], WebhookEventEntity.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 8 }),
    __metadata("design:type", String)
], WebhookEventEntity.prototype, "source", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 191 }),
    __metadata("design:type", String)
], WebhookEventEntity.prototype, "eventId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], WebhookEventEntity.prototype, "eventType", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'boolean' }),
    __metadata("design:type", Boolean)
], WebhookEventEntity.prototype, "signatureValid", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'longtext' }),
    __metadata("design:type", String)
], WebhookEventEntity.prototype, "payload", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], WebhookEventEntity.prototype, "status", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 1024, nullable: true }),
    __metadata("design:type", Object)
], WebhookEventEntity.prototype, "error", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'int', default: 0 }),
    __metadata("design:type", Number)
], WebhookEventEntity.prototype, "replayCount", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)()),
    __metadata("design:type", Date)
], WebhookEventEntity.prototype, "receivedAt", void 0);
__decorate([
    (0, typeorm_1.Column)((0, columns_1.timeColumn)({ nullable: true })),
    __metadata("design:type", Object)
], WebhookEventEntity.prototype, "processedAt", void 0);
exports.WebhookEventEntity = WebhookEventEntity = __decorate([
    (0, typeorm_1.Entity)('webhook_event'),
    (0, typeorm_1.Index)('uq_webhook_source_event', ['source', 'eventId'], { unique: true }),
    (0, typeorm_1.Index)('idx_webhook_status_received', ['status', 'receivedAt'])
], WebhookEventEntity);
//# sourceMappingURL=webhook-event.entity.js.map