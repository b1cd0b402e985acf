import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timeColumn, stringColumn } from '../db/columns';

export enum WebhookSource {
  OMS = 'OMS',
  PSP = 'PSP',
  ERP = 'ERP',
}

export enum WebhookEventStatus {
  RECEIVED = 'RECEIVED',
  PROCESSED = 'PROCESSED',
  /** Valid signature, but the body could not be understood: kept for inspection. */
  REJECTED = 'REJECTED',
  /** Understood, but applying it failed; the retry worker applies it again with backoff. */
  FAILED = 'FAILED',
  /**
   * Cannot be applied yet: it needs a record not known here (its order or payment), or it claims a
   * move backwards that the upstream's own record must confirm first. `waitingFor` says which;
   * applied as soon as that arrives, and retried by the worker until then.
   */
  WAITING = 'WAITING',
  /** Applying it kept failing (WEBHOOK_MAX_ATTEMPTS): a money exception, retried only by a person. */
  DEAD = 'DEAD',
}

@Entity('webhook_event')
@Index('uq_webhook_source_event', ['source', 'eventId'], { unique: true })
@Index('idx_webhook_status_received', ['status', 'receivedAt'])
@Index('idx_webhook_due', ['status', 'nextAttemptAt'])
@Index('idx_webhook_waiting_for', ['waitingFor', 'status'])
export class WebhookEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column(stringColumn({ type: 'varchar', length: 8 })) source: WebhookSource;
  @Column(stringColumn({ type: 'varchar', length: 191 })) eventId: string;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) eventType: string | null;
  @Column({ type: 'boolean' }) signatureValid: boolean;
  /** The raw body, byte for byte as received (utf8). */
  @Column(stringColumn({ type: 'longtext' })) payload: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: WebhookEventStatus;
  @Column(stringColumn({ type: 'varchar', length: 1024, nullable: true })) error: string | null;
  @Column({ type: 'int', default: 0 }) replayCount: number;
  @Column(timeColumn()) receivedAt: Date;
  @Column(timeColumn({ nullable: true })) processedAt: Date | null;
  /** Apply attempts that did not end in PROCESSED (failures and waits). */
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** When the retry worker next applies an unapplied event (NULL: due now). */
  @Column(timeColumn({ nullable: true })) nextAttemptAt: Date | null;
  /** What a WAITING event waits for: "order:<id>", "payment:<id>" or "refund:<id>" (the PSP's record of that refund). */
  @Column(stringColumn({ type: 'varchar', length: 191, nullable: true })) waitingFor: string | null;
}
