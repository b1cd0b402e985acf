import { RequestContext } from '../../db/context';
import { hydrateRows } from '../../db/entity-rows';
import { readTogether } from '../../db/read-batch';
import { manyLoader, oneLoader, PeekableLoader } from '../../graphql/loader-utils';
import { CaptureEntity, PaymentEntity, SettlementEntity, SettlementLineEntity } from './entities';

/** Every payment of the orders, each with its captures (none: no capture row), ordered as capturesByPaymentId orders them. */
const CAPTURES_OF_PAYMENTS_SQL =
  'SELECT c.*, p.`id` AS `payment_key`, p.`order_id` AS `payment_order_id` FROM `psp_payment` p ' +
  'LEFT JOIN `psp_capture` c ON c.`payment_id` = p.`id` WHERE p.`order_id` IN (?) ORDER BY p.`id`, c.`captured_at` ASC, c.`id` ASC';

/**
 * By order id: the captures of each of the order's payments, by payment id, read in one statement
 * with no need of the payments first. A page of orders reads it beside its other lists and answers
 * capturesByPaymentId with it for each payment it found (orders/read-ahead.ts); a payment without
 * captures is there with [].
 */
function capturesOfPaymentsByOrderId(ctx: RequestContext): PeekableLoader<string, ReadonlyMap<string, CaptureEntity[]>> {
  return new PeekableLoader(async (orderIds) => {
    const manager = ctx.manager;
    const rows = (await readTogether(ctx, CAPTURES_OF_PAYMENTS_SQL, [orderIds], orderIds.length)) as Record<string, unknown>[];
    const captures = hydrateRows(
      manager,
      CaptureEntity,
      rows.filter((r) => r.id !== null),
    );
    const byOrder = new Map<unknown, Map<string, CaptureEntity[]>>();
    let next = 0;
    for (const r of rows) {
      let payments = byOrder.get(r.payment_order_id);
      if (!payments) byOrder.set(r.payment_order_id, (payments = new Map()));
      let list = payments.get(r.payment_key as string);
      if (!list) payments.set(r.payment_key as string, (list = []));
      if (r.id !== null) list.push(captures[next++]!);
    }
    return orderIds.map((id) => byOrder.get(id) ?? new Map());
  }, ctx.app.config.loaderMaxBatch);
}

export function createPspLoaders(ctx: RequestContext) {
  return {
    paymentById: oneLoader<string, PaymentEntity>(ctx, PaymentEntity, 'id'),
    paymentsByOrderId: manyLoader<string, PaymentEntity>(ctx, PaymentEntity, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
    captureById: oneLoader<string, CaptureEntity>(ctx, CaptureEntity, 'id'),
    capturesByOrderId: manyLoader<string, CaptureEntity>(ctx, CaptureEntity, 'orderId', { capturedAt: 'ASC', id: 'ASC' }),
    capturesByPaymentId: manyLoader<string, CaptureEntity>(ctx, CaptureEntity, 'paymentId', { capturedAt: 'ASC', id: 'ASC' }),
    capturesOfPaymentsByOrderId: capturesOfPaymentsByOrderId(ctx),
    settlementById: oneLoader<string, SettlementEntity>(ctx, SettlementEntity, 'id'),
    settlementLinesByOrderId: manyLoader<string, SettlementLineEntity>(ctx, SettlementLineEntity, 'orderId', { id: 'ASC' }),
    settlementLinesBySettlementId: manyLoader<string, SettlementLineEntity>(ctx, SettlementLineEntity, 'settlementId', { id: 'ASC' }),
  };
}

declare module '../../graphql/context' {
  interface Loaders extends ReturnType<typeof createPspLoaders> {}
}
