"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditEntryEntity = exports.redact = exports.writeAudit = void 0;
/**
 * Audit module: owns the audit log. Every mutation and decision writes one row, in the same
 * transaction as the change it records.
 */
var audit_service_1 = require("./audit.service");
Object.defineProperty(exports, "writeAudit", { enumerable: true, get: function () { return audit_service_1.writeAudit; } });
Object.defineProperty(exports, "redact", { enumerable: true, get: function () { return audit_service_1.redact; } });
var audit_entry_entity_1 = require("./audit-entry.entity");
Object.defineProperty(exports, "AuditEntryEntity", { enumerable: true, get: function () { return audit_entry_entity_1.AuditEntryEntity; } });
//# sourceMappingURL=index.js.map