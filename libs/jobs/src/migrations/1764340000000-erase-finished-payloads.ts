import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const payload = (nullable: boolean) =>
  new TableColumn({ name: 'payload', type: 'text', isNullable: nullable });

/**
 * A job's payload (the clinical data it was given) lives only as long as the job may need it:
 * finishing `processed` or `failed` erases it, with its dedupe key. The column may now be NULL, and
 * the jobs that finished so before this version are erased too; `failed_with_error` jobs keep
 * theirs (an operator may run them again) until retention deletes them.
 */
export class EraseFinishedPayloads1764340000000 implements MigrationInterface {
  name = 'EraseFinishedPayloads1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumn('jobs', 'payload', payload(true));
    await queryRunner.query(
      `UPDATE jobs SET payload = NULL, dedupe_key = NULL WHERE state IN ('processed', 'failed')`,
    );
  }

  /** Erased payloads cannot come back: they become empty objects, so the column is required again. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE jobs SET payload = '{}' WHERE payload IS NULL`);
    await queryRunner.changeColumn('jobs', 'payload', payload(false));
  }
}
