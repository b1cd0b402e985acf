import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The earlier migrations name no character set, so their tables took the database's default: on a
 * stock server that is latin1, which cannot hold "заказ-1" or "Решено 👍" (the insert fails) and
 * whose columns cannot be compared with a utf8mb4 literal ("Illegal mix of collations").
 *
 * Every table is converted to utf8mb4 with the binary collation, explicitly, whatever the database
 * default is: ids (webhook event ids, merchant transaction ids, order ids) must compare exactly —
 * under a case-insensitive collation "evt_AB" and "evt_ab" would be one event. One collation for
 * every text column of every table, so no join or comparison mixes collations. The entities declare
 * the same (src/db/columns.ts, stringColumn).
 *
 * CONVERT TO sets the table's default too, so a column added later without a character set is
 * utf8mb4_bin as well (new migrations still say so explicitly; see README).
 *
 * Only the application's tables are named: the database itself (possibly shared) is left as it is,
 * and so is TypeORM's `migrations` table.
 *
 * CONVERT TO turns a latin1 TEXT column into MEDIUMTEXT (so that as many characters still fit);
 * the TEXT columns are set back to TEXT, as the entities and the earlier migrations have them.
 */
const TABLES = [
  'oms_order',
  'oms_invoice',
  'oms_interaction',
  'oms_invoice_data',
  'psp_payment',
  'psp_capture',
  'psp_settlement',
  'psp_settlement_line',
  'erp_posting',
  'refund',
  'idempotency_key',
  'outbox_message',
  'webhook_event',
  'webhook_event_ref',
  'audit_log',
  'order_hold',
  'money_exception',
  'money_exception_refresh',
  'reconciliation_run',
  'reconciliation_run_total',
  'reconciliation_variance',
];

export class Utf8mb4Everywhere1795580000000 implements MigrationInterface {
  name = 'Utf8mb4Everywhere1795580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    }
    await queryRunner.query(`ALTER TABLE \`oms_invoice_data\` MODIFY \`refund_ids\` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE \`refund\` MODIFY \`receipt\` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL, MODIFY \`psp_request\` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`,
    );
    await queryRunner.query(`ALTER TABLE \`outbox_message\` MODIFY \`payload\` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`audit_log\` MODIFY \`arguments\` text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
  }

  /**
   * Deliberately leaves the tables utf8mb4/utf8mb4_bin. Converting back to a latin1 default would
   * turn every character latin1 lacks into "?" (or fail half-way in strict mode), and back to a
   * case-insensitive collation would fail on ids that differ only by case — both lose data or
   * leave a half-converted schema. The code before this migration works on utf8mb4_bin tables
   * (it only could not rely on them), and the earlier migrations' downs drop these tables whatever
   * their character set, so reverting past this migration still works.
   */
  public async down(_queryRunner: QueryRunner): Promise<void> {
    // Nothing to undo safely; see above.
  }
}
