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
  /** Understood, but applying it failed; it can be replayed. */
  FAILED = 'FAILED',
}

@Entity('webhook_event')
@Index('uq_webhook_source_event', ['source', 'eventId'], { unique: true })
@Index('idx_webhook_status_received', ['status', 'receivedAt'])
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
}
