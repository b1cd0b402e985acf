import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn, versionColumn, stringColumn } from '../../../db/columns';

export enum ErpPostingKind {
  INVOICE = 'INVOICE',
  REFUND = 'REFUND',
  CAPTURE = 'CAPTURE',
  SETTLEMENT = 'SETTLEMENT',
}

export enum ErpPostingStatus {
  POSTED = 'POSTED',
  REJECTED = 'REJECTED',
}

@Entity('erp_posting')
@Index('idx_erp_posting_order', ['orderId'])
/** Not unique on purpose: a non-idempotent ERP double-posts, and reconciliation must see it. */
@Index('idx_erp_posting_ref', ['externalRef'])
@Index('idx_erp_posting_kind_posted', ['kind', 'postedAt'])
/** Reconciliation joins refunds to postings in externalRef order from this index alone (see src/reconciliation). */
@Index('idx_erp_posting_reconcile', ['externalRef', 'kind', 'status', 'currency', 'amountMinor', 'sourceVersion', 'postedAt'])
export class ErpPostingEntity {
  /** The ERP's document id. */
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) kind: ErpPostingKind;
  /** The idempotency key moneygraph sent: PSP refund id, capture id or invoice number. */
  @Column(stringColumn({ type: 'varchar', length: 128 })) externalRef: string;
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(moneyColumn()) amountMinor: bigint;
  @Column(currencyColumn()) currency: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: ErpPostingStatus;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) reasonCode: string | null;
  @Column(timeColumn()) postedAt: Date;
  @Column(versionColumn()) sourceVersion: bigint;
}
