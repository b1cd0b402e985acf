import { Column, Entity, PrimaryColumn } from 'typeorm';
import { stringColumn } from '../db/columns';

/**
 * One caller's shared cost bucket (`<role>:<subject>`). Read and written only by the statements of
 * budget-store.ts; declared here so the schema checks know the table.
 */
@Entity('graphql_budget')
export class GraphqlBudgetEntity {
  @PrimaryColumn(stringColumn({ type: 'varchar', length: 191 })) caller: string;
  @Column({ type: 'double' }) level: number;
  /** When the level was last computed, in epoch milliseconds (BIGINT, as a string). */
  @Column({ type: 'bigint' }) updatedMs: string;
  /** Whether the last take was granted. */
  @Column({ type: 'tinyint' }) granted: number;
}
