import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { instantType } from '@app/database';

/** The job types an operator paused: workers claim none of their jobs until they resume. */
export class JobTypePauses1764410000000 implements MigrationInterface {
  name = 'JobTypePauses1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_type_pauses',
        columns: [
          { name: 'type', type: 'varchar', length: '100', isPrimary: true },
          { name: 'paused_at', type: instantType(queryRunner) },
          { name: 'paused_by', type: 'varchar', length: '200' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_type_pauses');
  }
}
