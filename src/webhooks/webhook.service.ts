/**
 * Webhook ingestion: verify the HMAC over the raw bytes, store the raw event, dedupe by
 * (source, event id), then apply it in one transaction with marking it processed.
 * Nothing is parsed before the signature verifies.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { faultPoint } from '../shared/fault-points';
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

  // Stored, or counted as a replay of the stored one, in one statement (affectedRows: 1 new, 2 replay).
  const stored = await ctx.manager.query(
    `INSERT INTO webhook_event (source, event_id, event_type, signature_valid, payload, status, error, replay_count, received_at, processed_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, 0, ?, NULL)
     ON DUPLICATE KEY UPDATE replay_count = replay_count + 1`,
    [source, eventId, eventType?.slice(0, 64) ?? null, text, parseError ? WebhookEventStatus.REJECTED : WebhookEventStatus.RECEIVED, parseError, ctx.now],
  );
  if ((stored as { affectedRows?: number }).affectedRows !== 1) {
    const [existing]: { status: WebhookEventStatus; error: string | null }[] = await ctx.manager.query(
      'SELECT status, error FROM webhook_event WHERE source = ? AND event_id = ?',
      [source, eventId],
    );
    if (existing.status === WebhookEventStatus.PROCESSED) return { status: 200, eventId, duplicate: true, result: 'processed' };
    if (existing.status === WebhookEventStatus.REJECTED) return { status: 400, error: existing.error ?? 'rejected', eventId };
  }
  if (parseError) return { status: 400, error: parseError, eventId };
  await faultPoint(ctx, 'webhook.stored');
  return applyStored(ctx, source, eventId, eventType!, body);
}

/** Applies a stored event; also the path of a manual replay of a FAILED event. */
export async function applyStored(ctx: RequestContext, source: WebhookSource, eventId: string, type: string, body: unknown): Promise<WebhookOutcome> {
  const known = KNOWN_TYPES[source].includes(type);
  try {
    await withTransaction(ctx, async (tx) => {
      // Claim the event under a row lock so two concurrent deliveries cannot both apply it.
      const [row]: { id: string; status: WebhookEventStatus }[] = await tx.manager.query(
        'SELECT id, status FROM webhook_event WHERE source = ? AND event_id = ? FOR UPDATE',
        [source, eventId],
      );
      if (!row || row.status === WebhookEventStatus.PROCESSED) return;
      if (known) await APPLY[source](tx, type, body);
      await tx.manager.query('UPDATE webhook_event SET status = ?, processed_at = ?, error = ? WHERE id = ?', [
        WebhookEventStatus.PROCESSED, tx.now, known ? null : `ignored: unknown event type "${type.slice(0, 64)}"`, row.id,
      ]);
      await faultPoint(tx, 'webhook.apply', tx);
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
