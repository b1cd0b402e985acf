/**
 * Webhook ingestion: verify the HMAC over the raw bytes, store the raw event, dedupe by
 * (source, event id), then apply it in one transaction with marking it processed.
 * Nothing is parsed before the signature verifies, and nothing a verified event reports is
 * dropped: an event that cannot be applied yet waits (WAITING, with what it waits for) and is
 * applied when that arrives; one whose apply failed, or that a crash left stored but unapplied, is
 * applied again by the retry worker (webhook.worker.ts) with backoff, and dead-lettered after
 * WEBHOOK_MAX_ATTEMPTS failures.
 */
import { createHash } from 'node:crypto';
import { hmacSignature, verifyHmacSignature } from '../shared/hmac-signature';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { faultPoint } from '../shared/fault-points';
import { NotApplicableYet } from '../core/not-applicable-yet';
import { WebhookPayloadError } from '../shared/payload';
import { WebhookEventStatus, WebhookSource } from './webhook-event.entity';
import { truncate, truncateOrNull } from '../shared/text';

export type WebhookOutcome =
  | { status: 401; error: string }
  | { status: 400; error: string; eventId: string }
  /** `waiting`: stored, not applicable yet (see webhookEvents for why); it will be applied without another delivery. */
  | { status: 200; eventId: string; duplicate: boolean; result: 'processed' | 'ignored' | 'waiting' }
  | { status: 500; error: string; eventId: string };

export const sign = hmacSignature;

export async function receiveWebhook(ctx: RequestContext, source: WebhookSource, raw: Buffer, headers: { signature?: string; eventId?: string }): Promise<WebhookOutcome> {
  if (!verifyHmacSignature(ctx.app.config.webhookSecrets[source], raw, headers.signature)) {
    return { status: 401, error: 'invalid signature' };
  }
  return receiveVerifiedWebhook(ctx, source, raw, headers.eventId);
}

/**
 * Stores and applies an event whose signature is verified (by the HMAC above, or by a vendor
 * adapter's inbound-webhook port). `defer`: answer once it is stored and apply it after the answer
 * (a sender that must be answered within seconds, e.g. VTEX's Orders Hook); the retry worker
 * applies it should this process die first.
 */
export async function receiveVerifiedWebhook(
  ctx: RequestContext,
  source: WebhookSource,
  raw: Buffer,
  eventIdHeader: string | undefined,
  opts: { defer?: boolean } = {},
): Promise<WebhookOutcome> {
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
  const headerId = eventIdHeader?.trim();
  const givenId = headerId || (typeof b.id === 'string' ? b.id : '');
  // Never cut to a prefix: two events sharing 191 characters would be one "duplicate" and the second never applied.
  if ([...givenId].length > 191) return { status: 400, error: 'event id is longer than 191 characters', eventId: `sha256:${createHash('sha256').update(givenId).digest('hex')}` };
  const eventId = givenId || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const eventType = typeof b.type === 'string' ? b.type : typeof b.name === 'string' ? b.name : null;
  if (!parseError && !eventType) parseError = 'body has neither "type" nor "name"';

  // Stored, or counted as a replay of the stored one, in one statement (affectedRows: 1 new, 2 replay).
  // If this request dies before applying it, the retry worker takes it after WEBHOOK_RETRY_AFTER_MS.
  const stored = await ctx.manager.query(
    `INSERT INTO webhook_event (source, event_id, event_type, signature_valid, payload, status, error, replay_count, received_at, processed_at, next_attempt_at)
     VALUES (?, ?, ?, 1, ?, ?, ?, 0, ?, NULL, ?)
     ON DUPLICATE KEY UPDATE replay_count = replay_count + 1`,
    [
      source,
      eventId,
      truncateOrNull(eventType, 64) ?? null,
      text,
      parseError ? WebhookEventStatus.REJECTED : WebhookEventStatus.RECEIVED,
      parseError,
      ctx.now,
      parseError ? null : new Date(ctx.now.getTime() + ctx.app.config.webhooks.retryAfterMs),
    ],
  );
  if ((stored as { affectedRows?: number }).affectedRows !== 1) {
    const [existing]: { status: WebhookEventStatus; error: string | null }[] = await ctx.manager.query(
      'SELECT status, error FROM webhook_event WHERE source = ? AND event_id = ?',
      [source, eventId],
    );
    if (!existing) throw new Error(`webhook event ${source}/${eventId} was stored but cannot be read back`);
    if (existing.status === WebhookEventStatus.PROCESSED) return { status: 200, eventId, duplicate: true, result: 'processed' };
    if (existing.status === WebhookEventStatus.REJECTED) return { status: 400, error: existing.error ?? 'rejected', eventId };
  }
  if (parseError) return { status: 400, error: parseError, eventId };
  await faultPoint(ctx, 'webhook.stored');
  if (opts.defer) {
    setImmediate(() => {
      applyStored(ctx, source, eventId, eventType!, body).catch((err: unknown) =>
        ctx.log.error({ err, source, eventId }, 'deferred webhook apply failed; the retry worker applies it'),
      );
    });
    return { status: 200, eventId, duplicate: (stored as { affectedRows?: number }).affectedRows !== 1, result: 'waiting' };
  }
  return applyStored(ctx, source, eventId, eventType!, body);
}

/**
 * Applies a stored event: the live delivery, a redelivery, the retry worker and the wake-up of a
 * WAITING event all come here. Idempotent: the event row is claimed under a lock, and an event
 * already PROCESSED (or REJECTED) is left alone.
 */
async function applyStored(ctx: RequestContext, source: WebhookSource, eventId: string, type: string, body: unknown): Promise<WebhookOutcome> {
  const applier = ctx.app.webhookAppliers[source];
  const known = applier?.eventTypes.includes(type) ?? false;
  let orderId: string | null = null;
  try {
    const applied = await withTransaction(ctx, async (tx) => {
      // Claim the event under a row lock so two concurrent deliveries cannot both apply it.
      const [row]: { id: string; status: WebhookEventStatus }[] = await tx.manager.query('SELECT id, status FROM webhook_event WHERE source = ? AND event_id = ? FOR UPDATE', [
        source,
        eventId,
      ]);
      if (!row || row.status === WebhookEventStatus.PROCESSED || row.status === WebhookEventStatus.REJECTED) return false;
      if (known) orderId = await applier!.apply(tx, type, body);
      await markProcessed(tx, row.id, known ? null : `ignored: unknown event type "${truncate(type, 64)}"`);
      await faultPoint(tx, 'webhook.apply', tx);
      return true;
    });
    if (applied) await wakeWaiting(ctx, [...(orderId ? [`order:${orderId}`] : []), ...(applier?.madeKnown?.(type, body) ?? [])]);
    return { status: 200, eventId, duplicate: false, result: known ? 'processed' : 'ignored' };
  } catch (err) {
    if (err instanceof NotApplicableYet) return waitFor(ctx, source, eventId, err);
    const isPayload = err instanceof WebhookPayloadError;
    const message = isPayload ? err.message : 'internal error while applying the event';
    if (!isPayload) ctx.log.error({ err, source, eventId }, 'webhook apply failed');
    if (isPayload) {
      await ctx.manager.query('UPDATE webhook_event SET status = ?, error = ?, next_attempt_at = NULL WHERE source = ? AND event_id = ?', [
        WebhookEventStatus.REJECTED,
        truncate(message, 1024),
        source,
        eventId,
      ]);
      return { status: 400, error: message, eventId };
    }
    const dead = await reschedule(ctx, source, eventId, WebhookEventStatus.FAILED, message, null);
    if (dead) ctx.log.error({ source, eventId }, 'webhook event dead-lettered: it kept failing to apply');
    return { status: 500, error: 'could not apply the event; retry later', eventId };
  }
}

/** Marks the event applied, in the transaction that applied it (the statement travels with COMMIT). */
async function markProcessed(tx: RequestContext, id: string, note: string | null): Promise<void> {
  await tx.later('UPDATE webhook_event SET status = ?, processed_at = ?, error = ?, waiting_for = NULL, next_attempt_at = NULL WHERE id = ?', [
    WebhookEventStatus.PROCESSED,
    tx.now,
    truncateOrNull(note, 1024) ?? null,
    id,
  ]);
}

/**
 * The event waits for `d.waitingFor`. When the wait names a settle step (read the upstream's own
 * record), it runs now, outside any transaction, and applies the event through that record.
 */
async function waitFor(ctx: RequestContext, source: WebhookSource, eventId: string, d: NotApplicableYet): Promise<WebhookOutcome> {
  await reschedule(ctx, source, eventId, WebhookEventStatus.WAITING, d.reason, d.waitingFor);
  if (d.settle) {
    try {
      const settled = await d.settle(ctx, async (tx, note) => {
        const [row]: { id: string; status: WebhookEventStatus }[] = await tx.manager.query('SELECT id, status FROM webhook_event WHERE source = ? AND event_id = ? FOR UPDATE', [
          source,
          eventId,
        ]);
        if (row && row.status !== WebhookEventStatus.PROCESSED) await markProcessed(tx, row.id, note);
      });
      if (settled) return { status: 200, eventId, duplicate: false, result: 'processed' };
    } catch (err) {
      if (err instanceof NotApplicableYet) await reschedule(ctx, source, eventId, WebhookEventStatus.WAITING, err.reason, err.waitingFor);
      else ctx.log.error({ err, source, eventId }, 'webhook event could not be settled now; it stays WAITING and is retried');
    }
  }
  ctx.log.info({ source, eventId, waitingFor: d.waitingFor }, d.reason);
  return { status: 200, eventId, duplicate: false, result: 'waiting' };
}

/**
 * One more attempt that did not apply the event: it is kept with its reason and scheduled again
 * with exponential backoff. A FAILED event past WEBHOOK_MAX_ATTEMPTS is dead-lettered (DEAD);
 * a WAITING one keeps waiting. Resolves to true when the event went DEAD.
 */
async function reschedule(ctx: RequestContext, source: WebhookSource, eventId: string, status: WebhookEventStatus, reason: string, waitingFor: string | null): Promise<boolean> {
  const cfg = ctx.app.config.webhooks;
  const [row]: { attempts: number }[] = await ctx.manager.query('SELECT attempts FROM webhook_event WHERE source = ? AND event_id = ?', [source, eventId]);
  const attempts = (row?.attempts ?? 0) + 1;
  const dead = status === WebhookEventStatus.FAILED && attempts >= cfg.maxAttempts;
  const delay = Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
  const next = dead ? null : new Date(ctx.now.getTime() + delay / 2 + Math.floor(Math.random() * (delay / 2)));
  await ctx.manager.query(
    `UPDATE webhook_event SET status = ?, error = ?, waiting_for = ?, attempts = ?, next_attempt_at = ? WHERE source = ? AND event_id = ? AND status <> 'PROCESSED'`,
    [dead ? WebhookEventStatus.DEAD : status, truncate(reason, 1024), waitingFor, attempts, next, source, eventId],
  );
  return dead;
}

/**
 * Applies the events WAITING for any of `keys` (a record that just became known here): called
 * after an event or a syncOrder made an order or payment known.
 */
export async function wakeWaiting(ctx: RequestContext, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const rows: StoredRow[] = await ctx.manager.query(
    `SELECT source, event_id, event_type, payload FROM webhook_event WHERE waiting_for IN (?) AND status = 'WAITING' ORDER BY id LIMIT 1000`,
    [keys],
  );
  for (const r of rows) await applyStoredRow(ctx, r);
  return rows.length;
}

export interface StoredRow {
  source: WebhookSource;
  event_id: string;
  event_type: string | null;
  payload: string;
}

/** Applies an event as stored (the retry worker, a wake-up). */
export async function applyStoredRow(ctx: RequestContext, r: StoredRow): Promise<WebhookOutcome> {
  let body: unknown;
  try {
    body = JSON.parse(r.payload);
  } catch {
    body = null;
  }
  if (!r.event_type || body === null || typeof body !== 'object') {
    await ctx.manager.query(`UPDATE webhook_event SET status = 'REJECTED', error = ?, next_attempt_at = NULL WHERE source = ? AND event_id = ?`, [
      'the stored body is not a JSON object with a type',
      r.source,
      r.event_id,
    ]);
    return { status: 400, error: 'the stored body is not a JSON object with a type', eventId: r.event_id };
  }
  return applyStored(ctx, r.source, r.event_id, r.event_type, body);
}
