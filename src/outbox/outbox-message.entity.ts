import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timeColumn, stringColumn } from '../db/columns';

export enum OutboxStatus {
  PENDING = 'PENDING',
  /** Claimed by a worker until `lockedUntil`; a crashed worker's claim expires. */
  RUNNING = 'RUNNING',
  DONE = 'DONE',
  /** Gave up after the configured attempts: needs a person. */
  DEAD = 'DEAD',
}

/** A side effect owed to an upstream system, written in the transaction of the change it follows. */
@Entity('outbox_message')
@Index('uq_outbox_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_outbox_due', ['status', 'nextAttemptAt'])
@Index('idx_outbox_order', ['orderId'])
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column(stringColumn({ type: 'varchar', length: 64 })) topic: string;
  /** Enqueuing the same effect twice (a replayed outcome) is a no-op. */
  @Column(stringColumn({ type: 'varchar', length: 191 })) dedupeKey: string;
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(stringColumn({ type: 'text' })) payload: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: OutboxStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column(timeColumn()) nextAttemptAt: Date;
  @Column(timeColumn({ nullable: true })) lockedUntil: Date | null;
  @Column(stringColumn({ type: 'varchar', length: 1024, nullable: true })) lastError: string | null;
  @Column(timeColumn()) createdAt: Date;
  @Column(timeColumn()) updatedAt: Date;
  @Column(timeColumn({ nullable: true })) doneAt: Date | null;
}
