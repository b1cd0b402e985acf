import { RefundEntity } from './refund.entity';

export * from './refund.entity';
export const REFUND_ENTITIES = [RefundEntity];
