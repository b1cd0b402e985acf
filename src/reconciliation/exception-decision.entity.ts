import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, stringColumn, timeColumn } from '../db/columns';

/**
 * Every owner decision on a money exception, in order: who (subject and role), when, which decision
 * with its note, and the state the exception was in before and after it. Written in the decision's
 * transaction, beside its audit row; never updated.
 */
@Entity('money_exception_decision')
@Index('idx_money_exception_decision_exception', ['exceptionId', 'id'])
export class ExceptionDecisionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column(idColumn()) exceptionId: string;
  @Column(stringColumn({ type: 'varchar', length: 32 })) decision: string;
  @Column(stringColumn({ type: 'varchar', length: 128 })) decidedBy: string;
  @Column(stringColumn({ type: 'varchar', length: 16 })) role: string;
  @Column(timeColumn()) decidedAt: Date;
  @Column(stringColumn({ type: 'varchar', length: 1024 })) note: string;
  /** The exception's status and latest decision before this one (NULL for decisions copied from the audit log, which did not record them). */
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) previousStatus: string | null;
  @Column(stringColumn({ type: 'varchar', length: 32, nullable: true })) previousDecision: string | null;
  /** The status this decision left it in (NULL as above). */
  @Column(stringColumn({ type: 'varchar', length: 16, nullable: true })) status: string | null;
}
