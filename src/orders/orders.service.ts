import { RequestContext } from '../db/context';
import { hydrateRows } from '../db/entity-rows';
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
  // One hand-written statement, hydrated as TypeORM would (db/entity-rows.ts): the page is read on every analyst's request.
  const where: string[] = [];
  const params: unknown[] = [];
  const and = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (filter.status?.length) and('o.`status` IN (?)', filter.status);
  if (filter.createdFrom) and('o.`created_at` >= ?', filter.createdFrom);
  if (filter.createdTo) and('o.`created_at` < ?', filter.createdTo);
  if (filter.currencyCode) and('o.`currency` = ?', filter.currencyCode);
  // An OMS that refunds return invoices by itself leaves moneygraph nothing to refund (its misses are exceptions).
  const pending = ctx.app.connectors.oms.capabilities.refundsReturnInvoicesItself ? 'FALSE' : pendingRefundExistsSql('o.id');
  if (filter.hasPendingRefund === true) and(pending);
  if (filter.hasPendingRefund === false) and(`NOT ${pending}`);
  if (after) {
    const { at, id } = decodeTimeCursor(after);
    and('(o.`created_at` < ? OR (o.`created_at` = ? AND o.`id` < ?))', at, at, id);
  }
  const rows = (await ctx.manager.query(
    `SELECT o.* FROM \`oms_order\` o${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY o.\`created_at\` DESC, o.\`id\` DESC LIMIT ?`,
    [...params, size + 1],
  )) as Record<string, unknown>[];
  return hydrateRows(ctx.manager, OrderEntity, rows);
}
