import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timeColumn } from '../../../db/columns';

export enum InteractionSource {
  OMS = 'OMS',
  MONEYGRAPH = 'MONEYGRAPH',
}

/** The order's timeline ("Invoice Notification", "Refund Payment", …). */
@Entity('oms_interaction')
@Index('idx_oms_interaction_order', ['orderId', 'occurredAt'])
export class InteractionEntity {
  /** Upstream id, or a deterministic key for the ones moneygraph writes (idempotent on retry). */
  @PrimaryColumn({ type: 'varchar', length: 128 }) id: string;
  @Column(idColumn()) orderId: string;
  @Column({ type: 'varchar', length: 64 }) kind: string;
  @Column({ type: 'varchar', length: 1024 }) message: string;
  @Column({ type: 'varchar', length: 16 }) source: InteractionSource;
  @Column({ type: 'varchar', length: 64, nullable: true }) refundId: string | null;
  @Column(timeColumn()) occurredAt: Date;
}
