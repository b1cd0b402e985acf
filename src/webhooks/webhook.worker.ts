/**
 * The webhook retry worker: applies stored events that are not applied yet — stored by a request
 * that died before applying them (RECEIVED past WEBHOOK_RETRY_AFTER_MS), whose apply failed
 * (FAILED) or that wait for a record or the upstream's own word (WAITING) — each when its backoff
 * is due. Idempotent: applyStored claims the event under a row lock and skips a PROCESSED one.
 */
import { AppServices, RequestContext } from '../db/context';
import { PeriodicWorker } from '../shared/periodic-worker';
import { applyStoredRow, StoredRow } from './webhook.service';

export interface WebhookRetryRound {
  due: number;
  processed: number;
  waiting: number;
  failed: number;
}

/** One round over due unapplied events, oldest schedule first. `ignoreSchedule` (tests, CLI) takes every unapplied event now. */
export async function runWebhookRetryRound(app: AppServices, opts: { ignoreSchedule?: boolean; limit?: number } = {}): Promise<WebhookRetryRound> {
  const ctx = RequestContext.system(app);
  const now = ctx.now;
  const due: (StoredRow & { id: string; next_attempt_at: Date | null })[] = await ctx.manager.query(
    `SELECT id, source, event_id, event_type, payload, next_attempt_at FROM webhook_event
     WHERE status IN ('RECEIVED', 'FAILED', 'WAITING') AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
     ORDER BY next_attempt_at, id LIMIT ?`,
    [opts.ignoreSchedule ? new Date('9999-12-31T00:00:00Z') : now, opts.limit ?? app.config.webhooks.batchSize],
  );
  const out: WebhookRetryRound = { due: due.length, processed: 0, waiting: 0, failed: 0 };
  for (const row of due) {
    // Claimed by moving its schedule on (another replica's worker then skips it); the apply itself
    // is serialised by the event's row lock whatever happens here.
    const claim = await ctx.manager.query('UPDATE webhook_event SET next_attempt_at = ? WHERE id = ? AND (next_attempt_at <=> ?)', [
      new Date(now.getTime() + app.config.webhooks.retryAfterMs),
      row.id,
      row.next_attempt_at,
    ]);
    if ((claim as { affectedRows?: number }).affectedRows !== 1) continue;
    const r = await applyStoredRow(ctx, row);
    if (r.status === 200 && r.result === 'waiting') out.waiting++;
    else if (r.status === 200) out.processed++;
    else out.failed++;
  }
  if (out.processed || out.failed) ctx.log.info({ ...out }, 'webhook retry round');
  return out;
}

export class WebhookRetryWorker extends PeriodicWorker {
  constructor(private readonly app: AppServices) {
    super('webhook retry', app.logger, 0);
  }

  async tick(): Promise<number> {
    const r = await runWebhookRetryRound(this.app);
    return r.due >= this.app.config.webhooks.batchSize ? 0 : this.app.config.webhooks.pollIntervalMs;
  }

  protected retryDelayMs(): number {
    return this.app.config.webhooks.pollIntervalMs;
  }
}
