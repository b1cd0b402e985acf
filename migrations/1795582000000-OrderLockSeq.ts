import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order lock is a write: every money transaction of an order raises its lock_seq. On a Galera
 * cluster a SELECT … FOR UPDATE locks on its own node only; a written row is certified against
 * every other node's transactions, so two nodes cannot both decide on one order.
 */
export class OrderLockSeq1795582000000 implements MigrationInterface {
  name = 'OrderLockSeq1795582000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`oms_order\` ADD \`lock_seq\` bigint NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`oms_order\` DROP COLUMN \`lock_seq\``);
  }
}
