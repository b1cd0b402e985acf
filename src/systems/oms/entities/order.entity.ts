import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn, versionColumn, stringColumn } from '../../../db/columns';

export enum OrderStatus {
  CREATED = 'CREATED',
  CONFIRMED = 'CONFIRMED',
  SHIPPED = 'SHIPPED',
  COMPLETED = 'COMPLETED',
  CANCELED = 'CANCELED',
  REJECTED = 'REJECTED',
}

@Entity('oms_order')
@Index('idx_oms_order_created', ['createdAt', 'id'])
@Index('idx_oms_order_status_created', ['status', 'createdAt'])
export class OrderEntity {
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: OrderStatus;
  @Column(currencyColumn()) currency: string;
  @Column(moneyColumn()) totalMinor: bigint;
  @Column(idColumn({ nullable: true })) customerId: string | null;
  @Column(timeColumn()) createdAt: Date;
  /** The OMS's version of this record: an older event never overwrites a newer one. */
  @Column(versionColumn()) sourceVersion: bigint;
  @Column(timeColumn()) syncedAt: Date;
  /** Raised by every money transaction of the order: its lock (lockOrder in src/db/transaction.ts). */
  @Column(versionColumn()) lockSeq: bigint;
}
