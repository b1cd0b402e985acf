import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAuditLogAndOrderHold1795577683179 implements MigrationInterface {
  name = 'AddAuditLogAndOrderHold1795577683179';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE \`audit_log\` (\`id\` bigint NOT NULL AUTO_INCREMENT, \`subject\` varchar(128) NOT NULL, \`role\` varchar(16) NOT NULL, \`operation\` varchar(64) NOT NULL, \`arguments\` text NOT NULL, \`order_id\` varchar(64) NULL, \`request_id\` varchar(64) NOT NULL, \`outcome\` varchar(96) NOT NULL, \`occurred_at\` datetime(3) NOT NULL, INDEX \`idx_audit_order\` (\`order_id\`, \`occurred_at\`), INDEX \`idx_audit_subject\` (\`subject\`, \`occurred_at\`), INDEX \`idx_audit_occurred\` (\`occurred_at\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`,
    );
    await queryRunner.query(
      `CREATE TABLE \`order_hold\` (\`order_id\` varchar(64) NOT NULL, \`exception_id\` varchar(64) NULL, \`held_by\` varchar(128) NOT NULL, \`note\` varchar(1024) NOT NULL, \`held_at\` datetime(3) NOT NULL, PRIMARY KEY (\`order_id\`)) ENGINE=InnoDB`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`order_hold\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_occurred\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_subject\` ON \`audit_log\``);
    await queryRunner.query(`DROP INDEX \`idx_audit_order\` ON \`audit_log\``);
    await queryRunner.query(`DROP TABLE \`audit_log\``);
  }
}
