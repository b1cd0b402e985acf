import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn } from '../../../db/columns';

@Entity('psp_capture')
@Index('idx_psp_capture_payment', ['paymentId'])
@Index('idx_psp_capture_order', ['orderId'])
export class CaptureEntity {
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(idColumn()) paymentId: string;
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(moneyColumn()) amountMinor: bigint;
  @Column(currencyColumn()) currency: string;
  @Column(timeColumn()) capturedAt: Date;
}
