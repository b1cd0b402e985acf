import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddMoneyExceptionsAndReconciliation1795579064196 implements MigrationInterface {
  name = 'AddMoneyExceptionsAndReconciliation1795579064196';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`money_exception\` (\`id\` varchar(64) NOT NULL, \`kind\` varchar(40) NOT NULL, \`subject_key\` varchar(191) NOT NULL, \`order_id\` varchar(64) NULL, \`status\` varchar(16) NOT NULL, \`observed\` tinyint NOT NULL DEFAULT 1, \`psp_reference\` varchar(64) NULL, \`capture_id\` varchar(64) NULL, \`refund_id\` varchar(64) NULL, \`psp_refund_id\` varchar(64) NULL, \`amount_minor\` bigint NULL, \`currency\` char(3) NULL, \`captured_at\` datetime(3) NULL, \`invoice_ref\` varchar(64) NULL, \`erp_document_id\` varchar(64) NULL, \`erp_status\` varchar(16) NULL, \`oms_status\` varchar(16) NULL, \`settlement_batch_id\` varchar(64) NULL, \`webhook_event_id\` varchar(191) NULL, \`webhook_replayable\` tinyint NOT NULL DEFAULT 0, \`webhook_replay_count\` int NULL, \`webhook_signature_valid\` tinyint NULL, \`detail\` varchar(512) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, \`decision_deadline\` datetime(3) NOT NULL, \`first_detected_at\` datetime(3) NOT NULL, \`last_observed_at\` datetime(3) NOT NULL, \`last_refresh\` bigint NOT NULL, \`cleared_at\` datetime(3) NULL, \`decision\` varchar(32) NULL, \`decided_by\` varchar(128) NULL, \`decided_at\` datetime(3) NULL, \`decision_note\` varchar(1024) NULL, \`resolution\` varchar(16) NULL, \`resolved_at\` datetime(3) NULL, INDEX \`idx_money_exception_refresh\` (\`observed\`, \`last_refresh\`), INDEX \`idx_money_exception_detected\` (\`first_detected_at\`, \`id\`), INDEX \`idx_money_exception_status\` (\`status\`, \`first_detected_at\`, \`id\`), INDEX \`idx_money_exception_order\` (\`order_id\`, \`first_detected_at\`), UNIQUE INDEX \`uq_money_exception_subject\` (\`kind\`, \`subject_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`money_exception_refresh\` (\`id\` int NOT NULL, \`seq\` bigint NOT NULL, \`refreshed_at\` datetime(3) NULL, \`webhook_watermark\` bigint NOT NULL, PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`INSERT INTO \`money_exception_refresh\` (\`id\`, \`seq\`, \`refreshed_at\`, \`webhook_watermark\`) VALUES (1, 0, NULL, 0)`);
    await queryRunner.query(
      `CREATE TABLE \`webhook_event_ref\` (\`webhook_id\` bigint NOT NULL, \`ref\` varchar(128) NOT NULL, INDEX \`idx_webhook_event_ref_ref\` (\`ref\`, \`webhook_id\`), PRIMARY KEY (\`webhook_id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`reconciliation_run\` (\`id\` varchar(36) NOT NULL, \`period_from\` datetime(3) NOT NULL, \`period_to\` datetime(3) NOT NULL, \`currency\` char(3) NULL, \`status\` varchar(24) NOT NULL, \`confirmation\` varchar(512) NOT NULL, \`requested_by\` varchar(128) NOT NULL, \`started_at\` datetime(3) NOT NULL, \`finished_at\` datetime(3) NOT NULL, \`variance_count\` int NOT NULL, \`psp_refund_count\` int NOT NULL, \`erp_refund_posting_count\` int NOT NULL, \`erp_posting_count\` int NOT NULL, \`capture_count\` int NOT NULL, \`order_count\` int NOT NULL, \`webhook_event_count\` int NOT NULL, INDEX \`idx_reconciliation_run_started\` (\`started_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`reconciliation_run_total\` (\`run_id\` varchar(36) NOT NULL, \`currency\` char(3) NOT NULL, \`psp_total_minor\` bigint NOT NULL, \`erp_total_minor\` bigint NOT NULL, \`variance_minor\` bigint NOT NULL, \`refund_count\` int NOT NULL, PRIMARY KEY (\`run_id\`, \`currency\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`reconciliation_variance\` (\`run_id\` varchar(36) NOT NULL, \`refund_ref\` varchar(128) NOT NULL, \`kind\` varchar(32) NOT NULL, \`record_in\` varchar(8) NOT NULL, \`order_id\` varchar(64) NULL, \`currency\` char(3) NOT NULL, \`psp_amount_minor\` bigint NULL, \`erp_amount_minor\` bigint NULL, \`delta_minor\` bigint NOT NULL, \`psp_status\` varchar(16) NULL, \`erp_status\` varchar(16) NULL, \`erp_document_ids\` varchar(512) NULL, \`occurred_at\` datetime(3) NULL, \`first_detected_at\` datetime(3) NOT NULL, INDEX \`idx_reconciliation_variance_ref\` (\`refund_ref\`, \`kind\`, \`first_detected_at\`), PRIMARY KEY (\`run_id\`, \`refund_ref\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_erp_posting_reconcile\` ON \`erp_posting\` (\`external_ref\`, \`kind\`, \`status\`, \`currency\`, \`amount_minor\`, \`source_version\`, \`posted_at\`)`,
    );
    await queryRunner.query(
      `CREATE INDEX \`idx_refund_reconcile\` ON \`refund\` (\`psp_refund_id\`, \`status\`, \`currency\`, \`amount_minor\`, \`completed_at\`, \`updated_at\`, \`order_id\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_refund_reconcile\` ON \`refund\``);
    await queryRunner.query(`DROP INDEX \`idx_erp_posting_reconcile\` ON \`erp_posting\``);
    await queryRunner.query(`DROP INDEX \`idx_reconciliation_variance_ref\` ON \`reconciliation_variance\``);
    await queryRunner.query(`DROP TABLE \`reconciliation_variance\``);
    await queryRunner.query(`DROP TABLE \`reconciliation_run_total\``);
    await queryRunner.query(`DROP INDEX \`idx_reconciliation_run_started\` ON \`reconciliation_run\``);
    await queryRunner.query(`DROP TABLE \`reconciliation_run\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_event_ref_ref\` ON \`webhook_event_ref\``);
    await queryRunner.query(`DROP TABLE \`webhook_event_ref\``);
    await queryRunner.query(`DROP TABLE \`money_exception_refresh\``);
    await queryRunner.query(`DROP INDEX \`uq_money_exception_subject\` ON \`money_exception\``);
    await queryRunner.query(`DROP INDEX \`idx_money_exception_order\` ON \`money_exception\``);
    await queryRunner.query(`DROP INDEX \`idx_money_exception_status\` ON \`money_exception\``);
    await queryRunner.query(`DROP INDEX \`idx_money_exception_detected\` ON \`money_exception\``);
    await queryRunner.query(`DROP INDEX \`idx_money_exception_refresh\` ON \`money_exception\``);
    await queryRunner.query(`DROP TABLE \`money_exception\``);
  }
}
