import { AppServices, RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { faultPoint } from '../shared/fault-points';
import type { OutboxMessage } from './outbox';
import { PeriodicWorker } from '../shared/periodic-worker';
import { truncate } from '../shared/text';

interface Row {
  id: string;
  topic: string;
  dedupe_key: string;
  order_id: string | null;
  payload: string;
  attempts: number;
}

export interface RoundResult {
  claimed: number;
  done: number;
  retried: number;
  dead: number;
}

/**
 * Claims due messages in a short transaction (FOR UPDATE SKIP LOCKED, so any number of replicas
 * share the queue without blocking each other), runs the handlers outside any transaction, then
 * marks each done, or reschedules it with exponential backoff, or dead-letters it.
 */
export async function runOutboxRound(app: AppServices, opts: { ignoreSchedule?: boolean; limit?: number } = {}): Promise<RoundResult> {
  const ctx = RequestContext.system(app);
  const cfg = app.config.outbox;
  const now = ctx.now;
  // OUTBOX_CLAIM_MS outlasts the longest handler (checked at start, src/shared/upstream-bounds.ts).
  const leaseUntil = new Date(now.getTime() + cfg.claimMs);
  const limit = opts.limit ?? cfg.batchSize;
  const rows = await withTransaction(ctx, async (tx) => {
    // A worker that died holding messages loses them when its claim expires.
    await tx.manager.query(`UPDATE outbox_message SET status = 'PENDING', locked_until = NULL WHERE status = 'RUNNING' AND locked_until < ?`, [now]);
    const due: { id: string }[] = await tx.manager.query(
      `SELECT id FROM outbox_message WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [opts.ignoreSchedule ? new Date('9999-12-31T00:00:00Z') : now, limit],
    );
    if (due.length === 0) return [] as Row[];
    const ids = due.map((d) => d.id);
    await tx.manager.query(`UPDATE outbox_message SET status = 'RUNNING', attempts = attempts + 1, locked_until = ?, updated_at = ? WHERE id IN (?)`, [leaseUntil, now, ids]);
    await faultPoint(tx, 'outbox.claim', tx);
    return (await tx.manager.query(`SELECT id, topic, dedupe_key, order_id, payload, attempts FROM outbox_message WHERE id IN (?)`, [ids])) as Row[];
  });
  const result: RoundResult = { claimed: rows.length, done: 0, retried: 0, dead: 0 };
  if (rows.length === 0) return result;

  const handlers = app.outboxHandlers;
  const done: string[] = [];
  await Promise.all(
    rows.map(async (r) => {
      const msg: OutboxMessage = { id: String(r.id), topic: r.topic, dedupeKey: r.dedupe_key, orderId: r.order_id, payload: JSON.parse(r.payload), attempts: r.attempts };
      const handler = handlers.get(r.topic);
      try {
        if (!handler) throw new Error(`no handler for outbox topic "${r.topic}"`);
        await handler(RequestContext.system(app), msg);
        done.push(msg.id);
      } catch (err) {
        const dead = r.attempts >= cfg.maxAttempts;
        const delay = Math.min(cfg.retryMaxMs, cfg.retryBaseMs * 2 ** Math.min(r.attempts - 1, 30));
        const next = new Date(app.clock.now().getTime() + delay / 2 + Math.floor(Math.random() * (delay / 2)));
        const message = err instanceof Error ? err.message : String(err);
        (dead ? app.logger.error : app.logger.warn).call(
          app.logger,
          { err, topic: r.topic, dedupeKey: r.dedupe_key, attempts: r.attempts },
          dead ? 'outbox message dead-lettered' : 'outbox message will be retried',
        );
        await ctx.manager.query(
          `UPDATE outbox_message SET status = ?, next_attempt_at = ?, locked_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND status = 'RUNNING'`,
          [dead ? 'DEAD' : 'PENDING', next, truncate(message, 1024), app.clock.now(), msg.id],
        );
        if (dead) result.dead++;
        else result.retried++;
      }
    }),
  );
  if (done.length) {
    await faultPoint(app, 'outbox.handled');
    const at = app.clock.now();
    await ctx.manager.query(
      `UPDATE outbox_message SET status = 'DONE', done_at = ?, locked_until = NULL, last_error = NULL, updated_at = ? WHERE id IN (?) AND status = 'RUNNING'`,
      [at, at, done],
    );
    result.done = done.length;
  }
  return result;
}

/**
 * Runs rounds, ignoring backoff schedules, while they deliver something (tests, the demo, the
 * CLI). A round in which every message failed ends the drain: those stay scheduled for the worker,
 * so an upstream that is down does not burn their attempts in a tight loop.
 */
export async function drainOutbox(app: AppServices, opts: { maxRounds?: number } = {}): Promise<RoundResult> {
  const total: RoundResult = { claimed: 0, done: 0, retried: 0, dead: 0 };
  for (let i = 0; i < (opts.maxRounds ?? 200); i++) {
    const r = await runOutboxRound(app, { ignoreSchedule: true });
    total.claimed += r.claimed;
    total.done += r.done;
    total.retried += r.retried;
    total.dead += r.dead;
    if (r.claimed === 0 || r.done === 0) break;
  }
  return total;
}

/** Polls for due messages; a full batch is followed at once by the next round. */
export class OutboxWorker extends PeriodicWorker {
  constructor(private readonly app: AppServices) {
    super('outbox', app.logger, 0);
  }

  async tick(): Promise<number> {
    const r = await runOutboxRound(this.app);
    return r.claimed >= this.app.config.outbox.batchSize ? 0 : this.app.config.outbox.pollIntervalMs;
  }

  protected retryDelayMs(): number {
    return this.app.config.outbox.pollIntervalMs;
  }
}
