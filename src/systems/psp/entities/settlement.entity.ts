import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn, stringColumn } from '../../../db/columns';

export enum SettlementLineKind {
  CAPTURE = 'CAPTURE',
  REFUND = 'REFUND',
  FEE = 'FEE',
  CHARGEBACK = 'CHARGEBACK',
}

@Entity('psp_settlement')
@Index('idx_psp_settlement_settled', ['settledAt', 'id'])
export class SettlementEntity {
  /** The PSP's batch id. */
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(currencyColumn()) currency: string;
  @Column(timeColumn()) settledAt: Date;
}

@Entity('psp_settlement_line')
@Index('idx_psp_settlement_line_settlement', ['settlementId'])
@Index('idx_psp_settlement_line_order', ['orderId'])
@Index('idx_psp_settlement_line_ref', ['pspReference'])
export class SettlementLineEntity {
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(idColumn()) settlementId: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) kind: SettlementLineKind;
  /** The capture, refund or dispute this line settles. */
  @Column(idColumn()) pspReference: string;
  /** null: the PSP settled money that no order claims — an exception. */
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(moneyColumn()) grossMinor: bigint;
  @Column(moneyColumn()) feeMinor: bigint;
  @Column(moneyColumn()) netMinor: bigint;
  @Column(currencyColumn()) currency: string;
}
