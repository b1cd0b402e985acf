import { CaptureEntity } from './capture.entity';
import { PaymentEntity } from './payment.entity';
import { SettlementEntity, SettlementLineEntity } from './settlement.entity';

export * from './payment.entity';
export * from './capture.entity';
export * from './settlement.entity';
export const PSP_ENTITIES = [PaymentEntity, CaptureEntity, SettlementEntity, SettlementLineEntity];
