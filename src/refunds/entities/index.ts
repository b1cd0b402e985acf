import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { RefundEntity } from './refund.entity';

export * from './refund.entity';
export * from './idempotency-key.entity';
export const REFUND_ENTITIES = [RefundEntity, IdempotencyKeyEntity];
