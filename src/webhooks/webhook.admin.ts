/**
 * What people do with stored webhook events that were not applied (RECEIVED, FAILED, WAITING,
 * DEAD) or were rejected: apply them again, now, through the same code the retry worker runs — the
 * event is still a claim, checked against the upstream's own record where it needs one. Every call,
 * accepted or refused, writes one audit row.
 */
import { writeAudit } from '../audit';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { BusinessError, ErrorCode } from '../shared/errors';
import { WebhookEventEntity, WebhookEventStatus } from './webhook-event.entity';
import { applyStoredRow, StoredRow } from './webhook.service';

/** The most events one retry call may name: each is applied before the call answers. */
export const MAX_WEBHOOK_RETRY_IDS = 100;

export interface WebhookRetryResult {
  /** The events retried, as they stand after this attempt (PROCESSED when applied). */
  retried: WebhookEventEntity[];
  userErrors: BusinessError[];
}

/**
 * Every id must be a stored event not PROCESSED, or nothing changes. The events are reset (status
 * RECEIVED, attempts 0, the last error kept until the attempt) in one transaction with the audit
 * row, then applied one by one outside it, oldest first.
 */
export async function retryWebhookEvents(ctx: RequestContext, ids: string[]): Promise<WebhookRetryResult> {
  const unique = [...new Set(ids)];
  const result = await withTransaction(ctx, async (tx) => {
    const rows: { id: string; status: WebhookEventStatus }[] = await tx.manager.query('SELECT id, status FROM webhook_event WHERE id IN (?) ORDER BY id FOR UPDATE', [unique]);
    const found = new Map(rows.map((r) => [String(r.id), r]));
    const errors: BusinessError[] = [];
    ids.forEach((id, i) => {
      const r = found.get(id);
      const field = ['input', 'ids', String(i)];
      if (!r) errors.push(new BusinessError(ErrorCode.WEBHOOK_EVENT_NOT_FOUND, `No webhook event ${id}`, field));
      else if (r.status === WebhookEventStatus.PROCESSED) {
        errors.push(new BusinessError(ErrorCode.WEBHOOK_EVENT_ALREADY_APPLIED, `Webhook event ${id} is already applied: only events not applied or rejected are retried`, field));
      }
    });
    if (errors.length) return { errors, ids: [] as string[] };
    const retriedIds = rows.map((r) => String(r.id));
    // Due later than the attempt below, so the retry worker does not take the same events meanwhile
    // (were it to, the event's row lock still lets only one apply it).
    const due = new Date(tx.now.getTime() + tx.app.config.webhooks.retryAfterMs);
    await tx.manager.query(`UPDATE webhook_event SET status = 'RECEIVED', attempts = 0, next_attempt_at = ? WHERE id IN (?) AND status <> 'PROCESSED'`, [due, retriedIds]);
    await writeAudit(tx, {
      operation: 'retryWebhookEvents',
      args: { input: { ids }, retriedIds, was: Object.fromEntries(rows.map((r) => [String(r.id), r.status])) },
      outcome: 'SUCCEEDED',
    });
    return { errors, ids: retriedIds };
  });
  if (result.errors.length) {
    await auditWebhookRetryRefusal(ctx, { ids }, result.errors[0]!.code);
    return { retried: [], userErrors: result.errors };
  }
  const stored: (StoredRow & { id: string })[] = await ctx.manager.query('SELECT id, source, event_id, event_type, payload FROM webhook_event WHERE id IN (?) ORDER BY id', [
    result.ids,
  ]);
  for (const row of stored) await applyStoredRow(ctx, row);
  const retried = await ctx.manager.getRepository(WebhookEventEntity).createQueryBuilder('w').where('w.id IN (:...ids)', { ids: result.ids }).orderBy('w.id').getMany();
  return { retried, userErrors: [] };
}

/** A refused or invalid retry call: audited, nothing else changes. */
export function auditWebhookRetryRefusal(ctx: RequestContext, input: unknown, code: string): Promise<void> {
  return writeAudit(ctx, { operation: 'retryWebhookEvents', args: { input }, outcome: `REJECTED:${code}` });
}
