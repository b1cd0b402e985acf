import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timeColumn, stringColumn } from '../../../db/columns';

export enum InteractionSource {
  OMS = 'OMS',
  MONEYGRAPH = 'MONEYGRAPH',
}

/** The order's timeline ("Invoice Notification", "Refund Payment", …). */
@Entity('oms_interaction')
@Index('idx_oms_interaction_order', ['orderId', 'occurredAt'])
export class InteractionEntity {
  /** Upstream id, or a deterministic key for the ones moneygraph writes (idempotent on retry). */
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 128 })) id: string;
  @Column(idColumn()) orderId: string;
  @Column(stringColumn({ type: 'varchar', length: 64 })) kind: string;
  @Column(stringColumn({ type: 'varchar', length: 1024 })) message: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) source: InteractionSource;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) refundId: string | null;
  @Column(timeColumn()) occurredAt: Date;
}
