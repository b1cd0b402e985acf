import { RequestContext } from '../../db/context';
import { manyLoader, oneLoader } from '../../graphql/loader-utils';
import { CaptureEntity, PaymentEntity, SettlementEntity, SettlementLineEntity } from './entities';

export function createPspLoaders(ctx: RequestContext) {
  return {
    paymentById: oneLoader<string, PaymentEntity>(ctx, PaymentEntity, 'id'),
    paymentsByOrderId: manyLoader<string, PaymentEntity>(ctx, PaymentEntity, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
    captureById: oneLoader<string, CaptureEntity>(ctx, CaptureEntity, 'id'),
    capturesByOrderId: manyLoader<string, CaptureEntity>(ctx, CaptureEntity, 'orderId', { capturedAt: 'ASC', id: 'ASC' }),
    capturesByPaymentId: manyLoader<string, CaptureEntity>(ctx, CaptureEntity, 'paymentId', { capturedAt: 'ASC', id: 'ASC' }),
    settlementById: oneLoader<string, SettlementEntity>(ctx, SettlementEntity, 'id'),
    settlementLinesByOrderId: manyLoader<string, SettlementLineEntity>(ctx, SettlementLineEntity, 'orderId', { id: 'ASC' }),
    settlementLinesBySettlementId: manyLoader<string, SettlementLineEntity>(ctx, SettlementLineEntity, 'settlementId', { id: 'ASC' }),
  };
}

declare module '../../graphql/context' {
  interface Loaders extends ReturnType<typeof createPspLoaders> {}
}
