/**
 * Webhook ingestion: verify the HMAC over the raw bytes, store the raw event, dedupe by
 * (source, event id), then apply it in one transaction with marking it processed.
 * Nothing is parsed before the signature verifies.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { applyOmsEvent, OMS_EVENT_TYPES } from '../systems/oms/oms.webhooks';
import { applyPspEvent, PSP_REFUND_EVENT_NAMES } from '../systems/psp/psp.webhooks';
import { applyErpEvent } from '../systems/erp/erp.webhooks';
import { WebhookPayloadError } from './payload';
import { WebhookEventEntity, WebhookEventStatus, WebhookSource } from './webhook-event.entity';

const KNOWN_TYPES: Record<WebhookSource, readonly string[]> = {
  OMS: OMS_EVENT_TYPES,
  PSP: ['payment.upserted', 'capture.created', 'settlement.closed', ...PSP_REFUND_EVENT_NAMES],
  ERP: ['posting.created'],
};

const APPLY: Record<WebhookSource, (tx: RequestContext, type: string, body: unknown) => Promise<string | null>> = {
  OMS: applyOmsEvent,
  PSP: applyPspEvent,
  ERP: applyErpEvent,
};

export type WebhookOutcome =
  | { status: 401; error: string }
  | { status: 400; error: string; eventId: string }
  | { status: 200; eventId: string; duplicate: boolean; result: 'processed' | 'ignored' }
  | { status: 500; error: string; eventId: string };

export function sign(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export function verifySignature(secret: string, raw: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, raw));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function receiveWebhook(
  ctx: RequestContext,
  source: WebhookSource,
  raw: Buffer,
  headers: { signature?: string; eventId?: string },
): Promise<WebhookOutcome> {
  if (!verifySignature(ctx.app.config.webhookSecrets[source], raw, headers.signature)) {
    return { status: 401, error: 'invalid signature' };
  }
  const text = raw.toString('utf8');
  let body: unknown;
  let parseError: string | null = null;
  try {
    body = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) parseError = 'body must be a JSON object';
  } catch {
    parseError = 'body is not valid JSON';
  }
  const b = (body ?? {}) as Record<string, unknown>;
  const headerId = headers.eventId?.trim();
  const eventId = (headerId || (typeof b.id === 'string' ? b.id : '')).slice(0, 191) || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const eventType = typeof b.type === 'string' ? b.type : typeof b.name === 'string' ? b.name : null;
  if (!parseError && !eventType) parseError = 'body has neither "type" nor "name"';

  const repo = ctx.manager.getRepository(WebhookEventEntity);
  const existing = await repo.findOne({ where: { source, eventId } });
  if (existing) {
    await repo.increment({ id: existing.id }, 'replayCount', 1);
    if (existing.status === WebhookEventStatus.PROCESSED) return { status: 200, eventId, duplicate: true, result: 'processed' };
    if (existing.status === WebhookEventStatus.REJECTED) return { status: 400, error: existing.error ?? 'rejected', eventId };
  } else {
    try {
      await repo.insert({
        source,
        eventId,
        eventType: eventType?.slice(0, 64) ?? null,
        signatureValid: true,
        payload: text,
        status: parseError ? WebhookEventStatus.REJECTED : WebhookEventStatus.RECEIVED,
        error: parseError,
        receivedAt: ctx.now,
        processedAt: null,
      });
    } catch (err) {
      // A concurrent delivery of the same event won the insert: treat this one as its replay.
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY') return receiveWebhook(ctx, source, raw, headers);
      throw err;
    }
  }
  if (parseError) return { status: 400, error: parseError, eventId };
  return applyStored(ctx, source, eventId, eventType!, body);
}

/** Applies a stored event; also the path of a manual replay of a FAILED event. */
export async function applyStored(ctx: RequestContext, source: WebhookSource, eventId: string, type: string, body: unknown): Promise<WebhookOutcome> {
  const known = KNOWN_TYPES[source].includes(type);
  try {
    await withTransaction(ctx, async (tx) => {
      const repo = tx.manager.getRepository(WebhookEventEntity);
      // Claim the event under a row lock so two concurrent deliveries cannot both apply it.
      const row = await repo.createQueryBuilder('w').setLock('pessimistic_write').where({ source, eventId }).getOne();
      if (!row || row.status === WebhookEventStatus.PROCESSED) return;
      if (known) await APPLY[source](tx, type, body);
      await repo.update({ id: row.id }, { status: WebhookEventStatus.PROCESSED, processedAt: tx.now, error: known ? null : `ignored: unknown event type "${type.slice(0, 64)}"` });
    });
    return { status: 200, eventId, duplicate: false, result: known ? 'processed' : 'ignored' };
  } catch (err) {
    const isPayload = err instanceof WebhookPayloadError;
    const message = isPayload ? err.message : 'internal error while applying the event';
    if (!isPayload) ctx.log.error({ err, source, eventId }, 'webhook apply failed');
    await ctx.manager
      .getRepository(WebhookEventEntity)
      .update({ source, eventId }, { status: isPayload ? WebhookEventStatus.REJECTED : WebhookEventStatus.FAILED, error: message.slice(0, 1024) });
    return isPayload ? { status: 400, error: message, eventId } : { status: 500, error: 'could not apply the event; retry later', eventId };
  }
}
