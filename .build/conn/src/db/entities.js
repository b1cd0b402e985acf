"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENTITIES = void 0;
/** Every entity of every module, for the DataSource. Modules own their tables; this only lists them. */
const entities_1 = require("../systems/oms/entities");
const entities_2 = require("../systems/psp/entities");
const entities_3 = require("../systems/erp/entities");
const entities_4 = require("../refunds/entities");
const webhook_event_entity_1 = require("../webhooks/webhook-event.entity");
const audit_entry_entity_1 = require("../audit/audit-entry.entity");
const order_hold_entity_1 = require("../reconciliation/order-hold.entity");
exports.ENTITIES = [...entities_1.OMS_ENTITIES, ...entities_2.PSP_ENTITIES, ...entities_3.ERP_ENTITIES, ...entities_4.REFUND_ENTITIES, webhook_event_entity_1.WebhookEventEntity, audit_entry_entity_1.AuditEntryEntity, order_hold_entity_1.OrderHoldEntity];
//# sourceMappingURL=entities.js.map