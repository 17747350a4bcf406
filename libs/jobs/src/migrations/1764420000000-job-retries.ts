import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A job an operator runs again (`failed_with_error`) gets a fresh attempt budget while its claim
 * numbers, the fencing tokens, keep growing: the claims before the retry are its `attempt_base`.
 */
export class JobRetries1764420000000 implements MigrationInterface {
  name = 'JobRetries1764420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'jobs',
      new TableColumn({ name: 'attempt_base', type: 'integer', default: 0 }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('jobs', 'attempt_base');
  }
}
