/**
 * What people do with the outbox: list its messages (dead letters included) and put dead ones back
 * in the queue. Every retry call, accepted or refused, writes one audit row.
 */
import { writeAudit } from '../audit';
import { RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { BusinessError, ErrorCode } from '../shared/errors';
import { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';

/** The most messages one retry call may name or select. */
export const MAX_RETRY_IDS = 500;

export interface OutboxListFilter {
  status?: OutboxStatus[];
  topic?: string;
  orderId?: string;
}

/** Newest first (id DESC), up to `limit` rows with id below `beforeId`. */
export async function listOutboxMessages(ctx: RequestContext, f: OutboxListFilter, limit: number, beforeId?: string): Promise<OutboxMessageEntity[]> {
  const qb = ctx.manager.getRepository(OutboxMessageEntity).createQueryBuilder('m');
  if (f.status?.length) qb.andWhere('m.status IN (:...status)', { status: f.status });
  if (f.topic) qb.andWhere('m.topic = :topic', { topic: f.topic });
  if (f.orderId) qb.andWhere('m.orderId = :orderId', { orderId: f.orderId });
  if (beforeId) qb.andWhere('m.id < :id', { id: beforeId });
  return qb.orderBy('m.id', 'DESC').take(limit).getMany();
}

export interface RetryInput {
  ids?: string[] | null;
  filter?: { topic?: string | null; orderId?: string | null } | null;
}

export interface RetryResult {
  retried: OutboxMessageEntity[];
  userErrors: BusinessError[];
}

/**
 * Puts DEAD messages back to PENDING, due now, with their attempts reset (the last error is kept
 * until the next attempt). By ids: every id must be a DEAD message, or nothing changes. By filter:
 * the oldest MAX_RETRY_IDS DEAD messages of that topic and/or order.
 */
export async function retryOutboxMessages(ctx: RequestContext, input: RetryInput): Promise<RetryResult> {
  const args = { input };
  const result = await withTransaction(ctx, async (tx) => {
    let rows: { id: string; status: OutboxStatus; order_id: string | null }[];
    const errors: BusinessError[] = [];
    if (input.ids) {
      const ids = [...new Set(input.ids)];
      rows = await tx.manager.query('SELECT id, status, order_id FROM outbox_message WHERE id IN (?) ORDER BY id FOR UPDATE', [ids]);
      const found = new Map(rows.map((r) => [String(r.id), r]));
      input.ids.forEach((id, i) => {
        const r = found.get(id);
        if (!r) errors.push(new BusinessError(ErrorCode.OUTBOX_MESSAGE_NOT_FOUND, `No outbox message ${id}`, ['input', 'ids', String(i)]));
        else if (r.status !== OutboxStatus.DEAD) {
          errors.push(
            new BusinessError(ErrorCode.OUTBOX_MESSAGE_NOT_DEAD, `Outbox message ${id} is ${r.status}, not DEAD: only dead messages are retried`, ['input', 'ids', String(i)]),
          );
        }
      });
    } else {
      const where = ["status = 'DEAD'"];
      const params: unknown[] = [];
      if (input.filter?.topic) {
        where.push('topic = ?');
        params.push(input.filter.topic);
      }
      if (input.filter?.orderId) {
        where.push('order_id = ?');
        params.push(input.filter.orderId);
      }
      rows = await tx.manager.query(`SELECT id, status, order_id FROM outbox_message WHERE ${where.join(' AND ')} ORDER BY id LIMIT ? FOR UPDATE`, [...params, MAX_RETRY_IDS]);
      if (rows.length === 0) errors.push(new BusinessError(ErrorCode.NO_DEAD_OUTBOX_MESSAGES, 'No DEAD outbox message matches the filter', ['input', 'filter']));
    }
    const orders = [...new Set(rows.map((r) => r.order_id))];
    const orderId = input.filter?.orderId ?? (orders.length === 1 ? orders[0] : null);
    if (errors.length) return { errors, orderId, ids: [] as string[] };
    const ids = rows.map((r) => String(r.id));
    const now = tx.now;
    await tx.manager.query(
      `UPDATE outbox_message SET status = 'PENDING', attempts = 0, next_attempt_at = ?, locked_until = NULL, updated_at = ? WHERE id IN (?) AND status = 'DEAD'`,
      [now, now, ids],
    );
    await writeAudit(tx, { operation: 'retryOutboxMessages', args: { ...args, retriedIds: ids }, orderId, outcome: 'SUCCEEDED' });
    return { errors, orderId, ids };
  });
  const [refusal] = result.errors;
  if (refusal) {
    await auditRetryRefusal(ctx, input, refusal.code, result.orderId);
    return { retried: [], userErrors: result.errors };
  }
  const retried = await ctx.manager.getRepository(OutboxMessageEntity).createQueryBuilder('m').where('m.id IN (:...ids)', { ids: result.ids }).orderBy('m.id').getMany();
  return { retried, userErrors: [] };
}

/** A refused or invalid retry call: audited, nothing else changes. */
export function auditRetryRefusal(ctx: RequestContext, input: unknown, code: string, orderId: string | null = null): Promise<void> {
  return writeAudit(ctx, { operation: 'retryOutboxMessages', args: { input }, orderId, outcome: `REJECTED:${code}` });
}
