import { RequestContext } from '../db/context';
import { truncate } from '../shared/text';
import { OrderHoldEntity } from './order-hold.entity';

/** Automated refunds and recovery ask this first; an admin's explicit action is not blocked. */
export async function isOrderOnHold(ctx: RequestContext, orderId: string): Promise<boolean> {
  return (await ctx.manager.getRepository(OrderHoldEntity).count({ where: { orderId } })) > 0;
}

export async function holdOrder(tx: RequestContext, h: { orderId: string; exceptionId?: string | null; note: string }): Promise<void> {
  await tx.manager.query(
    `INSERT INTO order_hold (order_id, exception_id, held_by, note, held_at) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE exception_id = VALUES(exception_id), held_by = VALUES(held_by), note = VALUES(note), held_at = VALUES(held_at)`,
    [h.orderId, h.exceptionId ?? null, tx.actor.subject, truncate(h.note, 1024), tx.now],
  );
}

export async function releaseOrder(tx: RequestContext, orderId: string): Promise<boolean> {
  const r = await tx.manager.getRepository(OrderHoldEntity).delete({ orderId });
  return (r.affected ?? 0) > 0;
}
