import { Column, Entity, PrimaryColumn } from 'typeorm';
import { primaryIdColumn, timeColumn, stringColumn } from '../db/columns';

/** An order frozen by a HOLD_AND_ESCALATE decision: no automated refund or recovery touches it. */
@Entity('order_hold')
export class OrderHoldEntity {
  @PrimaryColumn(primaryIdColumn()) orderId: string;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) exceptionId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 128 })) heldBy: string;
  @Column(stringColumn({ type: 'varchar', length: 1024 })) note: string;
  @Column(timeColumn()) heldAt: Date;
}
