import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The per-caller GraphQL cost budget, shared by every replica: one token bucket per caller
 * (`<role>:<subject>`), its level when last touched and that time in epoch milliseconds, and
 * whether the last take was granted (read back by the same statement that takes).
 */
export class SharedGraphqlBudget1795582100000 implements MigrationInterface {
  name = 'SharedGraphqlBudget1795582100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `graphql_budget` (' +
        '`caller` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, ' +
        '`level` double NOT NULL, ' +
        '`updated_ms` bigint NOT NULL, ' +
        '`granted` tinyint NOT NULL, ' +
        'PRIMARY KEY (`caller`)' +
        ') ENGINE=InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `graphql_budget`');
  }
}
