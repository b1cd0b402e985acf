import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer, currencyColumn, idColumn, moneyColumn, stringColumn, timeColumn } from '../../db/columns';

import { RefundStatus } from '../../shared/refund-status';

export { RefundStatus };

export enum RefundKind {
  /** Against a payment (paymentId). */
  LINKED = 'LINKED',
  /** A credit to a payment method (paymentMethodId), not tied to a payment. */
  UNLINKED = 'UNLINKED',
}

export enum RefundOrigin {
  /** Issued through moneygraph. */
  MONEYGRAPH = 'MONEYGRAPH',
  /** Seen at the PSP without moneygraph having issued it (PSP console, another system). */
  PSP = 'PSP',
}

/** The refund ledger: the pending-refund calculation reads these rows, never a counter. */
@Entity('refund')
@Index('idx_refund_order', ['orderId'])
@Index('idx_refund_invoice', ['invoiceId'])
@Index('idx_refund_status_updated', ['status', 'updatedAt'])
@Index('uq_refund_merchant_tx', ['merchantTransactionId'], { unique: true })
@Index('uq_refund_psp_refund', ['pspRefundId'], { unique: true })
/** Reconciliation reads refunds in PSP refund id order from this index alone (see src/reconciliation). */
@Index('idx_refund_reconcile', ['pspRefundId', 'status', 'currency', 'amountMinor', 'completedAt', 'updatedAt', 'orderId'])
export class RefundEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 36 })) id: string;
  @Column(idColumn()) orderId: string;
  /** The INPUT invoice this refund is allocated to (null for unlinked credits and foreign refunds). */
  @Column(idColumn({ nullable: true })) invoiceId: string | null;
  @Column(idColumn({ nullable: true })) paymentId: string | null;
  @Column(idColumn({ nullable: true })) paymentMethodId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16 })) kind: RefundKind;
  @Column(stringColumn({ type: 'varchar', length: 16 })) origin: RefundOrigin;
  @Column(moneyColumn()) amountMinor: bigint;
  @Column(currencyColumn()) currency: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: RefundStatus;
  /** Sent to the PSP on every attempt; never changes, so a retry can never become a second refund. */
  @Column(idColumn()) merchantTransactionId: string;
  @Column(idColumn({ nullable: true })) pspRefundId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 64 })) reason: string;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) errorCode: string | null;
  @Column(stringColumn({ type: 'varchar', length: 512, nullable: true })) errorMessage: string | null;
  /** The PSP's answer, kept verbatim as the receipt. */
  @Column(stringColumn({ type: 'text', nullable: true })) receipt: string | null;
  @Column(stringColumn({ type: 'varchar', length: 128, nullable: true })) requestedBy: string | null;
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** The PSP request as first sent (JSON): recovery re-sends exactly this, key included. */
  @Column(stringColumn({ type: 'text', nullable: true })) pspRequest: string | null;
  /**
   * While set and in the future, one worker (the request that created it, or a recoverer) owns
   * driving this refund to its outcome; others leave it alone. A crashed owner's lease expires.
   */
  @Column(timeColumn({ nullable: true })) leaseUntil: Date | null;
  /**
   * The version of the PSP's record last applied (its synchronous answer is version 1): an older
   * record read back later never overrides a newer one.
   */
  @Column({ type: 'bigint', nullable: true, transformer: bigintTransformer }) pspVersion: bigint | null;
  /** A refund of origin PSP: the invoice number the PSP gave it, allocated once that return invoice is known here. */
  @Column(idColumn({ nullable: true })) pspInvoiceRef: string | null;
  @Column(timeColumn()) createdAt: Date;
  @Column(timeColumn()) updatedAt: Date;
  @Column(timeColumn({ nullable: true })) submittedAt: Date | null;
  @Column(timeColumn({ nullable: true })) completedAt: Date | null;
}
