import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { instantType, nowDefault } from '@app/database';

export class CreateJobs1764300000000 implements MigrationInterface {
  name = 'CreateJobs1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    const now = nowDefault(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '21', isPrimary: true },
          { name: 'type', type: 'varchar', length: '100' },
          { name: 'client_id', type: 'varchar', length: '200' },
          { name: 'state', type: 'varchar', length: '20' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'payload', type: 'text' },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'eta', type: instant },
          { name: 'dedupe_key', type: 'varchar', length: '64', isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'created_at', type: instant, default: now },
          { name: 'updated_at', type: instant, default: now },
        ],
        checks: [
          {
            name: 'jobs_state_known',
            expression: `"state" IN ('waiting', 'running', 'processed', 'failed', 'failed_with_error')`,
          },
        ],
      }),
    );
    // One pending job per dedupe key: identical requests racing each other make one job.
    await queryRunner.createIndex(
      'jobs',
      new TableIndex({
        name: 'jobs_pending_dedupe_key',
        columnNames: ['dedupe_key'],
        isUnique: true,
        where: `"state" IN ('waiting', 'running') AND "dedupe_key" IS NOT NULL`,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('jobs');
  }
}
