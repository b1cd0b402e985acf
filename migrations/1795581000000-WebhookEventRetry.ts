import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook events that could not be applied yet are kept and retried: attempts and the next
 * attempt's time (the retry worker's schedule), and what a WAITING event waits for
 * ("order:<id>", "payment:<id>", "refund:<id>"), so the record it needs wakes it when it arrives.
 * Refunds keep the version of the PSP record last applied, so an older record never overrides it.
 */
export class WebhookEventRetry1795581000000 implements MigrationInterface {
  name = 'WebhookEventRetry1795581000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`webhook_event\` ADD \`attempts\` int NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE \`webhook_event\` ADD \`next_attempt_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`webhook_event\` ADD \`waiting_for\` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`);
    await queryRunner.query(`ALTER TABLE \`refund\` ADD \`psp_version\` bigint NULL`);
    await queryRunner.query(`ALTER TABLE \`refund\` ADD \`psp_invoice_ref\` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_webhook_due\` ON \`webhook_event\` (\`status\`, \`next_attempt_at\`)`);
    await queryRunner.query(`CREATE INDEX \`idx_webhook_waiting_for\` ON \`webhook_event\` (\`waiting_for\`, \`status\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_webhook_waiting_for\` ON \`webhook_event\``);
    await queryRunner.query(`DROP INDEX \`idx_webhook_due\` ON \`webhook_event\``);
    await queryRunner.query(`ALTER TABLE \`refund\` DROP COLUMN \`psp_invoice_ref\``);
    await queryRunner.query(`ALTER TABLE \`refund\` DROP COLUMN \`psp_version\``);
    await queryRunner.query(`ALTER TABLE \`webhook_event\` DROP COLUMN \`waiting_for\``);
    await queryRunner.query(`ALTER TABLE \`webhook_event\` DROP COLUMN \`next_attempt_at\``);
    await queryRunner.query(`ALTER TABLE \`webhook_event\` DROP COLUMN \`attempts\``);
  }
}
