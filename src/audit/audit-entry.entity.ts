import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { timeColumn, stringColumn } from '../db/columns';

/** Who did what, when, with which arguments and outcome: written in the transaction of the change. */
@Entity('audit_log')
@Index('idx_audit_occurred', ['occurredAt', 'id'])
@Index('idx_audit_subject', ['subject', 'occurredAt'])
@Index('idx_audit_order', ['orderId', 'occurredAt'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column(stringColumn({ type: 'varchar', length: 128 })) subject: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) role: string;
  @Column(stringColumn({ type: 'varchar', length: 64 })) operation: string;
  /** Arguments with secrets removed, as JSON. */
  @Column(stringColumn({ type: 'text' })) arguments: string;
  @Column(stringColumn({ type: 'varchar', length: 64, nullable: true })) orderId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 64 })) requestId: string;
  /** e.g. SUCCEEDED, FAILED, REJECTED:<code>. */
  @Column(stringColumn({ type: 'varchar', length: 96 })) outcome: string;
  @Column(timeColumn()) occurredAt: Date;
}
