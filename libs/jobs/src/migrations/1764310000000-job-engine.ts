import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { instantType, nowDefault } from '@app/database';

/** What the engine needs: when a job may run, its lease, its timing, and the live workers. */
export class JobEngine1764310000000 implements MigrationInterface {
  name = 'JobEngine1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    const now = nowDefault(queryRunner);
    await queryRunner.addColumns('jobs', [
      new TableColumn({ name: 'run_at', type: instant, default: now }),
      new TableColumn({ name: 'locked_until', type: instant, isNullable: true }),
      new TableColumn({ name: 'locked_by', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'started_at', type: instant, isNullable: true }),
      new TableColumn({ name: 'finished_at', type: instant, isNullable: true }),
      new TableColumn({ name: 'last_error', type: 'text', isNullable: true }),
    ]);
    const indexes = [
      // Claims: waiting jobs due now, oldest first; running jobs whose lease expired.
      { name: 'jobs_waiting_run_at', columns: ['run_at'], where: `"state" = 'waiting'` },
      {
        name: 'jobs_running_locked_until',
        columns: ['locked_until'],
        where: `"state" = 'running'`,
      },
      // Retention deletes finished jobs by age; the eta reads recent durations of a type.
      {
        name: 'jobs_finished_updated_at',
        columns: ['updated_at'],
        where: `"state" IN ('processed', 'failed', 'failed_with_error')`,
      },
      {
        name: 'jobs_type_finished_at',
        columns: ['type', 'finished_at'],
        where: `"finished_at" IS NOT NULL`,
      },
    ];
    for (const index of indexes) {
      await queryRunner.createIndex(
        'jobs',
        new TableIndex({ name: index.name, columnNames: index.columns, where: index.where }),
      );
    }
    await queryRunner.createTable(
      new Table({
        name: 'job_workers',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'concurrency', type: 'integer' },
          { name: 'started_at', type: instant },
          { name: 'heartbeat_at', type: instant },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_workers');
    for (const name of [
      'jobs_type_finished_at',
      'jobs_finished_updated_at',
      'jobs_running_locked_until',
      'jobs_waiting_run_at',
    ]) {
      await queryRunner.dropIndex('jobs', name);
    }
    for (const name of [
      'last_error',
      'finished_at',
      'started_at',
      'locked_by',
      'locked_until',
      'run_at',
    ]) {
      await queryRunner.dropColumn('jobs', name);
    }
  }
}
