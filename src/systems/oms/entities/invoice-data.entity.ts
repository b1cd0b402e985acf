import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { primaryIdColumn, moneyColumn, timeColumn, versionColumn, stringColumn } from '../../../db/columns';

export enum InvoiceDataCopy {
  /** moneygraph's own copy: changed only in the transaction that records a refund's outcome. */
  MONEYGRAPH = 'MONEYGRAPH',
  /** What the OMS says its copy holds (reported by its webhooks). */
  OMS = 'OMS',
}

/** invoiceData: per order and invoice, how much has been refunded and by which refunds. */
@Entity('oms_invoice_data')
@Index('idx_oms_invoice_data_order', ['orderId'])
export class InvoiceDataEntity {
  @PrimaryColumn(primaryIdColumn()) orderId: string;
  @PrimaryColumn(primaryIdColumn()) invoiceId: string;
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 16 })) copy: InvoiceDataCopy;
  @Column(moneyColumn()) refundedMinor: bigint;
  @Column(stringColumn({ type: 'simple-json' })) refundIds: string[];
  @Column(versionColumn()) sourceVersion: bigint;
  @Column(timeColumn()) updatedAt: Date;
}
