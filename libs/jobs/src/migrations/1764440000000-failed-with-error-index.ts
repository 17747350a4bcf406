import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The jobs that crashed, newest first: what operators list first. Few jobs crash, so the index is
 * small and its upkeep nearly nil; without it, listing and counting them reads the whole table.
 */
export class FailedWithErrorIndex1764440000000 implements MigrationInterface {
  name = 'FailedWithErrorIndex1764440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({
        name: 'jobs_failed_with_error_created_at',
        columnNames: ['created_at', 'id'],
        where: `"state" = 'failed_with_error'`,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'jobs_failed_with_error_created_at');
  }
}
