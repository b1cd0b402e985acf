import { RequestContext } from '../db/context';
import { manyLoader, oneLoader } from '../graphql/loader-utils';
import { RefundEntity } from './entities';

export function createRefundLoaders(ctx: RequestContext) {
  return {
    refundById: oneLoader<string, RefundEntity>(ctx, RefundEntity, 'id'),
    refundsByOrderId: manyLoader<string, RefundEntity>(ctx, RefundEntity, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
    refundsByPaymentId: manyLoader<string, RefundEntity>(ctx, RefundEntity, 'paymentId', { createdAt: 'ASC', id: 'ASC' }),
  };
}

declare module '../graphql/context' {
  interface Loaders extends ReturnType<typeof createRefundLoaders> {}
}
