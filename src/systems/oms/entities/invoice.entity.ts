import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn, versionColumn, stringColumn } from '../../../db/columns';

export enum InvoiceKind {
  /** A sale. */
  OUTPUT = 'OUTPUT',
  /** A return: a demand for a refund of its amount. */
  INPUT = 'INPUT',
}

@Entity('oms_invoice')
@Index('idx_oms_invoice_order', ['orderId'])
export class InvoiceEntity {
  /** The invoice number. */
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(idColumn()) orderId: string;
  @Column(stringColumn({ type: 'varchar', length: 8 })) kind: InvoiceKind;
  @Column(moneyColumn()) amountMinor: bigint;
  @Column(currencyColumn()) currency: string;
  @Column(timeColumn()) issuedAt: Date;
  @Column(versionColumn()) sourceVersion: bigint;
}
