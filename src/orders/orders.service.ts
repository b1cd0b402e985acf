import { Brackets } from 'typeorm';
import { RequestContext } from '../db/context';
import { decodeTimeCursor } from '../shared/cursor';
import { InputError } from '../shared/errors';
import { OrderEntity, OrderStatus } from '../systems/oms';
import { pendingRefundExistsSql } from '../refunds';

export interface OrdersFilter {
  status?: OrderStatus[] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  currencyCode?: string | null;
  hasPendingRefund?: boolean | null;
}

/** Newest first, keyset-paged; fetches one row more than asked to know whether a next page exists. */
export async function listOrders(ctx: RequestContext, filter: OrdersFilter, size: number, after?: string | null): Promise<OrderEntity[]> {
  if (filter.createdFrom && filter.createdTo && filter.createdTo < filter.createdFrom) {
    throw new InputError('`createdTo` must not be before `createdFrom`', 'filter.createdTo');
  }
  const qb = ctx.manager.getRepository(OrderEntity).createQueryBuilder('o');
  if (filter.status?.length) qb.andWhere('o.status IN (:...status)', { status: filter.status });
  if (filter.createdFrom) qb.andWhere('o.createdAt >= :from', { from: filter.createdFrom });
  if (filter.createdTo) qb.andWhere('o.createdAt < :to', { to: filter.createdTo });
  if (filter.currencyCode) qb.andWhere('o.currency = :cur', { cur: filter.currencyCode });
  // An OMS that refunds return invoices by itself leaves moneygraph nothing to refund (its misses are exceptions).
  const pending = ctx.app.connectors.oms.capabilities.refundsReturnInvoicesItself ? 'FALSE' : pendingRefundExistsSql('o.id');
  if (filter.hasPendingRefund === true) qb.andWhere(pending);
  if (filter.hasPendingRefund === false) qb.andWhere(`NOT ${pending}`);
  if (after) {
    const { at, id } = decodeTimeCursor(after);
    qb.andWhere(new Brackets((w) => w.where('o.createdAt < :at', { at }).orWhere('(o.createdAt = :at AND o.id < :id)', { at, id })));
  }
  return qb
    .orderBy('o.createdAt', 'DESC')
    .addOrderBy('o.id', 'DESC')
    .take(size + 1)
    .getMany();
}
