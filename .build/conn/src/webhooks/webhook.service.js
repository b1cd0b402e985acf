"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sign = sign;
exports.verifySignature = verifySignature;
exports.receiveWebhook = receiveWebhook;
exports.applyStored = applyStored;
/**
 * Webhook ingestion: verify the HMAC over the raw bytes, store the raw event, dedupe by
 * (source, event id), then apply it in one transaction with marking it processed.
 * Nothing is parsed before the signature verifies.
 */
const node_crypto_1 = require("node:crypto");
const transaction_1 = require("../db/transaction");
const oms_webhooks_1 = require("../systems/oms/oms.webhooks");
const psp_webhooks_1 = require("../systems/psp/psp.webhooks");
const erp_webhooks_1 = require("../systems/erp/erp.webhooks");
const payload_1 = require("./payload");
const webhook_event_entity_1 = require("./webhook-event.entity");
const KNOWN_TYPES = {
    OMS: oms_webhooks_1.OMS_EVENT_TYPES,
    PSP: ['payment.upserted', 'capture.created', 'settlement.closed', ...psp_webhooks_1.PSP_REFUND_EVENT_NAMES],
    ERP: ['posting.created'],
};
const APPLY = {
    OMS: oms_webhooks_1.applyOmsEvent,
    PSP: psp_webhooks_1.applyPspEvent,
    ERP: erp_webhooks_1.applyErpEvent,
};
function sign(secret, raw) {
    return `sha256=${(0, node_crypto_1.createHmac)('sha256', secret).update(raw).digest('hex')}`;
}
function verifySignature(secret, raw, header) {
    if (!header)
        return false;
    const expected = Buffer.from(sign(secret, raw));
    const given = Buffer.from(header.trim());
    return expected.length === given.length && (0, node_crypto_1.timingSafeEqual)(expected, given);
}
async function receiveWebhook(ctx, source, raw, headers) {
    if (!verifySignature(ctx.app.config.webhookSecrets[source], raw, headers.signature)) {
        return { status: 401, error: 'invalid signature' };
    }
    const text = raw.toString('utf8');
    let body;
    let parseError = null;
    try {
        body = JSON.parse(text);
        if (typeof body !== 'object' || body === null || Array.isArray(body))
            parseError = 'body must be a JSON object';
    }
    catch {
        parseError = 'body is not valid JSON';
    }
    const b = (body ?? {});
    const headerId = headers.eventId?.trim();
    const eventId = (headerId || (typeof b.id === 'string' ? b.id : '')).slice(0, 191) || `sha256:${(0, node_crypto_1.createHash)('sha256').update(raw).digest('hex')}`;
    const eventType = typeof b.type === 'string' ? b.type : typeof b.name === 'string' ? b.name : null;
    if (!parseError && !eventType)
        parseError = 'body has neither "type" nor "name"';
    const repo = ctx.manager.getRepository(webhook_event_entity_1.WebhookEventEntity);
    const existing = await repo.findOne({ where: { source, eventId } });
    if (existing) {
        await repo.increment({ id: existing.id }, 'replayCount', 1);
        if (existing.status === webhook_event_entity_1.WebhookEventStatus.PROCESSED)
            return { status: 200, eventId, duplicate: true, result: 'processed' };
        if (existing.status === webhook_event_entity_1.WebhookEventStatus.REJECTED)
            return { status: 400, error: existing.error ?? 'rejected', eventId };
    }
    else {
        try {
            await repo.insert({
                source,
                eventId,
                eventType: eventType?.slice(0, 64) ?? null,
                signatureValid: true,
                payload: text,
                status: parseError ? webhook_event_entity_1.WebhookEventStatus.REJECTED : webhook_event_entity_1.WebhookEventStatus.RECEIVED,
                error: parseError,
                receivedAt: ctx.now,
                processedAt: null,
            });
        }
        catch (err) {
            // A concurrent delivery of the same event won the insert: treat this one as its replay.
            if (err.code === 'ER_DUP_ENTRY')
                return receiveWebhook(ctx, source, raw, headers);
            throw err;
        }
    }
    if (parseError)
        return { status: 400, error: parseError, eventId };
    return applyStored(ctx, source, eventId, eventType, body);
}
/** Applies a stored event; also the path of a manual replay of a FAILED event. */
async function applyStored(ctx, source, eventId, type, body) {
    const known = KNOWN_TYPES[source].includes(type);
    try {
        await (0, transaction_1.withTransaction)(ctx, async (tx) => {
            const repo = tx.manager.getRepository(webhook_event_entity_1.WebhookEventEntity);
            // Claim the event under a row lock so two concurrent deliveries cannot both apply it.
            const row = await repo.createQueryBuilder('w').setLock('pessimistic_write').where({ source, eventId }).getOne();
            if (!row || row.status === webhook_event_entity_1.WebhookEventStatus.PROCESSED)
                return;
            if (known)
                await APPLY[source](tx, type, body);
            await repo.update({ id: row.id }, { status: webhook_event_entity_1.WebhookEventStatus.PROCESSED, processedAt: tx.now, error: known ? null : `ignored: unknown event type "${type.slice(0, 64)}"` });
        });
        return { status: 200, eventId, duplicate: false, result: known ? 'processed' : 'ignored' };
    }
    catch (err) {
        const isPayload = err instanceof payload_1.WebhookPayloadError;
        const message = isPayload ? err.message : 'internal error while applying the event';
        if (!isPayload)
            ctx.log.error({ err, source, eventId }, 'webhook apply failed');
        await ctx.manager
            .getRepository(webhook_event_entity_1.WebhookEventEntity)
            .update({ source, eventId }, { status: isPayload ? webhook_event_entity_1.WebhookEventStatus.REJECTED : webhook_event_entity_1.WebhookEventStatus.FAILED, error: message.slice(0, 1024) });
        return isPayload ? { status: 400, error: message, eventId } : { status: 500, error: 'could not apply the event; retry later', eventId };
    }
}
//# sourceMappingURL=webhook.service.js.map