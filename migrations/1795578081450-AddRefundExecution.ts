import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRefundExecution1795578081450 implements MigrationInterface {
  name = 'AddRefundExecution1795578081450';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`idempotency_key\` (\`key\` varchar(128) NOT NULL, \`operation\` varchar(32) NOT NULL, \`request_hash\` char(64) NOT NULL, \`status\` varchar(16) NOT NULL, \`order_id\` varchar(64) NOT NULL, \`refund_id\` varchar(36) NOT NULL, \`created_at\` datetime(3) NOT NULL, \`expires_at\` datetime(3) NOT NULL, INDEX \`idx_idempotency_expires\` (\`expires_at\`), INDEX \`idx_idempotency_refund\` (\`refund_id\`), PRIMARY KEY (\`key\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`outbox_message\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`topic\` varchar(64) NOT NULL, \`dedupe_key\` varchar(191) NOT NULL, \`order_id\` varchar(64) NULL, \`payload\` text NOT NULL, \`status\` varchar(16) NOT NULL, \`attempts\` int NOT NULL DEFAULT '0', \`next_attempt_at\` datetime(3) NOT NULL, \`locked_until\` datetime(3) NULL, \`last_error\` varchar(1024) NULL, \`created_at\` datetime(3) NOT NULL, \`updated_at\` datetime(3) NOT NULL, \`done_at\` datetime(3) NULL, INDEX \`idx_outbox_order\` (\`order_id\`), INDEX \`idx_outbox_due\` (\`status\`, \`next_attempt_at\`), UNIQUE INDEX \`uq_outbox_dedupe\` (\`dedupe_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(`ALTER TABLE \`refund\` ADD \`psp_request\` text NULL`);
    await queryRunner.query(`ALTER TABLE \`refund\` ADD \`lease_until\` datetime(3) NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`refund\` DROP COLUMN \`lease_until\``);
    await queryRunner.query(`ALTER TABLE \`refund\` DROP COLUMN \`psp_request\``);
    await queryRunner.query(`DROP INDEX \`uq_outbox_dedupe\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`idx_outbox_due\` ON \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`idx_outbox_order\` ON \`outbox_message\``);
    await queryRunner.query(`DROP TABLE \`outbox_message\``);
    await queryRunner.query(`DROP INDEX \`idx_idempotency_refund\` ON \`idempotency_key\``);
    await queryRunner.query(`DROP INDEX \`idx_idempotency_expires\` ON \`idempotency_key\``);
    await queryRunner.query(`DROP TABLE \`idempotency_key\``);
  }
}
