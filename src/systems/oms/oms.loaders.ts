import { RequestContext } from '../../db/context';
import { manyLoader, oneLoader } from '../../graphql/loader-utils';
import { InteractionEntity, InvoiceDataEntity, InvoiceEntity, OrderEntity } from './entities';

export function createOmsLoaders(ctx: RequestContext) {
  return {
    orderById: oneLoader<string, OrderEntity>(ctx, OrderEntity, 'id'),
    invoiceById: oneLoader<string, InvoiceEntity>(ctx, InvoiceEntity, 'id'),
    invoicesByOrderId: manyLoader<string, InvoiceEntity>(ctx, InvoiceEntity, 'orderId', { issuedAt: 'ASC', id: 'ASC' }),
    interactionsByOrderId: manyLoader<string, InteractionEntity>(ctx, InteractionEntity, 'orderId', { occurredAt: 'ASC', id: 'ASC' }),
    invoiceDataByOrderId: manyLoader<string, InvoiceDataEntity>(ctx, InvoiceDataEntity, 'orderId', { invoiceId: 'ASC' }),
  };
}

declare module '../../graphql/context' {
  interface Loaders extends ReturnType<typeof createOmsLoaders> {}
}
