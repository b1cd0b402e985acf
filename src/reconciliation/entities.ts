import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer, currencyColumn, idColumn, moneyColumn, primaryIdColumn, timeColumn, stringColumn } from '../db/columns';

/**
 * One money exception per (kind, subject): re-classification updates its evidence in place, so the
 * first-detected time and the owner's decision survive every refresh.
 */
@Entity('money_exception')
@Index('uq_money_exception_subject', ['kind', 'subjectKey'], { unique: true })
@Index('idx_money_exception_order', ['orderId', 'firstDetectedAt'])
@Index('idx_money_exception_status', ['status', 'firstDetectedAt', 'id'])
@Index('idx_money_exception_detected', ['firstDetectedAt', 'id'])
@Index('idx_money_exception_refresh', ['observed', 'lastRefresh'])
export class MoneyExceptionEntity {
  /** exc_ + a hash of (kind, subject): the same problem always gets the same id. */
  @PrimaryColumn(primaryIdColumn()) id: string;
  @Column(stringColumn({ type: 'varchar', length: 40 })) kind: string;
  @Column(stringColumn({ type: 'varchar', length: 191 })) subjectKey: string;
  @Column(idColumn({ nullable: true })) orderId: string | null;
  /** OPEN | DECIDED | RESOLVED */
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: string;
  /** Whether the last refresh still saw the condition. */
  @Column({ type: 'boolean', default: true }) observed: boolean;
  @Column(idColumn({ nullable: true })) pspReference: string | null;
  @Column(idColumn({ nullable: true })) captureId: string | null;
  @Column(idColumn({ nullable: true })) refundId: string | null;
  @Column(idColumn({ nullable: true })) pspRefundId: string | null;
  @Column(moneyColumn({ nullable: true })) amountMinor: bigint | null;
  @Column(currencyColumn({ nullable: true })) currency: string | null;
  @Column(timeColumn({ nullable: true })) capturedAt: Date | null;
  @Column(idColumn({ nullable: true })) invoiceRef: string | null;
  @Column(idColumn({ nullable: true })) erpDocumentId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) erpStatus: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) omsStatus: string | null;
  @Column(idColumn({ nullable: true })) settlementBatchId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 191, nullable: true })) webhookEventId: string | null;
  @Column({ type: 'boolean', default: false }) webhookReplayable: boolean;
  @Column({ type: 'int', nullable: true }) webhookReplayCount: number | null;
  @Column({ type: 'boolean', nullable: true }) webhookSignatureValid: boolean | null;
  @Column(stringColumn({ type: 'varchar', length: 512 })) detail: string;
  /** When the money event behind the exception happened (capture, refund, posting, settlement). */
  @Column(timeColumn()) occurredAt: Date;
  /** The settlement cut-off that follows occurredAt: the owner must decide before it. */
  @Column(timeColumn()) decisionDeadline: Date;
  @Column(timeColumn()) firstDetectedAt: Date;
  @Column(timeColumn()) lastObservedAt: Date;
  @Column({ type: 'bigint', transformer: bigintTransformer }) lastRefresh: bigint;
  @Column(timeColumn({ nullable: true })) clearedAt: Date | null;
  @Column(stringColumn({ type: 'varchar', length: 32, nullable: true })) decision: string | null;
  @Column(stringColumn({ type: 'varchar', length: 128, nullable: true })) decidedBy: string | null;
  @Column(timeColumn({ nullable: true })) decidedAt: Date | null;
  @Column(stringColumn({ type: 'varchar', length: 1024, nullable: true })) decisionNote: string | null;
  /** AUTO (no longer observed) | CLOSED (an owner closed it). */
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) resolution: string | null;
  @Column(timeColumn({ nullable: true })) resolvedAt: Date | null;
}

/** The single row that serialises refreshes and remembers when the last one ran. */
@Entity('money_exception_refresh')
class ExceptionRefreshEntity {
  @PrimaryColumn({ type: 'int' }) id: number;
  @Column({ type: 'bigint', transformer: bigintTransformer }) seq: bigint;
  @Column(timeColumn({ nullable: true })) refreshedAt: Date | null;
  /** Highest webhook_event id already indexed into webhook_event_ref. */
  @Column({ type: 'bigint', transformer: bigintTransformer }) webhookWatermark: bigint;
}

/**
 * Which record each stored webhook event is about (capture id, refund id, document id, …), extracted
 * once from the raw payload so exceptions can name the event that carried their evidence.
 */
@Entity('webhook_event_ref')
@Index('idx_webhook_event_ref_ref', ['ref', 'webhookId'])
class WebhookEventRefEntity {
  @PrimaryColumn({ type: 'bigint' }) webhookId: string;
  @Column(stringColumn({ type: 'varchar', length: 128 })) ref: string;
}

@Entity('reconciliation_run')
@Index('idx_reconciliation_run_started', ['startedAt', 'id'])
export class ReconciliationRunEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 36 })) id: string;
  @Column(timeColumn()) periodFrom: Date;
  @Column(timeColumn()) periodTo: Date;
  @Column(currencyColumn({ nullable: true })) currency: string | null;
  /** CLEAN | VARIANCE | NO_EVENTS_ALARM */
  @Column(stringColumn({ type: 'varchar', length: 24 })) status: string;
  @Column(stringColumn({ type: 'varchar', length: 512 })) confirmation: string;
  @Column(stringColumn({ type: 'varchar', length: 128 })) requestedBy: string;
  @Column(timeColumn()) startedAt: Date;
  @Column(timeColumn()) finishedAt: Date;
  @Column({ type: 'int' }) varianceCount: number;
  @Column({ type: 'int' }) pspRefundCount: number;
  @Column({ type: 'int' }) erpRefundPostingCount: number;
  @Column({ type: 'int' }) erpPostingCount: number;
  @Column({ type: 'int' }) captureCount: number;
  @Column({ type: 'int' }) orderCount: number;
  @Column({ type: 'int' }) webhookEventCount: number;
}

@Entity('reconciliation_run_total')
export class ReconciliationRunTotalEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 36 })) runId: string;
  @PrimaryColumn(stringColumn({ type: 'char', length: 3 })) currency: string;
  @Column(moneyColumn()) pspTotalMinor: bigint;
  @Column(moneyColumn()) erpTotalMinor: bigint;
  @Column(moneyColumn()) varianceMinor: bigint;
  @Column({ type: 'int' }) refundCount: number;
}

/** One row per refund id that disagrees, per run. */
@Entity('reconciliation_variance')
@Index('idx_reconciliation_variance_ref', ['refundRef', 'kind', 'firstDetectedAt'])
class ReconciliationVarianceEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 36 })) runId: string;
  /** The PSP refund id (= the ERP externalRef). */
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 128 })) refundRef: string;
  @Column(stringColumn({ type: 'varchar', length: 32 })) kind: string;
  /** Which system holds the record: PSP, ERP or BOTH. */
  @Column(stringColumn({ type: 'varchar', length: 8 })) recordIn: string;
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(currencyColumn()) currency: string;
  @Column(moneyColumn({ nullable: true })) pspAmountMinor: bigint | null;
  @Column(moneyColumn({ nullable: true })) erpAmountMinor: bigint | null;
  @Column(moneyColumn()) deltaMinor: bigint;
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) pspStatus: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) erpStatus: string | null;
  @Column(stringColumn({ type: 'varchar', length: 512, nullable: true })) erpDocumentIds: string | null;
  @Column(timeColumn({ nullable: true })) occurredAt: Date | null;
  @Column(timeColumn()) firstDetectedAt: Date;
}

export const RECONCILIATION_ENTITIES = [
  MoneyExceptionEntity,
  ExceptionRefreshEntity,
  WebhookEventRefEntity,
  ReconciliationRunEntity,
  ReconciliationRunTotalEntity,
  ReconciliationVarianceEntity,
];
