"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redact = redact;
exports.writeAudit = writeAudit;
const audit_entry_entity_1 = require("./audit-entry.entity");
const SECRET_KEYS = /(secret|token|password|authorization|apikey|api_key|card|cvv|iban)/i;
/** Removes values whose key looks secret, at any depth; bigint becomes its decimal string. */
function redact(value, depth = 0) {
    if (depth > 6)
        return '[…]';
    if (typeof value === 'bigint')
        return value.toString();
    if (Array.isArray(value))
        return value.slice(0, 100).map((v) => redact(v, depth + 1));
    if (value && typeof value === 'object' && !(value instanceof Date)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]));
    }
    return value;
}
/**
 * Writes the audit row. Call it with the transaction's context so the row commits (or rolls back)
 * with the change it describes.
 */
async function writeAudit(ctx, a) {
    await ctx.manager.getRepository(audit_entry_entity_1.AuditEntryEntity).insert({
        subject: ctx.actor.subject.slice(0, 128),
        role: ctx.actor.role,
        operation: a.operation.slice(0, 64),
        arguments: JSON.stringify(redact(a.args)).slice(0, 60_000),
        orderId: a.orderId ?? null,
        requestId: ctx.requestId.slice(0, 64),
        outcome: a.outcome.slice(0, 96),
        occurredAt: ctx.now,
    });
}
//# sourceMappingURL=audit.service.js.map