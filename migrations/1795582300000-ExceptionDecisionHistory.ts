import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every owner decision on a money exception, in order (money_exception kept only the latest):
 * who, with which role, when, the decision and its note, and the status before and after.
 * Decisions taken before are copied from the audit log, which recorded who, role, when, decision
 * and note but not the states around them (left NULL).
 */
export class ExceptionDecisionHistory1795582300000 implements MigrationInterface {
  name = 'ExceptionDecisionHistory1795582300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const text = 'CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    await queryRunner.query(
      'CREATE TABLE `money_exception_decision` (' +
        '`id` bigint NOT NULL AUTO_INCREMENT, ' +
        `\`exception_id\` varchar(64) ${text} NOT NULL, ` +
        `\`decision\` varchar(32) ${text} NOT NULL, ` +
        `\`decided_by\` varchar(128) ${text} NOT NULL, ` +
        `\`role\` varchar(16) ${text} NOT NULL, ` +
        '`decided_at` datetime(3) NOT NULL, ' +
        `\`note\` varchar(1024) ${text} NOT NULL, ` +
        `\`previous_status\` varchar(16) ${text} NULL, ` +
        `\`previous_decision\` varchar(32) ${text} NULL, ` +
        `\`status\` varchar(16) ${text} NULL, ` +
        'INDEX `idx_money_exception_decision_exception` (`exception_id`, `id`), ' +
        'PRIMARY KEY (`id`)' +
        `) ENGINE=InnoDB DEFAULT ${text}`,
    );
    await queryRunner.query(
      'INSERT INTO `money_exception_decision` (`exception_id`, `decision`, `decided_by`, `role`, `decided_at`, `note`) ' +
        "SELECT JSON_VALUE(`arguments`, '$.exceptionId'), SUBSTRING(`outcome`, 9), `subject`, `role`, `occurred_at`, COALESCE(JSON_VALUE(`arguments`, '$.note'), '') " +
        "FROM `audit_log` WHERE `operation` = 'decideException' AND `outcome` LIKE 'DECIDED:%' AND JSON_VALUE(`arguments`, '$.exceptionId') IS NOT NULL ORDER BY `id`",
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `money_exception_decision`');
  }
}
