import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** `GET /api/jobs`: a client's jobs, newest first, read within that client's own index range. */
export class JobList1764400000000 implements MigrationInterface {
  name = 'JobList1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({
        name: 'jobs_client_created_at',
        columnNames: ['client_id', 'created_at', 'id'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('jobs', 'jobs_client_created_at');
  }
}
