import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each payment remembers the PSP adapter instance that took it (PSP_ADAPTERS), so its refunds go
 * back there. NULL: the in-house contract, as for every payment recorded before adapters.
 */
export class PaymentPspAdapter1795582200000 implements MigrationInterface {
  name = 'PaymentPspAdapter1795582200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`psp_payment\` ADD \`psp_adapter_id\` varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`psp_payment\` DROP COLUMN \`psp_adapter_id\``);
  }
}
