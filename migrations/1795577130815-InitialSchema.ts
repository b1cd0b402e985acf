import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795577130815 implements MigrationInterface {
  name = 'InitialSchema1795577130815';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`oms_interaction\` (\`id\` varchar(128) NOT NULL, \`order_id\` varchar(64) NOT NULL, \`kind\` varchar(64) NOT NULL, \`message\` varchar(1024) NOT NULL, \`source\` varchar(16) NOT NULL, \`refund_id\` varchar(64) NULL, \`occurred_at\` datetime(3) NOT NULL, INDEX \`idx_oms_interaction_order\` (\`order_id\`, \`occurred_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`oms_invoice_data\` (\`order_id\` varchar(64) NOT NULL, \`invoice_id\` varchar(64) NOT NULL, \`copy\` varchar(16) NOT NULL, \`refunded_minor\` bigint NOT NULL, \`refund_ids\` text NOT NULL, \`source_version\` bigint NOT NULL DEFAULT '0', \`updated_at\` datetime(3) NOT NULL, INDEX \`idx_oms_invoice_data_order\` (\`order_id\`), PRIMARY KEY (\`order_id\`, \`invoice_id\`, \`copy\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`oms_invoice\` (\`id\` varchar(64) NOT NULL, \`order_id\` varchar(64) NOT NULL, \`kind\` varchar(8) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`issued_at\` datetime(3) NOT NULL, \`source_version\` bigint NOT NULL DEFAULT '0', INDEX \`idx_oms_invoice_order\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`oms_order\` (\`id\` varchar(64) NOT NULL, \`status\` varchar(16) NOT NULL, \`currency\` char(3) NOT NULL, \`total_minor\` bigint NOT NULL, \`customer_id\` varchar(64) NULL, \`created_at\` datetime(3) NOT NULL, \`source_version\` bigint NOT NULL DEFAULT '0', \`synced_at\` datetime(3) NOT NULL, INDEX \`idx_oms_order_status_created\` (\`status\`, \`created_at\`), INDEX \`idx_oms_order_created\` (\`created_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`psp_capture\` (\`id\` varchar(64) NOT NULL, \`payment_id\` varchar(64) NOT NULL, \`order_id\` varchar(64) NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`captured_at\` datetime(3) NOT NULL, INDEX \`idx_psp_capture_order\` (\`order_id\`), INDEX \`idx_psp_capture_payment\` (\`payment_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`psp_payment\` (\`id\` varchar(64) NOT NULL, \`order_id\` varchar(64) NULL, \`method\` varchar(16) NOT NULL, \`payment_method_id\` varchar(64) NULL, \`payment_method_status\` varchar(16) NOT NULL, \`customer_id\` varchar(64) NULL, \`status\` varchar(16) NOT NULL, \`disputed\` tinyint NOT NULL DEFAULT 0, \`authorized_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`source_version\` bigint NOT NULL DEFAULT '0', INDEX \`idx_psp_payment_method\` (\`payment_method_id\`), INDEX \`idx_psp_payment_order\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`psp_settlement\` (\`id\` varchar(64) NOT NULL, \`currency\` char(3) NOT NULL, \`settled_at\` datetime(3) NOT NULL, INDEX \`idx_psp_settlement_settled\` (\`settled_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`psp_settlement_line\` (\`id\` varchar(64) NOT NULL, \`settlement_id\` varchar(64) NOT NULL, \`kind\` varchar(16) NOT NULL, \`psp_reference\` varchar(64) NOT NULL, \`order_id\` varchar(64) NULL, \`gross_minor\` bigint NOT NULL, \`fee_minor\` bigint NOT NULL, \`net_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, INDEX \`idx_psp_settlement_line_ref\` (\`psp_reference\`), INDEX \`idx_psp_settlement_line_order\` (\`order_id\`), INDEX \`idx_psp_settlement_line_settlement\` (\`settlement_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`erp_posting\` (\`id\` varchar(64) NOT NULL, \`kind\` varchar(16) NOT NULL, \`external_ref\` varchar(128) NOT NULL, \`order_id\` varchar(64) NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`reason_code\` varchar(64) NULL, \`posted_at\` datetime(3) NOT NULL, \`source_version\` bigint NOT NULL DEFAULT '0', INDEX \`idx_erp_posting_kind_posted\` (\`kind\`, \`posted_at\`), INDEX \`idx_erp_posting_ref\` (\`external_ref\`), INDEX \`idx_erp_posting_order\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`refund\` (\`id\` varchar(36) NOT NULL, \`order_id\` varchar(64) NOT NULL, \`invoice_id\` varchar(64) NULL, \`payment_id\` varchar(64) NULL, \`payment_method_id\` varchar(64) NULL, \`kind\` varchar(16) NOT NULL, \`origin\` varchar(16) NOT NULL, \`amount_minor\` bigint NOT NULL, \`currency\` char(3) NOT NULL, \`status\` varchar(16) NOT NULL, \`merchant_transaction_id\` varchar(64) NOT NULL, \`psp_refund_id\` varchar(64) NULL, \`reason\` varchar(64) NOT NULL, \`error_code\` varchar(64) NULL, \`error_message\` varchar(512) NULL, \`receipt\` text NULL, \`requested_by\` varchar(128) NULL, \`attempts\` int NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`submitted_at\` datetime(3) NULL, \`completed_at\` datetime(3) NULL, UNIQUE INDEX \`uq_refund_psp_refund\` (\`psp_refund_id\`), UNIQUE INDEX \`uq_refund_merchant_tx\` (\`merchant_transaction_id\`), INDEX \`idx_refund_status_updated\` (\`status\`, \`updated_at\`), INDEX \`idx_refund_invoice\` (\`invoice_id\`), INDEX \`idx_refund_order\` (\`order_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`webhook_event\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`source\` varchar(8) NOT NULL, \`event_id\` varchar(191) NOT NULL, \`event_type\` varchar(64) NULL, \`signature_valid\` tinyint NOT NULL, \`payload\` longtext NOT NULL, \`status\` varchar(16) NOT NULL, \`error\` varchar(1024) NULL, \`replay_count\` int NOT NULL DEFAULT '0', \`received_at\` datetime(3) NOT NULL, \`processed_at\` datetime(3) NULL, INDEX \`idx_webhook_status_received\` (\`status\`, \`received_at\`), UNIQUE INDEX \`uq_webhook_source_event\` (\`source\`, \`event_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_webhook_source_event\` ON \`webhook_event\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_status_received\` ON \`webhook_event\``);
    await queryRunner.query(`DROP TABLE \`webhook_event\``);
    await queryRunner.query(`DROP INDEX \`idx_refund_order\` ON \`refund\``);
    await queryRunner.query(`DROP INDEX \`idx_refund_invoice\` ON \`refund\``);
    await queryRunner.query(`DROP INDEX \`idx_refund_status_updated\` ON \`refund\``);
    await queryRunner.query(`DROP INDEX \`uq_refund_merchant_tx\` ON \`refund\``);
    await queryRunner.query(`DROP INDEX \`uq_refund_psp_refund\` ON \`refund\``);
    await queryRunner.query(`DROP TABLE \`refund\``);
    await queryRunner.query(`DROP INDEX \`idx_erp_posting_order\` ON \`erp_posting\``);
    await queryRunner.query(`DROP INDEX \`idx_erp_posting_ref\` ON \`erp_posting\``);
    await queryRunner.query(`DROP INDEX \`idx_erp_posting_kind_posted\` ON \`erp_posting\``);
    await queryRunner.query(`DROP TABLE \`erp_posting\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_settlement_line_settlement\` ON \`psp_settlement_line\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_settlement_line_order\` ON \`psp_settlement_line\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_settlement_line_ref\` ON \`psp_settlement_line\``);
    await queryRunner.query(`DROP TABLE \`psp_settlement_line\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_settlement_settled\` ON \`psp_settlement\``);
    await queryRunner.query(`DROP TABLE \`psp_settlement\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_payment_order\` ON \`psp_payment\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_payment_method\` ON \`psp_payment\``);
    await queryRunner.query(`DROP TABLE \`psp_payment\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_capture_payment\` ON \`psp_capture\``);
    await queryRunner.query(`DROP INDEX \`idx_psp_capture_order\` ON \`psp_capture\``);
    await queryRunner.query(`DROP TABLE \`psp_capture\``);
    await queryRunner.query(`DROP INDEX \`idx_oms_order_created\` ON \`oms_order\``);
    await queryRunner.query(`DROP INDEX \`idx_oms_order_status_created\` ON \`oms_order\``);
    await queryRunner.query(`DROP TABLE \`oms_order\``);
    await queryRunner.query(`DROP INDEX \`idx_oms_invoice_order\` ON \`oms_invoice\``);
    await queryRunner.query(`DROP TABLE \`oms_invoice\``);
    await queryRunner.query(`DROP INDEX \`idx_oms_invoice_data_order\` ON \`oms_invoice_data\``);
    await queryRunner.query(`DROP TABLE \`oms_invoice_data\``);
    await queryRunner.query(`DROP INDEX \`idx_oms_interaction_order\` ON \`oms_interaction\``);
    await queryRunner.query(`DROP TABLE \`oms_interaction\``);
  }
}
