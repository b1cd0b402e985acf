import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { idColumn, timeColumn, stringColumn } from '../../db/columns';

export enum IdempotencyStatus {
  /** The refund it created is still being driven to its outcome. */
  RUNNING = 'RUNNING',
  /** The refund has an outcome: a replay returns it. */
  DONE = 'DONE',
}

/**
 * Client idempotency keys of the refund mutations. Kept in the database (not in memory) so that
 * every replica sees the same keys. A request rejected by a rule leaves no row: the key is free.
 */
@Entity('idempotency_key')
@Index('idx_idempotency_refund', ['refundId'])
@Index('idx_idempotency_expires', ['expiresAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 128 })) key: string;
  @Column(stringColumn({ type: 'varchar', length: 32 })) operation: string;
  /** sha256 of the operation and its arguments, independent of who sends them. */
  @Column(stringColumn({ type: 'char', length: 64 })) requestHash: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: IdempotencyStatus;
  @Column(idColumn()) orderId: string;
  @Column(stringColumn({ type: 'varchar', length: 36 })) refundId: string;
  @Column(timeColumn()) createdAt: Date;
  @Column(timeColumn()) expiresAt: Date;
}
